// Helpers shared by the directory services (bodies, people, partners): form-field parsing that
// collects one message key per field, German number and date input, today's date in Germany.
import { z } from 'zod';
import { ValidationError } from '../errors';
import { isUuid as isUuidFn } from '../ids';

export { isUuid } from '../ids';
export { pageOpts } from '../paging';

/** Today's date in Germany as YYYY-MM-DD (tenures and resolutions are dated in local time). */
export function todayIso(now: Date = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function currentYear(now: Date = new Date()): number {
	return Number(todayIso(now).slice(0, 4));
}

/** Form input → string: arrays give their first value, numbers their digits, missing gives ''. */
function asString(v: unknown): string {
	if (Array.isArray(v)) return asString(v[0]);
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	// NUL can't be stored in PostgreSQL text and is never meant: drop it.
	if (typeof v === 'string') return v.replace(/\u0000/g, '');
	return '';
}

export type Shape = Record<string, z.ZodType>;
export type Parsed<S extends Shape> = { [K in keyof S]: z.output<S[K]> };

/**
 * Parses each field on its own, so every bad field gets its message at once; cross-field rules
 * then add theirs via `check`. Throws ValidationError with one message key per field.
 */
export function parseFields<S extends Shape>(
	shape: S,
	input: unknown,
	check?: (data: Partial<Parsed<S>>, errors: Record<string, string>) => void
): Parsed<S> {
	const obj = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
	const data: Partial<Parsed<S>> = {};
	const errors: Record<string, string> = {};
	for (const key of Object.keys(shape) as (keyof S & string)[]) {
		const r = shape[key].safeParse(asString(obj[key]));
		if (r.success) data[key] = r.data as Parsed<S>[typeof key];
		else errors[key] = r.error.issues[0]?.message ?? 'dir.invalid';
	}
	check?.(data, errors);
	if (Object.keys(errors).length) throw new ValidationError(errors);
	return data as Parsed<S>;
}

// `as const`: only limits with a message compile (an unlisted one would fall back to zod's English).
const LIMIT_KEYS = {
	50: 'dir.tooLong50',
	200: 'dir.tooLong200',
	500: 'dir.tooLong500',
	2000: 'dir.tooLong2000',
	5000: 'dir.tooLong5000',
	20000: 'dir.tooLong20000'
} as const;

/** Trimmed text; '' when optional and empty. The limit's message says how long it may be. */
export function text(max: keyof typeof LIMIT_KEYS & number, required = false) {
	const s = z.string().trim().max(max, { error: LIMIT_KEYS[max] });
	return required ? s.min(1, { error: 'validation.required' }) : s;
}

/** Optional text that is stored as null when empty. */
export function nullableText(max: keyof typeof LIMIT_KEYS & number) {
	return text(max).transform((s) => (s === '' ? null : s));
}

/**
 * A number typed the German way ("1.234,5", "86,72") or the English way ("86.72"). Integers may
 * carry dots as thousands separators ("208.804"); in decimals a lone dot is the decimal point.
 */
export function parseLocaleNumber(raw: string, integer: boolean, grouped = integer): number | null {
	let s = raw.replace(/[\s\u00a0\u202f]/g, '');
	if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
	else if (grouped && /^-?\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
	if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
	const n = Number(s);
	if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return null;
	return n;
}

/**
 * Optional number in a range; any failure gives the field's own message key. `grouped`: amounts
 * (euros, tonnes) where "25.000" means twenty-five thousand, as Germans type it; leave it off where
 * an English decimal point is likely (coordinates: "51.817").
 */
export function number(opts: { min: number; max: number; minExclusive?: boolean; integer?: boolean; grouped?: boolean; key: string }) {
	return z
		.string()
		.trim()
		.transform((s, ctx) => {
			if (s === '') return null;
			const n = parseLocaleNumber(s, !!opts.integer, opts.grouped ?? !!opts.integer);
			if (n === null || n > opts.max || (opts.minExclusive ? n <= opts.min : n < opts.min)) {
				ctx.addIssue({ code: 'custom', message: opts.key });
				return z.NEVER;
			}
			return n;
		});
}

/** ISO date string of a real calendar day, or null. */
function toIsoDate(y: number, m: number, d: number): string | null {
	if (y < 1900 || y > 2100) return null;
	const dt = new Date(Date.UTC(y, m - 1, d));
	if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
	return dt.toISOString().slice(0, 10);
}

/** Optional date: "2024-06-01" (date picker) or "1.6.2024" / "01.06.2024" (typed). Null when empty. */
export const date = z
	.string()
	.trim()
	.transform((s, ctx) => {
		if (s === '') return null;
		let iso: string | null = null;
		let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
		if (m) iso = toIsoDate(+m[1], +m[2], +m[3]);
		else if ((m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s))) iso = toIsoDate(+m[3], +m[2], +m[1]);
		if (!iso) {
			ctx.addIssue({ code: 'custom', message: 'dir.date' });
			return z.NEVER;
		}
		return iso;
	});

/** One value of a fixed list; anything else gets 'validation.choice'. */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
	return z
		.string()
		.trim()
		.refine((s): s is T[number] => (values as readonly string[]).includes(s), { error: 'validation.choice' })
		.transform((s) => s as T[number]);
}

// Shared by the meeting and activity services (forms with an optional person/body picker and
// check boxes); kept here so each module stops keeping its own copy.

/** An optional id from a select: '' → null, a uuid stays, anything else gets the message `key`. */
export function optionalUuid(key: string) {
	return z
		.string()
		.trim()
		.refine((s) => s === '' || isUuidFn(s), { error: key })
		.transform((s) => (s === '' ? null : s));
}

/** A check box: checked ("on", "true", "1") → true; missing or anything else → false. */
export const checkboxValue = z.string().transform((s) => s === 'on' || s === 'true' || s === '1');

/** Escapes LIKE wildcards in a search term. */
export function likePattern(q: string): string {
	return '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** Unique-constraint violations on both drivers (node-postgres and PGlite, possibly wrapped by Drizzle). */
export function isUniqueViolation(e: unknown): boolean {
	let cur: unknown = e;
	for (let i = 0; i < 4 && cur; i++) {
		if (typeof cur === 'object' && (cur as { code?: unknown }).code === '23505') return true;
		cur = (cur as { cause?: unknown }).cause;
	}
	return false;
}


export { ValidationError };
