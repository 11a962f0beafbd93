// The network's public measures: filters in the URL (town, theme, status, words), paginated,
// served from a shared cache to visitors. The same for everybody, signed in or not.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { bodyOptions } from '$lib/server/network/directory';
import { filterFromUrl } from '$lib/server/measures/list';
import { listPublicMeasures } from '$lib/server/participation/portal';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, clampPage, pageParam, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const f = filterFromUrl(url);
	const filter = { ags: f.ags, theme: f.theme, status: f.status, q: f.q };
	const [measures, bodies] = await Promise.all([
		listPublicMeasures(network.id, { ...filter, page: pageParam(url) }),
		bodyOptions(locals.actor, network.id)
	]);
	clampPage(url, measures);
	const town = filter.ags ? bodies.find((b) => b.ags === filter.ags) : undefined;
	const title = translate(locals.locale, 'portal.measures.title');
	return {
		network: { slug: network.slug, name: network.name },
		measures,
		bodies: bodies.map((b) => ({ name: b.name, ags: b.ags })),
		filter,
		filtered: !!(filter.ags || filter.theme || filter.status?.length || filter.q),
		townName: town?.name ?? null,
		title: `${title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label: title })
	};
};
