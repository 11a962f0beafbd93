// One public measure in the portal: facts, progress, description, its history of status updates
// (without authors), the citizens' ideas it came from, following and comments. Internal measures are not found here,
// whoever asks; the working area has its own page.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { getPublicMeasure, ideasOfMeasure, publicMeasureHistory } from '$lib/server/participation/portal';
import { renderMarkdown } from '$lib/server/markdown';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, clampPage, pageParam, publicCrumbs } from '$lib/server/network/directory-pages';
import { canMeasure } from '$lib/server/measures/permissions';
import { loadCommentSection } from '$lib/server/participation/comments';
import { followState } from '$lib/server/participation/follows';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const measure = await guard(event, () => getPublicMeasure(network.id, params.id));
	const target = { type: 'measure' as const, id: measure.id, networkId: network.id };
	const [history, ideas, comments, follow] = await Promise.all([
		guard(event, () => publicMeasureHistory(network.id, measure.id, { page: pageParam(url, 'verlauf') })),
		ideasOfMeasure(network.id, measure.id),
		guard(event, () => loadCommentSection(locals.actor, target, url)),
		followState(locals.actor, target)
	]);
	clampPage(url, history, 'verlauf');
	// Only visitors get the shared cache: signed-in people see their own parts (follow, comment form).
	cacheForVisitors(event);
	const label = translate(locals.locale, 'portal.measures.title');
	return {
		network: { slug: network.slug, name: network.name },
		measure,
		descriptionHtml: renderMarkdown(measure.description),
		history,
		ideas,
		comments,
		follow,
		inWorkingArea: canMeasure(locals.actor, 'measure.read', { networkId: network.id }),
		title: `${measure.title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label, href: `/${network.slug}/massnahmen` }, { label: measure.title })
	};
};
