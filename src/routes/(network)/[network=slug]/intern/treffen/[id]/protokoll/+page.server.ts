// Minutes of one meeting (coordinators): the Markdown text with a lost-update guard, the decisions
// (add, edit, move, delete) and the follow-ups from this meeting (create, state, edit, delete).
// Before the meeting has begun, or for a cancelled one, the page says why nothing can be written.
import { fail, isActionFailure, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getMeeting, loadManagedMeeting } from '$lib/server/meetings/meetings';
import { addDecision, createMeetingFollowUp, deleteDecision, minutesView, moveDecision, saveMinutes, updateDecision } from '$lib/server/meetings/minutes';
import { deleteFollowUp, followUpOwnerOptions, updateFollowUp } from '$lib/server/meetings/follow-ups';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

const OK_KEYS = ['minutesSaved', 'decisionAdded', 'decisionSaved', 'decisionMoved', 'decisionDeleted', 'followUpCreated', 'followUpSaved', 'followUpDeleted'] as const;
type OkKey = (typeof OK_KEYS)[number];

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const [meeting, minutes, owners] = await guard(event, async () => {
		await loadManagedMeeting(actor, network.id, params.id);
		return Promise.all([getMeeting(actor, network.id, params.id), minutesView(actor, network.id, params.id), followUpOwnerOptions(actor, network.id)]);
	});
	const ok = url.searchParams.get('ok');
	const title = translate(locals.locale, 'meetingMinutes.pageTitle');
	return {
		meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, status: meeting.status, isDemo: meeting.isDemo },
		minutes,
		owners,
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${title}: ${meeting.title} – ${network.name}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'meetings.nav'), href: `/${network.slug}/intern/treffen` },
			{ label: meeting.title, href: `/${network.slug}/intern/treffen/${meeting.id}` },
			{ label: title }
		)
	};
};

type Input = Record<string, string | string[]>;
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** Runs one form's command; failure names the form, success returns here with a note and anchor. */
async function run(event: RequestEvent<{ network: string; id: string }>, formIdOf: (input: Input) => string, ok: OkKey, anchor: (input: Input, result: unknown) => string, fn: (input: Input, networkId: string) => Promise<unknown>) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const input = formObject(data);
	const r = await act(event, data, () => fn(input, network.id));
	if (isActionFailure(r)) return fail(400, { ...(r.data as unknown as FormFailure), formId: formIdOf(input) });
	redirect(303, `/${network.slug}/intern/treffen/${event.params.id}/protokoll?ok=${ok}#${anchor(input, r)}`);
}

export const actions: Actions = {
	minutes: (event) => run(event, () => 'minutes', 'minutesSaved', () => 'protokoll-text', (input, n) => saveMinutes(event.locals.actor, n, event.params.id, input)),
	addDecision: (event) => run(event, () => 'decision-new', 'decisionAdded', () => 'beschluesse', (input, n) => addDecision(event.locals.actor, n, event.params.id, input)),
	updateDecision: (event) =>
		run(event, (i) => `decision-${str(i.decisionId)}`, 'decisionSaved', (i) => `beschluss-${str(i.decisionId)}`, (input, n) => updateDecision(event.locals.actor, n, event.params.id, str(input.decisionId), input)),
	moveDecision: (event) =>
		run(event, (i) => `decision-${str(i.decisionId)}`, 'decisionMoved', (i) => `beschluss-${str(i.decisionId)}`, (input, n) => moveDecision(event.locals.actor, n, event.params.id, str(input.decisionId), input)),
	deleteDecision: (event) =>
		run(event, (i) => `decision-${str(i.decisionId)}`, 'decisionDeleted', () => 'beschluesse', (input, n) => deleteDecision(event.locals.actor, n, event.params.id, str(input.decisionId))),
	createFollowUp: (event) =>
		run(event, () => 'followup-new', 'followUpCreated', (_i, r) => `aufgabe-${(r as { id: string }).id}`, (input, n) => createMeetingFollowUp(event.locals.actor, n, event.params.id, input)),
	state: (event) => run(event, (i) => `followup-state-${str(i.id)}`, 'followUpSaved', (i) => `aufgabe-${str(i.id)}`, (input, n) => updateFollowUp(event.locals.actor, n, str(input.id), input, { stateOnly: true })),
	update: (event) => run(event, (i) => `followup-edit-${str(i.id)}`, 'followUpSaved', (i) => `aufgabe-${str(i.id)}`, (input, n) => updateFollowUp(event.locals.actor, n, str(input.id), input)),
	delete: (event) => run(event, (i) => `followup-delete-${str(i.id)}`, 'followUpDeleted', () => 'aufgaben', (input, n) => deleteFollowUp(event.locals.actor, n, str(input.id), input))
};
