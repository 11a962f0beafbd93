// One deadline as a calendar file (add-to-calendar), for the signed-in working area.
import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { guard } from '$lib/server/http/route';
import { canFunding } from '$lib/server/funding/permissions';
import { fundingDeadlineEvent } from '$lib/server/funding/calendar-source';
import { singleEventResponse } from '$lib/server/calendar/feed';

export const GET: RequestHandler = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	if (!locals.actor.userId) redirect(303, `/anmelden?weiter=${encodeURIComponent(url.pathname)}`);
	if (!canFunding(locals.actor, 'funding.read', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const e = await fundingDeadlineEvent(locals.actor, network.id, params.windowId);
	if (!e) error(404, 'Nicht gefunden');
	return singleEventResponse(e);
};
