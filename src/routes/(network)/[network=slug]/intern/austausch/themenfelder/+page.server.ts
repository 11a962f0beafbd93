// All topics of the network, archived ones included. Coordinators create, rename, archive and
// reorder them here (every form also works without JavaScript); others see the list.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { createTopic, listTopics, moveTopic, updateTopic } from '$lib/server/exchange/topics';
import { canExchange } from '$lib/server/exchange/permissions';
import { exchangeCrumbs, okParam, runForm, str } from '$lib/server/exchange/pages';
import { translate } from '$lib/i18n';

const OK = ['created', 'saved', 'moved'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const topics = await guard(event, () => listTopics(locals.actor, network.id, { includeArchived: true }));
	const title = translate(locals.locale, 'exchange.topics.title');
	return {
		topics,
		canManage: canExchange(locals.actor, 'exchange.topic.manage', { networkId: network.id }),
		ok: okParam(url, OK),
		title: `${title} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network, { label: title })
	};
};

function run(event: RequestEvent, formId: string, ok: (typeof OK)[number], fn: (input: Record<string, string | string[]>, networkId: string) => Promise<unknown>) {
	return runForm(event, formId, fn, (_r, slug) => `/${slug}/intern/austausch/themenfelder?ok=${ok}`);
}

export const actions: Actions = {
	create: (event) => run(event, 'new', 'created', (input, networkId) => createTopic(event.locals.actor, networkId, input)),
	update: async (event) => {
		const id = String((await event.request.clone().formData()).get('topicId') ?? '');
		return run(event, `topic-${id}`, 'saved', (input, networkId) => updateTopic(event.locals.actor, networkId, id, input));
	},
	move: (event) =>
		run(event, 'move', 'moved', (input, networkId) => moveTopic(event.locals.actor, networkId, str(input.topicId), str(input.direction)))
};
