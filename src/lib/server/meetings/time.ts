// Meeting times: forms take a date and a clock time in Europe/Berlin; the database keeps instants.
// berlinToUtc is correct across daylight-saving changes:
// - the spring gap (last Sunday of March, 02:00–02:59 does not exist) → moved forward by the
//   gap, as clocks do ("02:30" → 03:30 CEST); berlinTimeCheck says 'gap' so forms can refuse it;
// - the autumn repeat (last Sunday of October, 02:00–02:59 happens twice) → the first occurrence
//   (CEST), as RFC 5545 §3.3.5 prescribes; berlinTimeCheck says 'ambiguous'.
// The reverse direction (instant → Berlin wall clock) is calendar/ical.ts berlinLocal.
import { berlinLocal } from '../calendar/ical';

export { berlinDateValue, berlinTimeValue, clockText, dayText, durationText, formatBerlin, formatMeetingTime } from '$lib/components/meetings/format';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parts(dateIso: string, hhmm: string) {
	const d = DATE_RE.exec(dateIso);
	const t = TIME_RE.exec(hhmm);
	if (!d || !t) return null;
	const [y, mo, day, h, mi] = [+d[1], +d[2], +d[3], +t[1], +t[2]];
	const check = new Date(Date.UTC(y, mo - 1, day));
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== day) return null;
	return { y, mo, d: day, h, mi };
}

type Resolution = { kind: 'ok' | 'gap' | 'ambiguous'; instant: Date };

function resolve(dateIso: string, hhmm: string): Resolution | null {
	const p = parts(dateIso, hhmm);
	if (!p) return null;
	const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi);
	// Berlin is UTC+1 (CET) or UTC+2 (CEST): try both offsets, earliest instant first.
	const matches = [2, 1]
		.map((offset) => new Date(asUtc - offset * 3600_000))
		.filter((instant) => {
			const l = berlinLocal(instant);
			return l.y === p.y && l.mo === p.mo && l.d === p.d && l.h === p.h && l.mi === p.mi;
		});
	if (matches.length === 2) return { kind: 'ambiguous', instant: matches[0] };
	if (matches.length === 1) return { kind: 'ok', instant: matches[0] };
	// In the spring gap: read with the offset before the change (CET), which lands one hour later on the wall clock.
	return { kind: 'gap', instant: new Date(asUtc - 3600_000) };
}

/**
 * The instant of a Berlin date ('2026-04-14') and clock time ('09:30'); null for a malformed or
 * impossible date/time. Times in the spring gap move forward, repeated autumn times take the first.
 */
export function berlinToUtc(dateIso: string, hhmm: string): Date | null {
	return resolve(dateIso, hhmm)?.instant ?? null;
}

/** 'ok', 'gap' (does not exist that day), 'ambiguous' (happens twice) or 'invalid'. */
export function berlinTimeCheck(dateIso: string, hhmm: string): 'ok' | 'gap' | 'ambiguous' | 'invalid' {
	return resolve(dateIso, hhmm)?.kind ?? 'invalid';
}

/**
 * A clock time as typed: "9:30", "09:30", "9.30", "9 Uhr", "9:30 Uhr", "09:30:00" (time inputs
 * with seconds) → "09:30"; null when it is not a time of day.
 */
export function parseTimeInput(raw: string): string | null {
	const s = raw.trim().replace(/\s*uhr$/i, '');
	const m = /^(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?$/.exec(s);
	if (!m) return null;
	const h = Number(m[1]);
	const mi = m[2] === undefined ? 0 : Number(m[2]);
	if (h > 23 || mi > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return null;
	return `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
}
