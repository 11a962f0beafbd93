// Working area: the funding calendar – upcoming deadlines of every programme grouped by month,
// with the towns applying – and the person's private calendar-feed link (create once, shown once;
// then status, revoke with a confirmation step (?link=widerrufen), renew).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { listUpcomingDeadlines } from '$lib/server/funding/deadlines';
import { canFunding } from '$lib/server/funding/permissions';
import { calendarTokenStatus, createCalendarToken, revokeCalendarToken } from '$lib/server/calendar/tokens';
import { canCalendar } from '$lib/server/calendar/permissions';
import { daysLeft, daysLeftMessage, groupByMonth } from '$lib/server/calendar/deadline-page';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { act, guard } from '$lib/server/http/route';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { todayIso } from '$lib/server/network/directory-shared';
import { translate } from '$lib/i18n';

const PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	if (!canFunding(actor, 'funding.read', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const today = todayIso();
	const r = await guard(event, () => listUpcomingDeadlines(actor, network.id, { page: pageParam(url), pageSize: PAGE_SIZE, from: today }));
	clampPage(url, r);
	const canSubscribe = canCalendar(actor, 'calendar.subscribe', { networkId: network.id });
	const token = canSubscribe ? await guard(event, () => calendarTokenStatus(actor, network.id)) : null;
	const title = translate(locals.locale, 'calendar.title');
	const base = `/${network.slug}/intern/foerderung`;
	return {
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'funding.nav'), href: base }, { label: title }),
		months: groupByMonth(
			r.items.map((d) => ({
				windowId: d.windowId,
				programmeTitle: d.programmeTitle,
				measureNumber: d.measureNumber,
				funder: d.funder,
				programmeHref: `${base}/${d.programmeId}`,
				icsHref: `${base}/kalender/${d.windowId}.ics`,
				opensOn: d.opensOn,
				closesOn: d.closesOn,
				note: d.note,
				daysLeft: daysLeftMessage(daysLeft(d.closesOn, today)),
				applicants: d.applicants.map((a) => ({
					id: a.applicationId,
					bodyName: a.bodyName,
					state: a.state,
					decided: a.decided,
					href: `${base}/antraege/${a.applicationId}`
				}))
			})),
			locals.locale
		),
		paging: { page: r.page, pageSize: r.pageSize, total: r.total },
		canSubscribe,
		token,
		confirmRevoke: !!token && url.searchParams.get('link') === 'widerrufen',
		revoked: url.searchParams.get('link') === 'widerrufen-ok'
	};
};

async function networkId(slug: string) {
	return (await getNetworkBySlug(slug)).id;
}

export const actions: Actions = {
	/** Creates (or renews) the link and shows it once, in this response only. */
	link: async (event) => {
		const data = await event.request.formData();
		return act(event, data, async () => {
			const created = await createCalendarToken(event.locals.actor, await networkId(event.params.network));
			return { created: created.urls };
		});
	},
	widerrufen: async (event) => {
		const data = await event.request.formData();
		const r = await act(event, data, async () => revokeCalendarToken(event.locals.actor, await networkId(event.params.network)));
		if (typeof r !== 'boolean') return r;
		redirect(303, `${event.url.pathname}?link=widerrufen-ok#abonnieren`);
	}
};
