// One topic's discussions: newest activity first, 25 a page, filters in the URL (not yet answered,
// mine, followed), and the way to start a discussion here (unless the topic is archived).
import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { clampPage, pageParam } from '$lib/server/network/directory-pages';
import { getTopic } from '$lib/server/exchange/topics';
import { listThreads, threadFilterFromUrl } from '$lib/server/exchange/threads';
import { exchangeCrumbs } from '$lib/server/exchange/pages';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const filter = threadFilterFromUrl(url);
	const topic = await guard(event, () => getTopic(locals.actor, network.id, params.id));
	const list = await guard(event, () => listThreads(locals.actor, network.id, { topicId: topic.id, filter, page: pageParam(url) }));
	clampPage(url, list);
	return {
		topic,
		list,
		filter,
		title: `${topic.title} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network, { label: topic.title })
	};
};
