// An iCalendar (RFC 5545) writer for the calendar feeds and single-event downloads. No library:
// the format is small, and writing it ourselves keeps escaping, folding and time zones in view.
//
// - All-day events: DTSTART;VALUE=DATE with an exclusive DTEND (the day after the last day).
// - Timed events: local Berlin times with TZID=Europe/Berlin and a VTIMEZONE, so clients show the
//   right wall-clock time across daylight-saving changes. Instants in the hour that happens twice
//   (02:00–03:00 on the last Sunday of October) are written in UTC, as clients disagree on it.
// - Text: backslash, ';', ',' and newlines escaped; control characters dropped; lines end in CRLF
//   and are folded at 75 octets without splitting a UTF-8 character.

export const CALENDAR_TZ = 'Europe/Berlin';

/** An all-day date ('YYYY-MM-DD') or an instant. */
export type CalendarTime = { date: string } | { dateTime: Date };

export type CalendarEventStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';

export interface CalendarEvent {
	/** Globally unique and stable across feeds and downloads: use eventUid(type, id). */
	uid: string;
	summary: string;
	description?: string;
	/** An absolute http(s) address; anything else is left out. */
	url?: string;
	location?: string;
	start: CalendarTime;
	/**
	 * All-day: the LAST day, inclusive ({ date } like start; default = start) – the writer turns it
	 * into the exclusive DTEND. Timed: the end instant ({ dateTime }); left out = ends when it starts.
	 */
	end?: CalendarTime;
	/**
	 * Default CONFIRMED. CANCELLED is for an event its source still has but that won't take place
	 * (a cancelled meeting stays in the feed with CANCELLED and a raised sequence). Events whose
	 * record is gone (a deleted funding window, an archived programme) are NOT kept as CANCELLED:
	 * they simply leave the feed, and subscribed calendars drop them on their next fetch.
	 */
	status?: CalendarEventStatus;
	/** Raise it on every change of the event, so clients replace their copy. */
	sequence?: number;
	lastModified?: Date;
	categories?: string[];
	/** Whether the event blocks time in free/busy; default: all-day events do not, timed ones do. */
	transparent?: boolean;
}

