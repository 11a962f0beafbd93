import type { PageServerLoad } from './$types';
import { listNetworks } from '$lib/server/network/networks';
import { pageParam } from '$lib/server/paging';

export const load: PageServerLoad = async ({ url }) => {
	const networks = await listNetworks({ page: pageParam(url) });
	return { networks, accountDeleted: url.searchParams.get('konto') === 'geloescht' };
};
