// "In den Kalender": one meeting as an .ics file (same UID and SEQUENCE as in the feed, so a
// calendar that has both keeps one event).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { meetingEventFor } from '$lib/server/meetings/calendar-source';
import { singleEventResponse } from '$lib/server/calendar/feed';
import { guard } from '$lib/server/http/route';

export const GET: RequestHandler = async (event) => {
	const network = await guard(event, () => getNetworkBySlug(event.params.network));
	const ev = await meetingEventFor(event.locals.actor, network.id, event.params.id);
	if (!ev) error(404, 'Nicht gefunden');
	return singleEventResponse(ev);
};
