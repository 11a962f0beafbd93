// A person's private calendar feed (iCalendar). No session: the secret link is the credential.
// Everything (link check, network match, rate limit, events, headers) is in calendarFeedResponse.
import type { RequestHandler } from './$types';
import { calendarFeedResponse } from '$lib/server/calendar/feed';

export const GET: RequestHandler = ({ params }) => calendarFeedResponse(params.network, params.token);
