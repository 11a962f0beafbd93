// Thank-you page after a report; links back to where the person came from (inside this portal only).
import type { PageServerLoad } from './$types';
import { networkFromParams, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import { safeNetworkPath } from '$lib/server/http/redirect';

export const load: PageServerLoad = async (event) => {
	const network = await networkFromParams(event);
	const title = translate(event.locals.locale, 'reports.thanks.title');
	const raw = event.url.searchParams.get('zurueck');
	// The comment's anchor survives; the path itself only inside this network's portal.
	const hash = /#kommentar-[0-9a-f-]{36}$/.exec(raw ?? '')?.[0] ?? '';
	return {
		network: { slug: network.slug, name: network.name },
		back: safeNetworkPath(raw, network.slug) + hash,
		title,
		crumbs: publicCrumbs(event.locals.locale, network, { label: title })
	};
};
