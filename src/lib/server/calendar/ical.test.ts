// The writer's output read back by ical.js (the parser Thunderbird uses), not by our own code.
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { berlinLocal, escapeText, eventUid, foldLine, icsFileName, writeCalendar, type CalendarEvent } from './ical';

const NOW = new Date('2026-01-15T10:00:00Z');

/** A DATE-TIME property as a JS Date. */
function instantOf(c: ICAL.Component, name: string): Date {
	return (c.getFirstPropertyValue(name) as ICAL.Time).toJSDate();
}

function parse(text: string) {
	const cal = new ICAL.Component(ICAL.parse(text));
	return { cal, events: cal.getAllSubcomponents('vevent').map((c) => ({ comp: c, ev: new ICAL.Event(c) })) };
}

const deadline = (over: Partial<CalendarEvent> = {}): CalendarEvent => ({
	uid: eventUid('funding-window', '7b0c', 'klimanetz.example'),
	summary: 'Frist: Kommunalrichtlinie (4.1.8)',
	description: 'Förderquote 70 %',
	url: 'https://klimanetz.example/harz/intern/foerderung/abc',
	start: { date: '2026-03-31' },
	sequence: 2,
	lastModified: new Date('2026-01-10T08:30:00Z'),
	...over
});

describe('iCalendar writer', () => {
	it('writes the calendar header and an all-day deadline with an exclusive end', () => {
		const text = writeCalendar({ name: 'Klimanetz Harz – Fristen' }, [deadline()], { now: NOW });
		expect(text.endsWith('\r\n')).toBe(true);
		expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		const { cal, events } = parse(text);
		expect(cal.getFirstPropertyValue('version')).toBe('2.0');
		expect(cal.getFirstPropertyValue('prodid')).toBe('-//Klimanetz//Kalender//DE');
		expect(cal.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
		expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
		expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Klimanetz Harz – Fristen');
		expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
		expect(text).toContain('X-PUBLISHED-TTL:PT1H\r\n');
		// No timed events: no time zone block needed.
		expect(cal.getFirstSubcomponent('vtimezone')).toBeNull();
		expect(events).toHaveLength(1);
		const { ev, comp } = events[0];
		expect(ev.uid).toBe('funding-window-7b0c@klimanetz.example');
		expect(ev.summary).toBe('Frist: Kommunalrichtlinie (4.1.8)');
		expect(ev.startDate.isDate).toBe(true);
		expect(ev.startDate.toString()).toBe('2026-03-31');
		expect(ev.endDate.isDate).toBe(true);
		expect(ev.endDate.toString()).toBe('2026-04-01');
		expect(text).toContain('DTSTART;VALUE=DATE:20260331\r\n');
		expect(text).toContain('DTEND;VALUE=DATE:20260401\r\n');
		expect(comp.getFirstPropertyValue('url')).toBe('https://klimanetz.example/harz/intern/foerderung/abc');
		expect(comp.getFirstPropertyValue('status')).toBe('CONFIRMED');
		expect(ev.sequence).toBe(2);
		expect(instantOf(comp, 'dtstamp').toISOString()).toBe(NOW.toISOString());
		expect(instantOf(comp, 'last-modified').toISOString()).toBe('2026-01-10T08:30:00.000Z');
		expect(comp.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
	});

	it('a span of days ends the day after its last day; month and year ends roll over', () => {
		const text = writeCalendar({ name: 'x' }, [deadline({ start: { date: '2026-12-30' }, end: { date: '2026-12-31' } })], { now: NOW });
		const { ev } = parse(text).events[0];
		expect(ev.startDate.toString()).toBe('2026-12-30');
		expect(ev.endDate.toString()).toBe('2027-01-01');
		expect(() => writeCalendar({ name: 'x' }, [deadline({ start: { date: '31.03.2026' } })])).toThrow();
	});

	it('timed events are written in Berlin time with a VTIMEZONE; an event across the spring change keeps its instants', () => {
		// 29 March 2026: clocks jump from 02:00 CET to 03:00 CEST.
		// 01:30 Berlin (CET, UTC+1) = 00:30 UTC; 04:30 Berlin (CEST, UTC+2) = 02:30 UTC.
		const start = new Date('2026-03-29T00:30:00Z');
		const end = new Date('2026-03-29T02:30:00Z');
		const text = writeCalendar(
			{ name: 'Sitzungen' },
			[{ uid: eventUid('meeting', 'm1', 'klimanetz.example'), summary: 'Nachtsitzung', start: { dateTime: start }, end: { dateTime: end }, location: 'Rathaus, Saal 2' }],
			{ now: NOW }
		);
		expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260329T013000\r\n');
		expect(text).toContain('DTEND;TZID=Europe/Berlin:20260329T043000\r\n');
		const { cal, events } = parse(text);
		const tz = cal.getFirstSubcomponent('vtimezone')!;
		expect(tz.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
		expect(tz.getAllSubcomponents('daylight')).toHaveLength(1);
		expect(tz.getAllSubcomponents('standard')).toHaveLength(1);
		const { ev } = events[0];
		expect(ev.startDate.toJSDate().toISOString()).toBe(start.toISOString());
		expect(ev.endDate.toJSDate().toISOString()).toBe(end.toISOString());
		expect(ev.location).toBe('Rathaus, Saal 2');
		expect(events[0].comp.getFirstPropertyValue('transp')).toBe('OPAQUE');
	});

	it('converts summer, winter and the autumn change correctly; the repeated hour is written in UTC', () => {
		const cases = [
			'2026-07-01T16:00:00Z', // 18:00 CEST
			'2026-12-01T17:00:00Z', // 18:00 CET
			'2026-10-25T00:30:00Z', // 02:30 CEST, first pass
			'2026-10-25T01:30:00Z', // 02:30 CET, second pass: only UTC names it
			'2026-10-25T02:30:00Z' // 03:30 CET
		];
		const evs: CalendarEvent[] = cases.map((iso, i) => ({ uid: `t${i}@x`, summary: `t${i}`, start: { dateTime: new Date(iso) } }));
		const text = writeCalendar({ name: 'x' }, evs, { now: NOW });
		expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260701T180000');
		expect(text).toContain('DTSTART;TZID=Europe/Berlin:20261201T180000');
		expect(text).toContain('DTSTART:20261025T003000Z');
		expect(text).toContain('DTSTART:20261025T013000Z');
		expect(text).toContain('DTSTART;TZID=Europe/Berlin:20261025T033000');
		const parsed = parse(text).events.map((e) => e.ev.startDate.toJSDate().toISOString());
		expect(parsed).toEqual(cases.map((c) => new Date(c).toISOString()));
		expect(berlinLocal(new Date('2026-03-29T01:00:00Z'))).toMatchObject({ h: 3, mi: 0 });
	});

	it('a cancelled event keeps its UID with STATUS:CANCELLED and a raised SEQUENCE', () => {
		const before = parse(writeCalendar({ name: 'x' }, [deadline({ sequence: 3 })], { now: NOW })).events[0];
		const after = parse(writeCalendar({ name: 'x' }, [deadline({ sequence: 4, status: 'CANCELLED' })], { now: NOW })).events[0];
		expect(after.ev.uid).toBe(before.ev.uid);
		expect(after.comp.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(after.ev.sequence).toBeGreaterThan(before.ev.sequence);
	});

	it('escapes ; , \\ and newlines, drops control characters and folds without splitting characters', () => {
		const summary = 'Frist; Kommunen, Büro\\Amt';
		const description = 'Zeile 1\nZeile 2\r\nZeile 3\u0000\u0007\u001b – ' + 'Förderung für Grünflächen 🌳🌍 '.repeat(12) + 'Ende';
		const text = writeCalendar({ name: 'Fristen; Harz, Süd' }, [deadline({ summary, description })], { now: NOW });
		for (const line of text.split('\r\n')) {
			expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
			// A split UTF-8 sequence would decode to U+FFFD.
			expect(Buffer.from(line, 'utf8').toString('utf8')).not.toContain('\uFFFD');
		}
		// Folding happened, and continuation lines start with one space.
		expect(text).toMatch(/\r\n [^ ]/);
		expect(text).toContain('SUMMARY:Frist\\; Kommunen\\, Büro\\\\Amt');
		const bytes = Buffer.from(text, 'utf8');
		expect(bytes.toString('utf8')).toBe(text);
		const { cal, events } = parse(text);
		// ical.js knows neither X-WR-CALNAME nor NAME (RFC 7986) and leaves them escaped.
		expect(text).toContain('X-WR-CALNAME:Fristen\\; Harz\\, Süd\r\n');
		expect(cal.getFirstPropertyValue('name')).toBe('Fristen\\; Harz\\, Süd');
		expect(events[0].ev.summary).toBe(summary);
		expect(events[0].ev.description).toBe(
			'Zeile 1\nZeile 2\nZeile 3 – ' + 'Förderung für Grünflächen 🌳🌍 '.repeat(12) + 'Ende'
		);
	});

	it('folds at exactly 75 octets and keeps multi-byte characters whole at the boundary', () => {
		const line = 'DESCRIPTION:' + 'a'.repeat(62) + '€€€';
		const folded = foldLine(line).split('\r\n');
		expect(Buffer.byteLength(folded[0])).toBeLessThanOrEqual(75);
		expect(folded[0].endsWith('a€') || folded[0].endsWith('a')).toBe(true);
		expect(folded.slice(1).every((l) => l.startsWith(' '))).toBe(true);
		expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
		expect(foldLine('short')).toBe('short');
		expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
		expect(foldLine('x'.repeat(76))).toBe('x'.repeat(75) + '\r\n x');
	});

	it('script payloads stay text; non-http URLs are left out', () => {
		const payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
		const text = writeCalendar(
			{ name: payload },
			[deadline({ summary: payload, description: payload, location: payload, url: 'javascript:alert(1)' })],
			{ now: NOW }
		);
		const { cal, events } = parse(text);
		expect(cal.getFirstPropertyValue('name')).toBe(payload);
		expect(events[0].ev.summary).toBe(payload);
		expect(events[0].ev.description).toBe(payload);
		expect(events[0].ev.location).toBe(payload);
		expect(events[0].comp.getFirstPropertyValue('url')).toBeNull();
		expect(text).not.toContain('javascript:');
		// A payload cannot start a property or component of its own.
		const injected = writeCalendar({ name: 'x' }, [deadline({ summary: 'a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:evil' })], { now: NOW });
		expect(parse(injected).events).toHaveLength(1);
		expect(escapeText('a\r\nb')).toBe('a\\nb');
	});

	it('a 1 MB description still produces valid output', () => {
		const text = writeCalendar({ name: 'x' }, [deadline({ description: 'ä'.repeat(1_000_000) })], { now: NOW });
		expect(parse(text).events[0].ev.description).toHaveLength(1_000_000);
	});

	it('names files and UIDs safely', () => {
		expect(icsFileName('Frist: Kommunalrichtlinie (4.1.8) – Straße')).toBe('Frist-Kommunalrichtlinie-4-1-8-Strasse.ics');
		expect(icsFileName('"; evil')).toBe('evil.ics');
		expect(icsFileName('')).toBe('kalender.ics');
		expect(eventUid('funding-window', 'a b;c', 'klimanetz.example')).toBe('funding-window-a-b-c@klimanetz.example');
	});
});
