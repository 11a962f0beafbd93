// Meeting times in words, in Berlin time: "Dienstag, 14. April 2026, 9:30 Uhr" and
// "Dienstag, 16. Juni 2026, 10:00–14:00 Uhr". Pure (no server code), so pages, mails and the
// server helpers in meetings/time.ts share it.
import { getLocale, translate, type Locale } from '$lib/i18n';

const TZ = 'Europe/Berlin';
const tag = (l: Locale) => (l === 'de' ? 'de-DE' : 'en-GB');

const hm = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

function toDate(v: Date | string): Date {
	return typeof v === 'string' ? new Date(v) : v;
}

/** "09:30" – the Berlin wall-clock time of an instant (as a time input's value). */
export function berlinTimeValue(instant: Date | string): string {
	const parts = Object.fromEntries(hm.formatToParts(toDate(instant)).map((p) => [p.type, p.value]));
	return `${parts.hour}:${parts.minute}`;
}

/** "2026-04-14" – the Berlin calendar day of an instant (as a date input's value). */
export function berlinDateValue(instant: Date | string): string {
	return ymd.format(toDate(instant));
}

/** "9:30" (no leading zero), as Germans write clock times. */
export function clockText(instant: Date | string): string {
	return berlinTimeValue(instant).replace(/^0(\d)/, '$1');
}

/** "Dienstag, 14. April 2026" */
export function dayText(instant: Date | string, locale: Locale = getLocale()): string {
	return new Intl.DateTimeFormat(tag(locale), { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(toDate(instant));
}

/** "Dienstag, 14. April 2026, 9:30 Uhr" */
export function formatBerlin(instant: Date | string, locale: Locale = getLocale()): string {
	return translate(locale, 'meetings.time.at', { day: dayText(instant, locale), time: clockText(instant) });
}

/**
 * "Dienstag, 16. Juni 2026, 10:00–14:00 Uhr"; across days
 * "Dienstag, 16. Juni 2026, 10:00 Uhr – Mittwoch, 17. Juni 2026, 14:00 Uhr".
 */
export function formatMeetingTime(start: Date | string, end: Date | string, locale: Locale = getLocale()): string {
	if (berlinDateValue(start) === berlinDateValue(end)) {
		return translate(locale, 'meetings.time.range', { day: dayText(start, locale), from: clockText(start), to: clockText(end) });
	}
	return translate(locale, 'meetings.time.span', { from: formatBerlin(start, locale), to: formatBerlin(end, locale) });
}

/** "2 Std. 30 Min.", "45 Min.", "3 Std." */
export function durationText(minutes: number, locale: Locale = getLocale()): string {
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	if (h && m) return translate(locale, 'meetings.duration.hm', { h, m });
	if (h) return translate(locale, 'meetings.duration.h', { h });
	return translate(locale, 'meetings.duration.m', { m });
}
