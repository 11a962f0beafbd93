// The portal explained in Leichte Sprache (easy-to-read German). Same for every visitor.
import type { PageServerLoad } from './$types';
import { cacheForVisitors } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = (event) => {
	cacheForVisitors(event);
	const title = translate(event.locals.locale, 'citizen.easy.pageTitle');
	return { title, crumbs: [{ label: translate(event.locals.locale, 'shell.home'), href: '/' }, { label: title }] };
};
