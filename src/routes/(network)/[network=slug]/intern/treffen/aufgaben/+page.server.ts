// The network's follow-ups ("Offene Aufgaben"): filters in the URL (town, owner, meeting, state),
// paginated; owners update state and note, coordinators also create, edit and delete. Every form
// posts here with the list's filters in its action address, and success returns to the same view.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	createFollowUp,
	deleteFollowUp,
	followUpFilterFromUrl,
	followUpFilterToQuery,
	followUpOwnerOptions,
	listFollowUps,
	updateFollowUp
} from '$lib/server/meetings/follow-ups';
import { canMeeting } from '$lib/server/meetings/permissions';
import { meetingsByIds } from '$lib/server/meetings/meetings';
import { act, actNamed, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { clampPage, failed, internCrumbs, networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

const OK_KEYS = ['created', 'saved', 'deleted'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const filter = followUpFilterFromUrl(url);
	const [list, owners] = await guard(event, () =>
		Promise.all([listFollowUps(actor, network.id, { ...filter, page: pageParam(url) }), followUpOwnerOptions(actor, network.id)])
	);
	clampPage(url, list);
	const [meeting] = filter.meetingId ? await meetingsByIds(network.id, [filter.meetingId]) : [];
	const ok = url.searchParams.get('ok');
	const title = translate(locals.locale, 'followUps.title');
	return {
		list,
		filter,
		query: followUpFilterToQuery(filter).toString(),
		owners,
		/** The meeting the list is narrowed to, if any (title for the heading). */
		meeting: meeting ? { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt } : null,
		canManage: canMeeting(actor, 'meeting.manage', { networkId: network.id }),
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'meetings.nav'), href: `/${network.slug}/intern/treffen` }, { label: title })
	};
};

/** Back to the list as it was (filters and page), with a success note and the item's anchor. */
function backTo(event: RequestEvent, slug: string, ok: (typeof OK_KEYS)[number], anchor: string) {
	const q = new URLSearchParams();
	for (const [k, v] of event.url.searchParams) if (!k.startsWith('/') && ['kommune', 'person', 'treffen', 'status', 'seite'].includes(k)) q.set(k, v);
	q.set('ok', ok);
	return `/${slug}/intern/treffen/aufgaben?${q}${anchor ? `#${anchor}` : ''}`;
}

async function run(event: RequestEvent, formIdOf: (input: Record<string, string | string[]>) => string, ok: (typeof OK_KEYS)[number], fn: (input: Record<string, string | string[]>, networkId: string) => Promise<unknown>) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const input = formObject(data);
	const id = typeof input.id === 'string' ? input.id : '';
	return actNamed(event, data, formIdOf(input), backTo(event, network.slug, ok, ok === 'deleted' ? 'aufgaben-liste' : `aufgabe-${id}`), () => fn(input, network.id));
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createFollowUp(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId: 'followup-new' });
		redirect(303, backTo(event, network.slug, 'created', `aufgabe-${r.id}`));
	},
	state: (event) => run(event, (i) => `followup-state-${str(i.id)}`, 'saved', (input, networkId) => updateFollowUp(event.locals.actor, networkId, str(input.id), input, { stateOnly: true })),
	update: (event) => run(event, (i) => `followup-edit-${str(i.id)}`, 'saved', (input, networkId) => updateFollowUp(event.locals.actor, networkId, str(input.id), input)),
	delete: (event) => run(event, (i) => `followup-delete-${str(i.id)}`, 'deleted', (input, networkId) => deleteFollowUp(event.locals.actor, networkId, str(input.id), input).then(() => undefined))
};
