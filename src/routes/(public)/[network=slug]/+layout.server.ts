// The portal's frame needs the network's name (navigation label) and whether it is the demo.
import type { LayoutServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { guard } from '$lib/server/http/route';

export const load: LayoutServerLoad = async (event) => {
	const network = await guard(event, () => getNetworkBySlug(event.params.network));
	return { portal: { slug: network.slug, name: network.name, isDemo: network.isDemo } };
};
