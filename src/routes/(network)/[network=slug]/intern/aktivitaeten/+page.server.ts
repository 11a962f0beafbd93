// The network's joint activities: filters in the URL (status, a town taking part, words, public
// only), paginated, with a button to propose one.
import type { PageServerLoad } from './$types';
import { activityFilterFromUrl, activityFilterToQuery, listActivities, participatingBodies } from '$lib/server/activities/activities';
import { canActivity } from '$lib/server/activities/permissions';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = activityFilterFromUrl(url);
	const [list, bodies] = await guard(event, () =>
		Promise.all([listActivities(locals.actor, network.id, { ...filter, page: pageParam(url) }), participatingBodies(locals.actor, network.id)])
	);
	clampPage(url, list);
	const title = translate(locals.locale, 'activities.list.title');
	return {
		list,
		bodies,
		filter,
		filtered: activityFilterToQuery(filter).toString() !== '',
		canCreate: canActivity(locals.actor, 'activity.create', { networkId: network.id }),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
