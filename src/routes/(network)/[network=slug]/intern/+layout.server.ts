// Guard of the working area: only the network's coordinators, members and partners enter.
// Form actions below check their own permissions again in the services.
import { redirect, error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { canNetwork } from '$lib/server/network/permissions';
import { membershipIn } from '$lib/server/auth/actor';
import { guard } from '$lib/server/http/route';
import { moderatesAny } from '$lib/server/participation/permissions';

export const load: LayoutServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const actor = locals.actor;
	if (!actor.userId) redirect(303, `/anmelden?weiter=${encodeURIComponent(url.pathname + url.search)}`);
	if (!canNetwork(actor, 'network.enter', { networkId: network.id })) error(403, 'Kein Zugriff auf dieses Netzwerk');
	const m = membershipIn(actor, network.id)!;
	const subject = { networkId: network.id };
	return {
		network: { id: network.id, slug: network.slug, name: network.name, region: network.region, isDemo: network.isDemo },
		role: m.role,
		myBodyIds: m.bodyIds,
		can: {
			editProfile: canNetwork(actor, 'network.editProfile', subject),
			manageMembers: canNetwork(actor, 'network.manageMembers', subject),
			readAudit: canNetwork(actor, 'network.readAudit', subject),
			editPartners: canNetwork(actor, 'partner.edit', subject),
			moderate: moderatesAny(actor, network.id)
		}
	};
};
