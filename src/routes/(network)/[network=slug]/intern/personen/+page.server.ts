// Working area: people of the network, paginated, filtered by body (?kommune=), function (?funktion=) and name (?q=).
import type { PageServerLoad } from './$types';
import { bodyOptions, canCreateSomewhere, listPeople } from '$lib/server/network/directory';
import { internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	const filter = {
		bodyId: url.searchParams.get('kommune') ?? '',
		fn: url.searchParams.get('funktion') ?? '',
		q: (url.searchParams.get('q') ?? '').slice(0, 100)
	};
	const [people, bodies] = await Promise.all([
		listPeople(locals.actor, network.id, { page: pageParam(url), bodyId: filter.bodyId || undefined, fn: filter.fn, q: filter.q }),
		bodyOptions(locals.actor, network.id)
	]);
	const title = translate(locals.locale, 'dir.people.title');
	return {
		people,
		bodies,
		filter,
		canCreate: canCreateSomewhere(locals.actor, network.id),
		deleted: url.searchParams.has('geloescht'),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
