// The network's ideas on the portal: published, merged and turned into measures. Filters in the
// URL (Kommune, Thema, Stand, Sortierung), paginated; visitors get it from a shared cache. A
// signed-in person also sees their own ideas in every state (never cached: private, no-store).
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, clampPage, pageParam, publicCrumbs } from '$lib/server/network/directory-pages';
import { IDEA_THEMES, VISIBLE_STATES, ideaFilterFromUrl, listPublicIdeas, myIdeas, networkBodies } from '$lib/server/participation/ideas';
import { getPortalSettings } from '$lib/server/participation/settings';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const filter = ideaFilterFromUrl(url);
	const [ideas, bodies, settings, mine] = await Promise.all([
		listPublicIdeas(network.id, filter, { page: pageParam(url) }),
		networkBodies(network.id),
		getPortalSettings(network.id),
		myIdeas(locals.actor, network.id)
	]);
	clampPage(url, ideas);
	const title = translate(locals.locale, 'ideas.list.title');
	return {
		network: { slug: network.slug, name: network.name },
		ideas,
		// Own ideas still waiting or not published; the published ones are in the list anyway.
		mine: mine.filter((i) => i.state === 'pending' || i.state === 'rejected'),
		bodies: bodies.map((b) => ({ ags: b.ags, name: b.name })),
		themes: [...IDEA_THEMES],
		states: [...VISIBLE_STATES],
		filter,
		filtered: !!(filter.ags || filter.theme || filter.state || filter.sort !== 'new'),
		ideasOpen: settings.ideasOpen,
		title: `${title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label: title })
	};
};
