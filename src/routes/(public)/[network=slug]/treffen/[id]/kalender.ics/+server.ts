// A public meeting as an .ics file, linking to its public page (same UID and SEQUENCE as in the feeds).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { meetingEventFor } from '$lib/server/meetings/calendar-source';
import { singleEventResponse } from '$lib/server/calendar/feed';
import { VISITOR } from '$lib/server/auth/actor';
import { guard } from '$lib/server/http/route';

export const GET: RequestHandler = async (event) => {
	const network = await guard(event, () => getNetworkBySlug(event.params.network));
	// As a visitor: public meetings only, with the public page's address.
	const ev = await meetingEventFor(VISITOR, network.id, event.params.id);
	if (!ev) error(404, 'Nicht gefunden');
	return singleEventResponse(ev);
};
