import { describe, expect, it } from 'vitest';
import { berlinDateValue, berlinTimeCheck, berlinToUtc, durationText, formatBerlin, formatMeetingTime, parseTimeInput } from './time';

describe('berlinToUtc', () => {
	it('winter (CET, UTC+1) and summer (CEST, UTC+2)', () => {
		expect(berlinToUtc('2026-01-14', '09:30')?.toISOString()).toBe('2026-01-14T08:30:00.000Z');
		expect(berlinToUtc('2026-06-16', '10:00')?.toISOString()).toBe('2026-06-16T08:00:00.000Z');
	});
	it('on the days of the change: 29 March and 25 October 2026, 10:00', () => {
		expect(berlinToUtc('2026-03-29', '10:00')?.toISOString()).toBe('2026-03-29T08:00:00.000Z');
		expect(berlinToUtc('2026-03-29', '01:59')?.toISOString()).toBe('2026-03-29T00:59:00.000Z');
		expect(berlinToUtc('2026-10-25', '10:00')?.toISOString()).toBe('2026-10-25T09:00:00.000Z');
		expect(berlinToUtc('2026-10-24', '10:00')?.toISOString()).toBe('2026-10-24T08:00:00.000Z');
	});
	it('the spring gap moves forward; the repeated autumn hour takes its first occurrence', () => {
		expect(berlinTimeCheck('2026-03-29', '02:30')).toBe('gap');
		// 02:30 does not exist: read as 03:30 CEST = 01:30 UTC.
		expect(berlinToUtc('2026-03-29', '02:30')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
		expect(berlinTimeCheck('2026-10-25', '02:30')).toBe('ambiguous');
		expect(berlinToUtc('2026-10-25', '02:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
		expect(berlinTimeCheck('2026-10-25', '03:00')).toBe('ok');
		expect(berlinToUtc('2026-10-25', '03:00')?.toISOString()).toBe('2026-10-25T02:00:00.000Z');
	});
	it('refuses malformed and impossible input', () => {
		for (const [d, t] of [
			['2026-02-30', '10:00'],
			['2026-13-01', '10:00'],
			['14.04.2026', '10:00'],
			['2026-04-14', '24:00'],
			['2026-04-14', '9:30'],
			['', ''],
			["2026-04-14'; drop table meetings;--", '10:00']
		]) {
			expect(berlinToUtc(d, t)).toBeNull();
			expect(berlinTimeCheck(d, t)).toBe('invalid');
		}
	});
	it('round-trips every quarter hour of a year', () => {
		for (let day = new Date(Date.UTC(2026, 0, 1)); day.getUTCFullYear() === 2026; day = new Date(day.getTime() + 86_400_000)) {
			const iso = day.toISOString().slice(0, 10);
			for (const t of ['00:00', '01:45', '02:15', '03:00', '12:00', '23:45']) {
				const u = berlinToUtc(iso, t)!;
				if (berlinTimeCheck(iso, t) === 'gap') continue;
				expect(berlinDateValue(u)).toBe(iso);
			}
		}
	});
});

describe('parseTimeInput', () => {
	it.each([
		['9:30', '09:30'],
		['09:30', '09:30'],
		['9.30', '09:30'],
		['9 Uhr', '09:00'],
		['9:30 Uhr', '09:30'],
		['09:30:00', '09:30'],
		['23:59', '23:59'],
		['24:00', null],
		['9:60', null],
		['abc', null],
		['<script>', null],
		['', null]
	])('%s → %s', (raw, expected) => {
		expect(parseTimeInput(raw)).toBe(expected);
	});
});

describe('formatting', () => {
	it('German day and time in Berlin time', () => {
		expect(formatBerlin(new Date('2026-04-14T07:30:00Z'), 'de')).toBe('Dienstag, 14. April 2026, 9:30 Uhr');
		expect(formatMeetingTime(new Date('2026-06-16T08:00:00Z'), new Date('2026-06-16T12:00:00Z'), 'de')).toBe('Dienstag, 16. Juni 2026, 10:00–14:00 Uhr');
		expect(formatMeetingTime(new Date('2026-06-16T08:00:00Z'), new Date('2026-06-17T12:00:00Z'), 'de')).toBe(
			'Dienstag, 16. Juni 2026, 10:00 Uhr – Mittwoch, 17. Juni 2026, 14:00 Uhr'
		);
		// Winter time: 10:00 CET = 09:00 UTC.
		expect(formatBerlin(new Date('2026-10-25T09:00:00Z'), 'de')).toBe('Sonntag, 25. Oktober 2026, 10:00 Uhr');
	});
	it('durations', () => {
		expect(durationText(150, 'de')).toBe('2 Std. 30 Min.');
		expect(durationText(120, 'de')).toBe('2 Std.');
		expect(durationText(45, 'de')).toBe('45 Min.');
	});
});
