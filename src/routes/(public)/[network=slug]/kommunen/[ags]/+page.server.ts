// Public page of one municipality: facts, climate-work status, people with their function.
import type { PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { getBodyByAgs, listPeople } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { guard } from '$lib/server/http/route';
import { cacheForVisitors, publicCrumbs } from '$lib/server/network/directory-pages';

const PUBLIC_FUNCTIONS = new Set(['klimaschutzmanager', 'buergermeister']);

export const load: PageServerLoad = async (event) => {
	const { params, locals } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const body = await guard(event, () => getBodyByAgs(locals.actor, network.id, params.ags));
	cacheForVisitors(event);
	const people = await listPeople(locals.actor, network.id, { bodyId: body.id, notEnded: true, pageSize: 100 });
	return {
		network: { slug: network.slug, name: network.name },
		body,
		// The portal never shows contact details, whoever looks; the working area does. It names
		// only holders of public roles (managers, mayors); building-office and other staff are
		// listed in the working area only (privacy by default, GDPR Art. 25).
		people: people.items.filter((p) => PUBLIC_FUNCTIONS.has(p.function)).map((p) => ({
			id: p.id,
			name: p.name,
			function: p.function,
			functionNote: p.functionNote,
			tenureFrom: p.tenureFrom,
			tenureUntil: p.tenureUntil
		})),
		canEnter: canNetwork(locals.actor, 'network.enter', { networkId: network.id }),
		title: body.name,
		crumbs: publicCrumbs(locals.locale, network, { label: body.name })
	};
};
