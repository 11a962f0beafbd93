// All topics of the network, archived ones included. Coordinators create, rename, archive and
// reorder them here (every form also works without JavaScript); others see the list.
import { fail, isActionFailure, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { networkFromParams } from '$lib/server/network/directory-pages';
import { createTopic, listTopics, moveTopic, updateTopic } from '$lib/server/exchange/topics';
import { canExchange } from '$lib/server/exchange/permissions';
import { exchangeCrumbs, okParam } from '$lib/server/exchange/pages';
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

async function run(event: RequestEvent, formId: string, ok: (typeof OK)[number], fn: (input: Record<string, string | string[]>, networkId: string) => Promise<unknown>) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const r = await act(event, data, () => fn(formObject(data), network.id));
	if (isActionFailure(r)) return fail(400, { ...(r.data as unknown as FormFailure), formId });
	redirect(303, `/${network.slug}/intern/austausch/themenfelder?ok=${ok}`);
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export const actions: Actions = {
	create: (event) => run(event, 'new', 'created', (input, networkId) => createTopic(event.locals.actor, networkId, input)),
	update: async (event) => {
		const id = String((await event.request.clone().formData()).get('topicId') ?? '');
		return run(event, `topic-${id}`, 'saved', (input, networkId) => updateTopic(event.locals.actor, networkId, id, input));
	},
	move: (event) =>
		run(event, 'move', 'moved', (input, networkId) => moveTopic(event.locals.actor, networkId, str(input.topicId), str(input.direction) === 'up' ? 'up' : 'down'))
};
