// Working area: the funding calendar – upcoming deadlines of every programme grouped by month,
// with the towns applying – and the person's private calendar-feed link (SubscribeSection: the
// feed carries deadlines and meetings alike).
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { listUpcomingDeadlines } from '$lib/server/funding/deadlines';
import { canFunding } from '$lib/server/funding/permissions';
import { subscribeActions, subscribeSection } from '$lib/server/calendar/subscribe';
import { daysLeft, daysLeftMessage, groupByMonth } from '$lib/server/calendar/deadline-page';
import { guard } from '$lib/server/http/route';
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
	const calendarSubscription = await guard(event, () => subscribeSection(actor, network.id, url));
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
		calendarSubscription
	};
};

export const actions: Actions = { ...subscribeActions() };
