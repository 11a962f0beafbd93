// The network's public meetings in the portal: upcoming (soonest first) or past (latest first),
// paginated. Internal meetings never appear here, whoever asks.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { listPublicMeetings } from '$lib/server/meetings/meetings';
import { canMeeting } from '$lib/server/meetings/permissions';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, clampPage, pageParam, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	cacheForVisitors(event);
	const when = url.searchParams.get('zeit') === 'vergangen' ? 'past' : 'upcoming';
	const meetings = await listPublicMeetings(network.id, { when, page: pageParam(url) });
	clampPage(url, meetings);
	const title = translate(locals.locale, 'meetings.portal.title');
	return {
		network: { slug: network.slug, name: network.name },
		meetings,
		when,
		inWorkingArea: canMeeting(locals.actor, 'meeting.read', { networkId: network.id }),
		title: `${title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label: title })
	};
};
