// The network's meetings: upcoming (soonest first) or past (latest first), filtered by status, host
// town and year (GET form, bookmarkable), paginated.
import type { PageServerLoad } from './$types';
import { hostOptions, listMeetings, meetingFilterFromUrl, meetingYears } from '$lib/server/meetings/meetings';
import { canMeeting } from '$lib/server/meetings/permissions';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = meetingFilterFromUrl(url);
	const meetings = await guard(event, () => listMeetings(locals.actor, network.id, { ...filter, page: pageParam(url) }));
	clampPage(url, meetings);
	const [hosts, years] = await Promise.all([hostOptions(network.id), meetingYears(network.id)]);
	const title = translate(locals.locale, 'meetings.title');
	return {
		meetings,
		filter,
		hosts,
		years,
		canManage: canMeeting(locals.actor, 'meeting.manage', { networkId: network.id }),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
