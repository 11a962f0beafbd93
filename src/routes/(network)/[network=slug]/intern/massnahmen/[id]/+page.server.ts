// One measure: facts, description, history with the status-update form, tasks, constraints check,
// links to other modules' records, similar measures of other towns. Every form posts here.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getMeasure, measureFormOptions } from '$lib/server/measures/measures';
import { listUpdates, postStatusUpdate } from '$lib/server/measures/history';
import { addTask, deleteTask, listTasks, updateTask } from '$lib/server/measures/tasks';
import { getConstraints, setConstraint } from '$lib/server/measures/constraints';
import { listLinks } from '$lib/server/links/service';
import { linkActions } from '$lib/server/links/actions';
import { renderMarkdown } from '$lib/server/markdown';
import { similarMeasures } from '$lib/server/measures/similar';
import { copiesOf } from '$lib/server/measures/copy';
import { indicatorsForMeasure } from '$lib/server/measures/indicators';
import { actNamed, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { clampPage, internCrumbs, networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import { todayIso } from '$lib/server/network/directory-shared';

/** Success messages the page may show (?ok=…); anything else in the URL is ignored. */
const OK_KEYS = ['saved', 'created', 'copied', 'posted', 'taskSaved', 'taskDeleted', 'constraintSaved', 'linkAdded', 'linkRemoved'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const measure = await guard(event, () => getMeasure(actor, network.id, params.id));
	const ref = { type: 'measure', id: measure.id };
	const [history, tasks, constraints, links, similar, copies, indicators, options] = await Promise.all([
		listUpdates(actor, network.id, measure.id, { page: pageParam(url, 'verlauf') }),
		listTasks(actor, network.id, measure.id),
		getConstraints(actor, network.id, measure.id),
		listLinks(actor, ref),
		similarMeasures(actor, network.id, measure.id),
		copiesOf(actor, network.id, measure.id),
		indicatorsForMeasure(actor, network.id, measure.id),
		measure.canEdit ? measureFormOptions(actor, network.id, measure.conceptId) : Promise.resolve(null)
	]);
	clampPage(url, history, 'verlauf');
	const ok = url.searchParams.get('ok');
	const label = translate(locals.locale, 'measure.list.title');
	return {
		measure,
		descriptionHtml: renderMarkdown(measure.description),
		history,
		tasks,
		constraints,
		links,
		similar,
		copies,
		indicators,
		people: options?.people ?? [],
		/** Today in Germany, so the page marks late tasks by the same day as the server. */
		today: todayIso(),
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${measure.code} ${measure.title} – ${network.name}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label, href: `/${network.slug}/intern/massnahmen` },
			{ label: `${measure.code} ${measure.title}` }
		)
	};
};

/**
 * Runs one of the page's forms. On failure the form is named (formId), so the page shows the
 * errors beside that form only; on success it redirects (no resubmission on reload).
 */
function run(
	event: RequestEvent,
	formId: string,
	okKey: (typeof OK_KEYS)[number],
	anchor: string,
	fn: (input: Record<string, string | string[]>, networkId: string) => Promise<unknown>
) {
	return networkFromParams(event).then(async (network) => {
		const data = await event.request.formData();
		const done = `/${network.slug}/intern/massnahmen/${event.params.id}?ok=${okKey}#${anchor}`;
		return actNamed(event, data, formId, done, () => fn(formObject(data), network.id));
	});
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export const actions: Actions = {
	update: (event) => run(event, 'update', 'posted', 'verlauf', (input, networkId) => postStatusUpdate(event.locals.actor, networkId, event.params.id!, input)),
	addTask: (event) => run(event, 'task-new', 'taskSaved', 'aufgaben', (input, networkId) => addTask(event.locals.actor, networkId, event.params.id!, input)),
	updateTask: async (event) => {
		const data = await event.request.clone().formData();
		const taskId = String(data.get('taskId') ?? '');
		return run(event, `task-${taskId}`, 'taskSaved', 'aufgaben', (input, networkId) => updateTask(event.locals.actor, networkId, taskId, input, event.params.id));
	},
	deleteTask: (event) => run(event, 'task-delete', 'taskDeleted', 'aufgaben', (input, networkId) => deleteTask(event.locals.actor, networkId, str(input.taskId), event.params.id)),
	constraint: async (event) => {
		const data = await event.request.clone().formData();
		const aspect = String(data.get('aspect') ?? '');
		return run(event, `constraint-${aspect}`, 'constraintSaved', 'pruefung', (input, networkId) => setConstraint(event.locals.actor, networkId, event.params.id!, input));
	},
	...linkActions({
		ref: (event) => ({ type: 'measure', id: event.params.id! }),
		// getMeasure: the measure must belong to the network in the URL (404 otherwise).
		check: (event, networkId) => getMeasure(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/massnahmen/${event.params.id}`
	})
};
