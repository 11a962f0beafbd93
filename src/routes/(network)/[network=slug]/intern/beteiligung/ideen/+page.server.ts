// The ideas queue of the municipalities the actor moderates: filter by state and town, paginated.
import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { listQueue, moderatedBodies, queueCounts, queueFilterFromUrl } from '$lib/server/participation/moderation';
import { IDEA_STATES } from '$lib/server/participation/ideas';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = queueFilterFromUrl(url);
	const [list, bodies, counts] = await Promise.all([
		guard(event, () => listQueue(locals.actor, network.id, filter, { page: pageParam(url) })),
		guard(event, () => moderatedBodies(locals.actor, network.id)),
		guard(event, () => queueCounts(locals.actor, network.id))
	]);
	clampPage(url, list);
	const parentLabel = translate(locals.locale, 'ideas.mod.title');
	const title = translate(locals.locale, 'ideas.mod.queue');
	return {
		list,
		bodies,
		counts,
		states: [...IDEA_STATES],
		filter,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: parentLabel, href: `/${network.slug}/intern/beteiligung` }, { label: title })
	};
};
