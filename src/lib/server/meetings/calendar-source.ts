// Meetings as calendar events: timed, in Europe/Berlin, with the place (venue, address, online
// link) as LOCATION, STATUS CONFIRMED or CANCELLED and SEQUENCE = meetings.sequence, so a moved
// or cancelled meeting replaces the copy in people's calendars. Used by the private feed (source
// 'meetings'), the per-meeting download and the invitation mails (meetingEvent).
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, meetings, networks } from '../db/schema';
import type { Actor } from '../auth/actor';
import { config } from '../config';
import { translate } from '$lib/i18n';
import { eventUid, type CalendarEvent } from '../calendar/ical';
import { registerCalendarSource, type CalendarRange } from '../calendar/sources';
import { canMeeting, canReadMeeting } from './permissions';
import { isUuid } from '../ids';
import type { Meeting } from './meetings';

export const MEETINGS_CALENDAR_SOURCE = 'meetings';

/** A feed lists at most this many meetings (a network meets a few times a year). */
const MAX_EVENTS = 2000;

const de = (key: string, params?: Record<string, string | number>) => translate('de', key, params);

export interface MeetingEventContext {
	/** The network's slug, for the meeting's address. */
	slug: string;
	/** The host municipality, if any. */
	host: { name: string } | null;
	/** Link to the public page instead of the internal one (for people outside the working area). */
	publicUrl?: boolean;
}

/** "Bunter Hof, Markt 1, 38835 Osterwieck, https://meet…" – what calendar apps show as the place. */
export function meetingLocation(m: Pick<Meeting, 'venueName' | 'venueAddress' | 'onlineUrl'>, host: { name: string } | null): string {
	const parts = [m.venueName.trim(), m.venueAddress.trim()].filter(Boolean);
	// Without an address the town tells people where to go.
	if (parts.length && !m.venueAddress.trim() && host && !m.venueName.includes(host.name)) parts.push(host.name);
	if (m.onlineUrl) parts.push(m.onlineUrl);
	return parts.join(', ');
}

/** The calendar event of a meeting. */
export function meetingEvent(m: Meeting, ctx: MeetingEventContext): CalendarEvent {
	const url = `${config.origin}/${ctx.slug}/${ctx.publicUrl ? '' : 'intern/'}treffen/${m.id}`;
	const lines: string[] = [];
	if (m.status === 'cancelled') lines.push(de('meetings.ics.cancelled'), '');
	if (ctx.host) lines.push(de('meetings.ics.host', { town: ctx.host.name }));
	if (m.onlineUrl) lines.push(de('meetings.ics.online', { url: m.onlineUrl }));
	if (m.description.trim()) lines.push('', m.description.trim());
	lines.push('', de('meetings.ics.more', { url }));
	return {
		uid: eventUid('meeting', m.id, new URL(config.origin).hostname),
		summary: m.status === 'cancelled' ? de('meetings.ics.cancelledSummary', { title: m.title }) : m.title,
		description: lines.join('\n').trim(),
		url,
		location: meetingLocation(m, ctx.host) || undefined,
		start: { dateTime: m.startsAt },
		end: { dateTime: m.endsAt },
		status: m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
		sequence: m.sequence,
		lastModified: m.updatedAt,
		categories: [de('calendar.source.meetings')]
	};
}

async function slugOf(networkId: string): Promise<string | null> {
	const [n] = await db().select({ slug: networks.slug }).from(networks).where(eq(networks.id, networkId));
	return n?.slug ?? null;
}

/** Meetings of the network that overlap the range and that the actor may see ([] for others). */
export async function meetingEvents(actor: Actor, networkId: string, range: CalendarRange): Promise<CalendarEvent[]> {
	const inArea = canMeeting(actor, 'meeting.read', { networkId });
	const slug = await slugOf(networkId);
	if (!slug) return [];
	const rows = await db()
		.select({ m: meetings, hostName: bodies.name })
		.from(meetings)
		.leftJoin(bodies, eq(bodies.id, meetings.hostBodyId))
		.where(
			and(
				eq(meetings.networkId, networkId),
				lt(meetings.startsAt, range.to),
				gte(meetings.endsAt, range.from),
				inArea ? undefined : eq(meetings.isPublic, true)
			)
		)
		.orderBy(asc(meetings.startsAt), asc(meetings.id))
		.limit(MAX_EVENTS);
	return rows.map((r) => meetingEvent(r.m, { slug, host: r.hostName ? { name: r.hostName } : null, publicUrl: !inArea }));
}

/** One meeting's event (add to calendar, invitation mails); null when unknown or not visible. */
export async function meetingEventFor(actor: Actor, networkId: string, meetingId: string): Promise<CalendarEvent | null> {
	if (!isUuid(meetingId)) return null;
	const [row] = await db()
		.select({ m: meetings, hostName: bodies.name, slug: networks.slug })
		.from(meetings)
		.innerJoin(networks, eq(networks.id, meetings.networkId))
		.leftJoin(bodies, eq(bodies.id, meetings.hostBodyId))
		.where(and(eq(meetings.id, meetingId), eq(meetings.networkId, networkId)));
	if (!row || !canReadMeeting(actor, row.m)) return null;
	const inArea = canMeeting(actor, 'meeting.read', { networkId });
	return meetingEvent(row.m, { slug: row.slug, host: row.hostName ? { name: row.hostName } : null, publicUrl: !inArea });
}

export function registerMeetingCalendarSource() {
	registerCalendarSource({
		id: MEETINGS_CALENDAR_SOURCE,
		labelKey: 'calendar.source.meetings',
		events: (actor, networkId, range) => meetingEvents(actor, networkId, range)
	});
}
