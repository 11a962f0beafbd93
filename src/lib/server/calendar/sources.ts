// Calendar sources: each module that has dated things (funding deadlines now, meetings later)
// registers a source once at start-up; feeds and pages collect the events of all sources or some.
// A source checks permissions itself and returns only what the actor may see ([] otherwise); it
// never throws ForbiddenError, so one module's rules can't break another module's events.
import type { Actor } from '../auth/actor';
import { berlinLocal, type CalendarEvent } from './ical';

export interface CalendarRange {
	/** Inclusive. */
	from: Date;
	/** Exclusive. */
	to: Date;
}

export interface CalendarSource {
	/** Stable id, e.g. 'funding' or 'meetings'. */
	id: string;
	/** Message key naming the source, e.g. 'calendar.source.funding'. */
	labelKey: string;
	/**
	 * The events of the network in the range that the actor may see. What a source no longer
	 * returns disappears from subscribed calendars at their next fetch; use status CANCELLED only for
	 * events the source still has (see CalendarEvent.status).
	 */
	events(actor: Actor, networkId: string, range: CalendarRange): Promise<CalendarEvent[]>;
}

const sources = new Map<string, CalendarSource>();

/** Registers (or, on a second start-up in the same process, replaces) a source. */
export function registerCalendarSource(source: CalendarSource) {
	sources.set(source.id, source);
}

export function calendarSources(): CalendarSource[] {
	return [...sources.values()];
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Sort key in Berlin time: an all-day event comes before the timed events of its day. */
function startKey(e: CalendarEvent): string {
	if ('date' in e.start) return `${e.start.date}T`;
	const l = berlinLocal(e.start.dateTime);
	return `${l.y}-${p2(l.mo)}-${p2(l.d)}T${p2(l.h)}:${p2(l.mi)}:${p2(l.s)}`;
}

/**
 * The events of every registered source (or only `sourceIds`), sorted by start. A failing source
 * fails the whole call: a feed missing events would make calendar clients delete them.
 */
export async function collectEvents(actor: Actor, networkId: string, range: CalendarRange, sourceIds?: string[]): Promise<CalendarEvent[]> {
	const chosen = calendarSources().filter((s) => !sourceIds || sourceIds.includes(s.id));
	const lists = await Promise.all(chosen.map((s) => s.events(actor, networkId, range)));
	const seen = new Set<string>();
	const out: CalendarEvent[] = [];
	for (const e of lists.flat()) {
		if (seen.has(e.uid)) continue;
		seen.add(e.uid);
		out.push(e);
	}
	return out.sort((a, b) => (startKey(a) < startKey(b) ? -1 : startKey(a) > startKey(b) ? 1 : a.uid < b.uid ? -1 : 1));
}
