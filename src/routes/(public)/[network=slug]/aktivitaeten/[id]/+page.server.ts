// One public joint activity in the portal: title, status, description and the towns taking part;
// no tasks, people or internal notes (a dropped one says so, without the reason). Internal activities are not found here, whoever asks.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { getPublicActivity } from '$lib/server/activities/activities';
import { canActivity } from '$lib/server/activities/permissions';
import { renderMarkdown } from '$lib/server/markdown';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const activity = await guard(event, () => getPublicActivity(network.id, params.id));
	cacheForVisitors(event);
	const label = translate(locals.locale, 'activities.public.title');
	return {
		network: { slug: network.slug, name: network.name },
		activity,
		descriptionHtml: renderMarkdown(activity.description),
		inWorkingArea: canActivity(locals.actor, 'activity.read', { networkId: network.id }),
		title: `${activity.title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label, href: `/${network.slug}/aktivitaeten` }, { label: activity.title })
	};
};
