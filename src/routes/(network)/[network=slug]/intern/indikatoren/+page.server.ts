// Working area: the network's indicators, by municipality (?kommune=<AGS>) and page (?seite=).
import type { PageServerLoad } from './$types';
import { bodyOptions } from '$lib/server/network/directory';
import { canCreateIndicator, listIndicators } from '$lib/server/measures/indicators';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	const raw = (url.searchParams.get('kommune') ?? '').trim();
	// An unknown or malformed AGS is ignored, so an old shared link still opens.
	const ags = /^\d{5}(\d{3})?$/.test(raw) ? raw : '';
	const [list, bodies] = await Promise.all([
		listIndicators(locals.actor, network.id, { ags: ags || undefined, page: pageParam(url) }),
		bodyOptions(locals.actor, network.id)
	]);
	clampPage(url, list);
	const title = translate(locals.locale, 'indicator.list.title');
	const body = bodies.find((b) => b.ags === ags) ?? null;
	return {
		list,
		bodies,
		filter: { ags, bodyName: body?.name ?? '' },
		canCreate: canCreateIndicator(locals.actor, network.id),
		deleted: url.searchParams.has('geloescht'),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
