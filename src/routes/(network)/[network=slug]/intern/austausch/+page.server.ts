// The exchange's overview: the topics with their thread counts, the latest discussions across the
// network, and the way to start one. Citizens and visitors never get here (the working area's guard,
// and the services answer 404).
import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { listTopics } from '$lib/server/exchange/topics';
import { listThreads } from '$lib/server/exchange/threads';
import { canExchange } from '$lib/server/exchange/permissions';
import { exchangeCrumbs } from '$lib/server/exchange/pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals } = event;
	const { network } = await parent();
	const [topics, latest] = await guard(event, () => Promise.all([listTopics(locals.actor, network.id), listThreads(locals.actor, network.id, { pageSize: 10 })]));
	return {
		topics,
		latest: latest.items,
		canManage: canExchange(locals.actor, 'exchange.topic.manage', { networkId: network.id }),
		title: `${translate(locals.locale, 'exchange.nav')} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network)
	};
};
