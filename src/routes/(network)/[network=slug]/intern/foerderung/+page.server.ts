// Funding: the network's programmes (filtered, paged) and a teaser of the next five deadlines.
import type { PageServerLoad } from './$types';
import { listProgrammes, programmeFilterFromUrl } from '$lib/server/funding/programmes';
import { listUpcomingDeadlines } from '$lib/server/funding/deadlines';
import { canFunding, applicationBodyIds } from '$lib/server/funding/permissions';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = programmeFilterFromUrl(url);
	const [programmes, deadlines] = await guard(event, () =>
		Promise.all([
			listProgrammes(locals.actor, network.id, { ...filter, page: pageParam(url) }),
			listUpcomingDeadlines(locals.actor, network.id, { pageSize: 5 })
		])
	);
	clampPage(url, programmes);
	const bodies = applicationBodyIds(locals.actor, network.id);
	const title = translate(locals.locale, 'funding.title');
	return {
		programmes,
		deadlines: deadlines.items,
		moreDeadlines: deadlines.total > deadlines.items.length,
		filter,
		canManage: canFunding(locals.actor, 'programme.manage', { networkId: network.id }),
		canApply: bodies === null || bodies.length > 0,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
