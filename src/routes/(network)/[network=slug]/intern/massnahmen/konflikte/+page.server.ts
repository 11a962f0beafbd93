// Network view of the constraints check: every conflict (or open check), newest first.
import type { PageServerLoad } from './$types';
import { listOpenConflicts } from '$lib/server/measures/constraints';
import { guard } from '$lib/server/http/route';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const state = url.searchParams.get('art') === 'pruefen' ? 'to_check' : 'conflict';
	const conflicts = await guard(event, () => listOpenConflicts(locals.actor, network.id, { state, page: pageParam(url) }));
	clampPage(url, conflicts);
	const title = translate(locals.locale, 'measure.conflicts.title');
	return {
		conflicts,
		state,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'measure.list.title'), href: `/${network.slug}/intern/massnahmen` },
			{ label: title }
		)
	};
};
