// Overview of the participation portal for the working area: ideas waiting per state, and links to
// the queues of other parts (reports, pledges, accessibility feedback) and to the settings.
import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { queueCounts } from '$lib/server/participation/moderation';
import { canParticipation } from '$lib/server/participation/permissions';
import { IDEA_STATES } from '$lib/server/participation/ideas';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals } = event;
	const { network } = await parent();
	const counts = await guard(event, () => queueCounts(locals.actor, network.id));
	const title = translate(locals.locale, 'ideas.mod.title');
	return {
		counts,
		states: [...IDEA_STATES],
		canManage: canParticipation(locals.actor, 'participation.manage', { networkId: network.id }),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
