// The people of this network a post may mention, for the @mention helper of the post field:
// JSON [{ id, name }], at most 10, for the network's working area only (404 for everyone else).
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { guard } from '$lib/server/http/route';
import { networkFromParams } from '$lib/server/network/directory-pages';
import { searchPeople } from '$lib/server/exchange/mentions';

export const GET: RequestHandler = async (event) => {
	const network = await networkFromParams(event);
	if (!event.locals.actor.userId) error(404, 'Nicht gefunden');
	const people = await guard(event, () => searchPeople(event.locals.actor, network.id, event.url.searchParams.get('q') ?? ''));
	return json(people, { headers: { 'cache-control': 'private, no-store' } });
};
