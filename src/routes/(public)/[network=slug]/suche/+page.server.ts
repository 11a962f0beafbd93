// The portal's search: what is public in the network. It searches as a visitor whoever asks (like
// every portal page), so a signed-in member sees the same results as everybody else here.
import type { PageServerLoad } from './$types';
import { VISITOR } from '$lib/server/auth/actor';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { loadSearchPage } from '$lib/server/search/page';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const page = await loadSearchPage(VISITOR, network, url);
	const label = translate(locals.locale, 'search.title');
	const what = page.filter.q ? translate(locals.locale, 'search.titleFor', { q: page.filter.q.slice(0, 80) }) : label;
	return {
		...page,
		network: { slug: network.slug, name: network.name },
		title: `${what} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label })
	};
};
