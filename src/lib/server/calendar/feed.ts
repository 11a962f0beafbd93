// The private iCalendar feed behind /<slug>/kalender/<token>.ics: resolves the link, collects the
// events of every calendar source as the link's owner would see them, and answers with the
// VCALENDAR. Route handlers stay one line; tests call calendarFeedResponse directly.
import { translate } from '$lib/i18n';
import { hit } from '../auth/rate-limit';
import { log } from '../log';
import { writeCalendar, icsFileName, type CalendarEvent } from './ical';
import { collectEvents, type CalendarRange } from './sources';
import { markCalendarTokenUsed, resolveCalendarToken } from './tokens';

/** The feed covers the last ~3 months (so passed events don't vanish at once) and the next ~18. */
export const FEED_PAST_DAYS = 92;
export const FEED_FUTURE_DAYS = 548;

/** Fetches per link and hour; calendar apps poll every few minutes at most. */
export const FEED_RATE_LIMIT = { max: 120, windowSeconds: 3600 };

export function feedRange(now = new Date()): CalendarRange {
	const day = 86_400_000;
	return { from: new Date(now.getTime() - FEED_PAST_DAYS * day), to: new Date(now.getTime() + FEED_FUTURE_DAYS * day) };
}

const ICS_HEADERS = {
	'Content-Type': 'text/calendar; charset=utf-8',
	'Cache-Control': 'private, no-store',
	'X-Content-Type-Options': 'nosniff',
	'X-Robots-Tag': 'noindex, nofollow',
	'Referrer-Policy': 'no-referrer'
};

/** An .ics answer: `inline` for feeds, `attachment` for a single event's download. */
export function icsResponse(body: string, fileBase: string, disposition: 'inline' | 'attachment'): Response {
	return new Response(body, {
		status: 200,
		headers: { ...ICS_HEADERS, 'Content-Disposition': `${disposition}; filename="${icsFileName(fileBase)}"` }
	});
}

function textResponse(status: number, key: string, extra: Record<string, string> = {}): Response {
	return new Response(translate('de', key) + '\n', {
		status,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff', 'X-Robots-Tag': 'noindex, nofollow', 'Referrer-Policy': 'no-referrer', ...extra }
	});
}

/** A single event as a calendar file (add-to-calendar). */
export function singleEventResponse(event: CalendarEvent, now = new Date()): Response {
	return icsResponse(writeCalendar({ name: event.summary }, [event], { now }), event.summary, 'attachment');
}

/**
 * GET of a feed link. `tokenParam` is the path segment without ".ics". Unknown link or another
 * network's slug → 404; revoked link or ended membership → 410 (calendar apps stop polling);
 * too many fetches → 429.
 */
export async function calendarFeedResponse(slug: string, tokenParam: string, now = new Date()): Promise<Response> {
	const resolved = await resolveCalendarToken(tokenParam);
	if (!resolved.ok) {
		if (resolved.reason === 'revoked') return textResponse(410, 'calendar.feed.revoked');
		if (resolved.reason === 'membership_ended') return textResponse(410, 'calendar.feed.membershipEnded');
		return textResponse(404, 'calendar.feed.unknown');
	}
	if (resolved.slug !== slug) return textResponse(404, 'calendar.feed.unknown');
	const limit = await hit({ key: `calendar-feed:${resolved.tokenId}`, ...FEED_RATE_LIMIT }, now);
	if (!limit.allowed) {
		log.warn('calendar.feed_rate_limited', { tokenId: resolved.tokenId });
		return textResponse(429, 'calendar.feed.tooMany', { 'Retry-After': String(limit.retryAfter) });
	}
	const events = await collectEvents(resolved.actor, resolved.networkId, feedRange(now));
	const body = writeCalendar(
		{
			name: translate('de', 'calendar.feed.name', { network: resolved.networkName }),
			description: translate('de', 'calendar.feed.description', { network: resolved.networkName })
		},
		events,
		{ now }
	);
	await markCalendarTokenUsed(resolved.tokenId, now);
	return icsResponse(body, `klimanetz-${slug}`, 'inline');
}
