// The network's public joint activities: filters in the URL (status, a town taking part, words),
// paginated, served from a shared cache to visitors. The same for everybody, signed in or not.
import type { PageServerLoad } from './$types';
import { VISITOR } from '$lib/server/auth/actor';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { activityFilterFromUrl, listPublicActivities, participatingBodies } from '$lib/server/activities/activities';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, clampPage, pageParam, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const f = activityFilterFromUrl(url);
	const filter = { status: f.status, ags: f.ags, q: f.q };
	const [list, bodies] = await Promise.all([listPublicActivities(network.id, { ...filter, page: pageParam(url) }), participatingBodies(VISITOR, network.id, true)]);
	clampPage(url, list);
	const title = translate(locals.locale, 'activities.public.title');
	return {
		network: { slug: network.slug, name: network.name },
		list,
		bodies,
		filter,
		filtered: !!(filter.status?.length || filter.ags || filter.q),
		title: `${title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label: title })
	};
};
