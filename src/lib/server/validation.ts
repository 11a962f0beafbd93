// Shared zod helpers. Error messages are message keys (messages/*/validation.json), translated
// beside the field in the UI.
import { z } from 'zod';
import { ValidationError } from './errors';

export const trimmed = (max: number) =>
	z
		.string({ error: 'validation.required' })
		.trim()
		.max(max, { error: 'validation.tooLong' });

export const requiredText = (max: number) => trimmed(max).min(1, { error: 'validation.required' });

export const optionalText = (max: number) => trimmed(max).default('');

export const email = z
	.string({ error: 'validation.required' })
	.trim()
	.toLowerCase()
	.min(1, { error: 'validation.required' })
	.max(254, { error: 'validation.tooLong' })
	.pipe(z.email({ error: 'validation.email' }));

export const httpUrl = z
	.string()
	.trim()
	.max(500, { error: 'validation.tooLong' })
	.default('')
	.refine((s) => s === '' || /^https?:\/\/[^\s<>"]+\.[^\s<>"]+$/i.test(s), { error: 'validation.url' });

/** Parses form data with a schema; throws ValidationError with the first message per field. */
/** NUL can't be stored in PostgreSQL text and is never meant: it is dropped from all input. */
function withoutNul(v: unknown): unknown {
	if (typeof v === 'string') return v.replace(/\u0000/g, '');
	if (Array.isArray(v)) return v.map(withoutNul);
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutNul(x)]));
	return v;
}

export function parseForm<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const r = schema.safeParse(withoutNul(input));
	if (r.success) return r.data;
	const errors: Record<string, string> = {};
	for (const issue of r.error.issues) {
		const field = String(issue.path[0] ?? '_form');
		errors[field] ??= issue.message;
	}
	throw new ValidationError(errors);
}

/** FormData → plain object; repeated keys become arrays. */
export function formObject(data: FormData): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [k, v] of data) {
		if (typeof v !== 'string') continue;
		const prev = out[k];
		out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
	}
	return out;
}

/**
 * The version an edit form was loaded with (hidden field `version`, or `key`), for lost-update
 * guards: a whole number ≥ 0, or null when the field is missing, empty or malformed. Services refuse
 * null (a form without its version would silently overwrite someone else's save) with their own
 * `<module>.versionMissing` message, and compare the number with the stored one.
 */
export function parseVersion(input: unknown, key = 'version'): number | null {
	const raw = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
	const v = Array.isArray(raw) ? raw[0] : raw;
	if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
	if (typeof v !== 'string' || !/^\d{1,15}$/.test(v.trim())) return null;
	return Number(v.trim());
}
