// One joint activity: facts and description, status (with the form to change it), the towns taking
// part with join/leave forms for the bodies the actor acts for, tasks, the meetings where it was
// discussed (agenda items pointing at it), links to other records. Every form posts here.
import { fail, isActionFailure, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getActivity, joinActivity, leaveActivity, meetingsDiscussing, setActivityStatus } from '$lib/server/activities/activities';
import { addActivityTask, deleteActivityTask, listActivityTasks, setActivityTaskDone, taskOwnerOptions, updateActivityTask } from '$lib/server/activities/tasks';
import { listLinks } from '$lib/server/links/service';
import { linkActions } from '$lib/server/links/actions';
import { renderMarkdown } from '$lib/server/markdown';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { todayIso } from '$lib/server/network/directory-shared';
import { translate } from '$lib/i18n';

/** Success messages the page may show (?ok=…); anything else in the URL is ignored. */
const OK_KEYS = [
	'created',
	'saved',
	'status',
	'joined',
	'already',
	'left',
	'notJoined',
	'taskSaved',
	'taskDone',
	'taskOpen',
	'taskDeleted',
	'linkAdded',
	'linkRemoved'
] as const;
type OkKey = (typeof OK_KEYS)[number];

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const activity = await guard(event, () => getActivity(actor, network.id, params.id));
	const [tasks, discussedIn, links, owners] = await Promise.all([
		listActivityTasks(actor, network.id, activity.id),
		meetingsDiscussing(actor, network.id, activity.id),
		listLinks(actor, { type: 'activity', id: activity.id }),
		activity.canAddTasks ? taskOwnerOptions(actor, network.id, activity.id) : Promise.resolve({ people: [], bodies: [] })
	]);
	const ok = url.searchParams.get('ok');
	const label = translate(locals.locale, 'activities.list.title');
	return {
		activity,
		descriptionHtml: renderMarkdown(activity.description),
		tasks,
		discussedIn,
		links,
		owners,
		today: todayIso(),
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${activity.title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label, href: `/${network.slug}/intern/aktivitaeten` }, { label: activity.title })
	};
};

/**
 * Runs one of the page's forms. A failure is named (formId), so the page shows the errors beside
 * that form only; success redirects with a message (`okKey`, or one chosen from the result).
 */
async function run<T>(
	event: RequestEvent,
	formId: string,
	anchor: string,
	okKey: OkKey | ((result: T) => OkKey),
	fn: (input: Record<string, string | string[]>, networkId: string) => Promise<T>
) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const r = await act(event, data, () => fn(formObject(data), network.id));
	if (isActionFailure(r)) return fail(400, { ...(r.data as unknown as FormFailure), formId });
	const key = typeof okKey === 'function' ? okKey(r as T) : okKey;
	redirect(303, `/${network.slug}/intern/aktivitaeten/${event.params.id}?ok=${key}#${anchor}`);
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export const actions: Actions = {
	status: (event) => run(event, 'status', 'status', 'status', (input, networkId) => setActivityStatus(event.locals.actor, networkId, event.params.id!, input)),
	join: (event) =>
		run(event, 'join', 'kommunen', (r: string) => (r === 'joined' ? 'joined' : 'already'), (input, networkId) =>
			joinActivity(event.locals.actor, networkId, event.params.id!, str(input.bodyId))
		),
	leave: (event) =>
		run(event, 'leave', 'kommunen', (r: string) => (r === 'left' ? 'left' : 'notJoined'), (input, networkId) =>
			leaveActivity(event.locals.actor, networkId, event.params.id!, str(input.bodyId))
		),
	addTask: (event) => run(event, 'task-new', 'aufgaben', 'taskSaved', (input, networkId) => addActivityTask(event.locals.actor, networkId, event.params.id!, input)),
	updateTask: async (event) => {
		const taskId = String((await event.request.clone().formData()).get('taskId') ?? '');
		return run(event, `task-${taskId}`, 'aufgaben', 'taskSaved', (input, networkId) => updateActivityTask(event.locals.actor, networkId, event.params.id!, taskId, input));
	},
	toggleTask: (event) =>
		run(event, 'task-toggle', 'aufgaben', (t: { done: boolean }) => (t.done ? 'taskDone' : 'taskOpen'), (input, networkId) =>
			setActivityTaskDone(event.locals.actor, networkId, event.params.id!, str(input.taskId), str(input.done) === '1')
		),
	deleteTask: (event) => run(event, 'task-delete', 'aufgaben', 'taskDeleted', (input, networkId) => deleteActivityTask(event.locals.actor, networkId, event.params.id!, str(input.taskId))),
	...linkActions({
		ref: (event) => ({ type: 'activity', id: event.params.id! }),
		// getActivity: the activity must belong to the network in the URL (404 otherwise).
		check: (event, networkId) => getActivity(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/aktivitaeten/${event.params.id}`
	})
};