export interface CalendarMeta {
	/** X-WR-CALNAME / NAME: the calendar's name in the client. */
	name: string;
	description?: string;
	/** How often clients should fetch the feed again (ISO 8601 duration), default PT1H. */
	refresh?: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "funding-window-<id>@klimanetz.example": stable per record, unique per installation. */
export function eventUid(type: string, id: string, host: string): string {
	const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '-');
	return `${clean(type)}-${clean(id)}@${clean(host) || 'localhost'}`;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Drops control characters (keeps line breaks, which escapeText turns into \n); lone surrogates become U+FFFD. */
export function stripControls(s: string): string {
	return s
		.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
		.replace(/\r\n?/g, '\n')
		.replace(/\t/g, ' ')
		.replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, '');
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
	return stripControls(s).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 20260329T013000Z */
export function formatUtc(d: Date): string {
	return (
		`${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
		`T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`
	);
}

const berlinParts = new Intl.DateTimeFormat('en-GB', {
	timeZone: CALENDAR_TZ,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

interface LocalTime {
	y: number;
	mo: number;
	d: number;
	h: number;
	mi: number;
	s: number;
}

/** The Berlin wall-clock time of an instant. */
export function berlinLocal(instant: Date): LocalTime {
	const p: Record<string, number> = {};
	for (const part of berlinParts.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
	return { y: p.year, mo: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second };
}

const sameLocal = (a: LocalTime, b: LocalTime) => a.y === b.y && a.mo === b.mo && a.d === b.d && a.h === b.h && a.mi === b.mi && a.s === b.s;

/** 20260329T033000 (no zone suffix) */
function formatLocal(l: LocalTime): string {
	return `${pad(l.y, 4)}${pad(l.mo)}${pad(l.d)}T${pad(l.h)}${pad(l.mi)}${pad(l.s)}`;
}

/**
 * Whether a Berlin local time names exactly one instant. In the repeated autumn hour it names two;
 * RFC 5545 §3.3.5 says clients take the first, but some (ical.js) take the second – so such
 * instants are written in UTC, which every client reads alike. Berlin is UTC+1 or UTC+2.
 */
function isUnambiguous(l: LocalTime): boolean {
	const asUtc = Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi, l.s);
	return [1, 2].filter((offsetHours) => sameLocal(berlinLocal(new Date(asUtc - offsetHours * 3600_000)), l)).length === 1;
}

function dateProp(name: string, t: CalendarTime, exclusiveEnd = false): string {
	if ('date' in t) {
		const m = DATE_RE.exec(t.date);
		if (!m) throw new Error(`invalid calendar date: ${t.date}`);
		let day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
		if (Number.isNaN(day.getTime())) throw new Error(`invalid calendar date: ${t.date}`);
		if (exclusiveEnd) day = new Date(day.getTime() + 86_400_000);
		return `${name};VALUE=DATE:${pad(day.getUTCFullYear(), 4)}${pad(day.getUTCMonth() + 1)}${pad(day.getUTCDate())}`;
	}
	const instant = new Date(Math.floor(t.dateTime.getTime() / 1000) * 1000);
	if (Number.isNaN(instant.getTime())) throw new Error('invalid calendar instant');
	const local = berlinLocal(instant);
	if (!isUnambiguous(local)) return `${name}:${formatUtc(instant)}`;
	return `${name};TZID=${CALENDAR_TZ}:${formatLocal(local)}`;
}

/** Only absolute http(s) addresses, normalised (no spaces or control characters left). */
function safeUrl(u: string | undefined): string | null {
	if (!u) return null;
	try {
		const parsed = new URL(u);
		if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
		return parsed.href;
	} catch {
		return null;
	}
}

// ---------------------------------------------------------------------------------------------
// Lines

/** Octets of one code point in UTF-8. */
const utf8Length = (ch: string) => {
	const cp = ch.codePointAt(0)!;
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
};

/** Folds a content line at 75 octets (continuations start with a space), never inside a character. */
export function foldLine(line: string): string {
	const out: string[] = [];
	let current = '';
	let bytes = 0;
	let limit = 75;
	for (const ch of line) {
		const n = utf8Length(ch);
		if (bytes + n > limit) {
			out.push(current);
			current = ' ';
			bytes = 1;
			limit = 75;
		}
		current += ch;
		bytes += n;
	}
	out.push(current);
	return out.join('\r\n');
}

const VTIMEZONE_BERLIN = [
	'BEGIN:VTIMEZONE',
	`TZID:${CALENDAR_TZ}`,
	`X-LIC-LOCATION:${CALENDAR_TZ}`,
	'BEGIN:DAYLIGHT',
	'TZOFFSETFROM:+0100',
	'TZOFFSETTO:+0200',
	'TZNAME:CEST',
	'DTSTART:19700329T020000',
	'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
	'END:DAYLIGHT',
	'BEGIN:STANDARD',
	'TZOFFSETFROM:+0200',
	'TZOFFSETTO:+0100',
	'TZNAME:CET',
	'DTSTART:19701025T030000',
	'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
	'END:STANDARD',
	'END:VTIMEZONE'
];

function eventLines(e: CalendarEvent, now: Date): string[] {
	const start = e.start;
	const allDay = 'date' in start;
	const lines = ['BEGIN:VEVENT', `UID:${escapeText(e.uid)}`, `DTSTAMP:${formatUtc(now)}`, dateProp('DTSTART', start)];
	if ('date' in start) {
		const last = e.end && 'date' in e.end && e.end.date >= start.date ? e.end : start;
		lines.push(dateProp('DTEND', last, true));
	} else if (e.end && 'dateTime' in e.end && e.end.dateTime.getTime() >= start.dateTime.getTime()) {
		lines.push(dateProp('DTEND', e.end));
	}
	lines.push(`SUMMARY:${escapeText(e.summary)}`);
	if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
	if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
	const url = safeUrl(e.url);
	if (url) lines.push(`URL:${url}`);
	if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(',')}`);
	lines.push(`STATUS:${e.status ?? 'CONFIRMED'}`);
	lines.push(`SEQUENCE:${Math.max(0, Math.floor(e.sequence ?? 0))}`);
	if (e.lastModified && !Number.isNaN(e.lastModified.getTime())) lines.push(`LAST-MODIFIED:${formatUtc(e.lastModified)}`);
	lines.push(`TRANSP:${(e.transparent ?? allDay) ? 'TRANSPARENT' : 'OPAQUE'}`);
	lines.push('END:VEVENT');
	return lines;
}

/** A whole VCALENDAR (feed or single-event download), CRLF line ends, folded. */
export function writeCalendar(meta: CalendarMeta, events: CalendarEvent[], opts: { now?: Date } = {}): string {
	const now = opts.now ?? new Date();
	const refresh = /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/.test(meta.refresh ?? '') && meta.refresh !== 'P' ? meta.refresh! : 'PT1H';
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Klimanetz//Kalender//DE',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`NAME:${escapeText(meta.name)}`,
		`X-WR-CALNAME:${escapeText(meta.name)}`,
		`X-WR-TIMEZONE:${CALENDAR_TZ}`,
		`REFRESH-INTERVAL;VALUE=DURATION:${refresh}`,
		`X-PUBLISHED-TTL:${refresh}`
	];
	if (meta.description) {
		lines.push(`DESCRIPTION:${escapeText(meta.description)}`, `X-WR-CALDESC:${escapeText(meta.description)}`);
	}
	if (events.some((e) => 'dateTime' in e.start)) lines.push(...VTIMEZONE_BERLIN);
	for (const e of events) lines.push(...eventLines(e, now));
	lines.push('END:VCALENDAR');
	return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** A file name for Content-Disposition: letters, digits and dashes only. */
export function icsFileName(base: string): string {
	const s = base
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ß/g, 'ss')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return `${s || 'kalender'}.ics`;
}
