// One public meeting in the portal: title, time, host town, place, description, the agenda's
// titles and its files. Never participants, agenda notes, presenters or minutes.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { getPublicMeeting } from '$lib/server/meetings/meetings';
import { getPublicAgenda } from '$lib/server/meetings/agenda';
import { listAttachments } from '$lib/server/meetings/attachments';
import { VISITOR } from '$lib/server/auth/actor';
import { canMeeting } from '$lib/server/meetings/permissions';
import { renderMarkdown } from '$lib/server/markdown';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const meeting = await guard(event, () => getPublicMeeting(network.id, params.id));
	cacheForVisitors(event);
	const [agenda, files] = await Promise.all([
		getPublicAgenda(network.id, meeting.id),
		// As a visitor sees them: the same page for everyone.
		listAttachments(VISITOR, network.id, meeting.id)
	]);
	const label = translate(locals.locale, 'meetings.portal.title');
	return {
		network: { slug: network.slug, name: network.name },
		meeting,
		descriptionHtml: renderMarkdown(meeting.description),
		agenda,
		files: files.map((f) => ({ id: f.id, filename: f.filename, size: f.size })),
		inWorkingArea: canMeeting(locals.actor, 'meeting.read', { networkId: network.id }),
		title: `${meeting.title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label, href: `/${network.slug}/treffen` }, { label: meeting.title })
	};
};
