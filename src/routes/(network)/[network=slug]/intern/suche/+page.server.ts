// The working area's search: everything the coordinator, member or partner may open (the layout
// lets only them in; the service filters every source by the actor's read rules).
import type { PageServerLoad } from './$types';
import { loadSearchPage } from '$lib/server/search/page';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const page = await guard(event, () => loadSearchPage(locals.actor, network, url));
	const label = translate(locals.locale, 'search.title');
	const what = page.filter.q ? translate(locals.locale, 'search.titleFor', { q: page.filter.q.slice(0, 80) }) : label;
	return {
		...page,
		title: `${what} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label })
	};
};
