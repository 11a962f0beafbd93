// The network's measures: every filter in the URL (shareable), sorted, paginated, exportable.
import type { PageServerLoad } from './$types';
import { filterFromUrl, listMeasures, measureCounts, filterToQuery } from '$lib/server/measures/list';
import { bodyOptions } from '$lib/server/network/directory';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { editableBodyIds } from '$lib/server/measures/permissions';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = filterFromUrl(url);
	const [measures, counts, bodies] = await guard(event, () =>
		Promise.all([
			listMeasures(locals.actor, network.id, { ...filter, page: pageParam(url) }),
			// Counts follow every filter but status, so they show how the filtered measures spread over statuses.
			measureCounts(locals.actor, network.id, { ...filter, status: undefined }),
			bodyOptions(locals.actor, network.id)
		])
	);
	clampPage(url, measures);
	const editable = editableBodyIds(locals.actor, network.id);
	const title = translate(locals.locale, 'measure.list.title');
	return {
		measures,
		counts,
		bodies,
		filter,
		/** The filter as a query string, for export links that keep the view. */
		query: filterToQuery(filter).toString(),
		canEditSome: editable === null || editable.length > 0,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
