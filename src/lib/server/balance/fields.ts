// Form-field rules shared by the balance services: years, checkboxes, non-negative amounts, and
// loading a body of the network (404 for a body of another network).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies } from '../db/schema';
import { NotFoundError } from '../errors';
import { currentYear, isUuid, parseLocaleNumber } from '../network/directory-shared';

/** Balances start with the KSG's reference year; next year's may be entered ahead (a plan). */
export const FIRST_YEAR = 1990;
export const lastYear = () => currentYear() + 1;

/** A year from 1990 to next year; anything else (1850, 2300, "zwanzig") gets the field's message. */
export function year(key = 'balance.yearRange', opts: { required?: boolean; min?: number; max?: () => number } = {}) {
	const required = opts.required ?? true;
	return z
		.string()
		.trim()
		.transform((s, ctx) => {
			if (s === '') {
				if (!required) return null;
				ctx.addIssue({ code: 'custom', message: 'validation.required' });
				return z.NEVER;
			}
			const n = /^\d{1,4}$/.test(s) ? Number(s) : NaN;
			if (!Number.isInteger(n) || n < (opts.min ?? FIRST_YEAR) || n > (opts.max ?? lastYear)()) {
				ctx.addIssue({ code: 'custom', message: key });
				return z.NEVER;
			}
			return n;
		});
}

/** A year given as a route or function argument; null when it is not a year the module accepts. */
export function yearArg(v: unknown): number | null {
	const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{4}$/.test(v.trim()) ? Number(v) : NaN;
	return Number.isInteger(n) && n >= FIRST_YEAR && n <= lastYear() ? n : null;
}

export const checkbox = z.string().transform((s) => s === 'on' || s === 'true' || s === '1');

/**
 * Optional amount ≥ 0 typed the German way ("1.234,5"); empty → null. Negative values and
 * non-numbers get their own messages, so the user knows which it was.
 */
export function amount(max: number) {
	return z
		.string()
		.trim()
		.transform((s, ctx) => {
			if (s === '') return null;
			const n = parseLocaleNumber(s, false, true);
			const message = n === null ? 'balance.numberInvalid' : n < 0 ? 'balance.negative' : n > max ? 'balance.tooLarge' : null;
			if (message) {
				ctx.addIssue({ code: 'custom', message });
				return z.NEVER;
			}
			// "-0" is 0: a signed zero would print as "-0" in the form and the audit log.
			return (n as number) + 0;
		});
}

export interface BalanceBody {
	id: string;
	name: string;
	ags: string;
	kind: 'landkreis' | 'stadt' | 'gemeinde' | 'verbandsgemeinde';
	population: number | null;
	populationYear: number | null;
}

export async function loadBody(tx: Tx | ReturnType<typeof db>, networkId: string, bodyId: string): Promise<BalanceBody> {
	if (!isUuid(bodyId)) throw new NotFoundError();
	const [b] = await tx
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags, kind: bodies.kind, population: bodies.population, populationYear: bodies.populationYear })
		.from(bodies)
		.where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
	if (!b) throw new NotFoundError();
	return b;
}

export type InhabitantsSource = 'balance' | 'directory' | 'unknown';

/** The balance's own value, else the directory's population if it is of the same year, else unknown. */
export function inhabitantsFor(balance: { year: number; inhabitants: number | null }, body: Pick<BalanceBody, 'population' | 'populationYear'>): { inhabitants: number | null; source: InhabitantsSource } {
	if (balance.inhabitants != null && balance.inhabitants > 0) return { inhabitants: balance.inhabitants, source: 'balance' };
	if (body.population != null && body.population > 0 && body.populationYear === balance.year) return { inhabitants: body.population, source: 'directory' };
	return { inhabitants: null, source: 'unknown' };
}
