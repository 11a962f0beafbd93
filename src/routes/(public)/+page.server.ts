import type { PageServerLoad } from './$types';
import { listNetworks } from '$lib/server/network/networks';

export const load: PageServerLoad = async ({ url }) => {
	const page = Number(url.searchParams.get('seite')) || 1;
	const networks = await listNetworks({ page });
	return { networks };
};
