// Moderating one idea: the idea as submitted (also pending/rejected, with its photo) and the moves
// its state allows (moderation.ts): publish, reject with a reason, merge, link or create a measure,
// reopen (coordinator). Each form posts here and redirects back with a message.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actNamed, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { renderMarkdown } from '$lib/server/markdown';
import { getIdea } from '$lib/server/participation/ideas';
import {
	availableActions,
	createMeasureFromIdea,
	linkIdeaToMeasure,
	loadModeratedIdea,
	measureOptions,
	mergeIdea,
	mergeTargets,
	publishIdea,
	rejectIdea,
	reopenIdea,
	suggestMeasureCode
} from '$lib/server/participation/moderation';
import { translate } from '$lib/i18n';

const OK_KEYS = ['published', 'rejected', 'merged', 'measure', 'reopened'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const idea = await guard(event, () => loadModeratedIdea(actor, network.id, params.id));
	const detail = await guard(event, () => getIdea(actor, network.id, idea.id));
	const actions = availableActions(actor, idea);
	const q = url.searchParams.get('suche') ?? '';
	const [targets, options] = await Promise.all([
		actions.includes('merge') ? mergeTargets(actor, network.id, idea, q) : Promise.resolve([]),
		actions.includes('measure') ? measureOptions(actor, network.id, idea) : null
	]);
	const code = await suggestMeasureCode(network.id, options?.concepts[0]?.id);
	const ok = url.searchParams.get('ok');
	const parentLabel = translate(locals.locale, 'ideas.mod.title');
	const queueLabel = translate(locals.locale, 'ideas.mod.queue');
	const base = `/${network.slug}/intern/beteiligung`;
	return {
		idea: { ...detail, body: '' },
		bodyHtml: renderMarkdown(detail.body),
		actions,
		targets,
		q,
		options: options ?? { measures: [], concepts: [] },
		suggestedCode: code,
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${detail.title} – ${queueLabel}`,
		crumbs: internCrumbs(locals.locale, network, { label: parentLabel, href: base }, { label: queueLabel, href: `${base}/ideen` }, { label: detail.title })
	};
};

function run(event: RequestEvent, formId: string, okKey: (typeof OK_KEYS)[number], fn: (input: Record<string, string | string[]>, networkId: string) => Promise<unknown>) {
	return networkFromParams(event).then(async (network) => {
		const data = await event.request.formData();
		const done = `/${network.slug}/intern/beteiligung/ideen/${event.params.id}?ok=${okKey}`;
		return actNamed(event, data, formId, done, () => fn(formObject(data), network.id));
	});
}

const id = (event: RequestEvent) => event.params.id ?? '';

export const actions: Actions = {
	publish: (event) => run(event, 'publish', 'published', (_i, n) => publishIdea(event.locals.actor, n, id(event))),
	reject: (event) => run(event, 'reject', 'rejected', (input, n) => rejectIdea(event.locals.actor, n, id(event), input)),
	merge: (event) => run(event, 'merge', 'merged', (input, n) => mergeIdea(event.locals.actor, n, id(event), input)),
	link: (event) => run(event, 'link', 'measure', (input, n) => linkIdeaToMeasure(event.locals.actor, n, id(event), input)),
	create: (event) => run(event, 'create', 'measure', (input, n) => createMeasureFromIdea(event.locals.actor, n, id(event), input)),
	reopen: (event) => run(event, 'reopen', 'reopened', (_i, n) => reopenIdea(event.locals.actor, n, id(event)))
};
