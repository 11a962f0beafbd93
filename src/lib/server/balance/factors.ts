// Emission factors per network, year and energy carrier (kg CO2e per kWh, LCA as BISKO asks),
// kept by the coordinator. A carrier without a factor is unknown (the balance says so), never 0.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { emissionFactors } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { parseFields, parseLocaleNumber, text } from '../network/directory-shared';
import { canBalance } from './permissions';
import { CARRIERS, type Carrier, type FactorMap } from './compute';
import { checkbox, yearArg } from './fields';

/** Above this a factor is implausible for any carrier (lignite is ~0.4): saved only when confirmed. */
export const FACTOR_WARN = 1.5;
/** Above this it is certainly a typo (g instead of kg): refused. */
export const FACTOR_MAX = 1000;

export interface FactorRow {
	carrier: Carrier;
	kgPerKwh: number | null;
	source: string;
	note: string;
	isExample: boolean;
}

export interface FactorYear {
	year: number;
	/** Every carrier, in the schema's order; kgPerKwh null where none is set. */
	rows: FactorRow[];
	/** Years of this network that have any factor, ascending (to copy from). */
	years: number[];
	canEdit: boolean;
}

function requireYear(y: unknown): number {
	const n = yearArg(y);
	if (n === null) throw new NotFoundError();
	return n;
}

/** The factors of one year for the working area. */
export async function listFactors(actor: Actor, networkId: string, year: number | string): Promise<FactorYear> {
	if (!canBalance(actor, 'balance.read', { networkId })) throw new ForbiddenError();
	const y = requireYear(year);
	const [rows, years] = await Promise.all([
		db()
			.select()
			.from(emissionFactors)
			.where(and(eq(emissionFactors.networkId, networkId), eq(emissionFactors.year, y))),
		factorYears(networkId)
	]);
	const byCarrier = new Map(rows.map((r) => [r.carrier, r]));
	return {
		year: y,
		rows: CARRIERS.map((carrier) => {
			const r = byCarrier.get(carrier);
			return { carrier, kgPerKwh: r?.kgPerKwh ?? null, source: r?.source ?? '', note: r?.note ?? '', isExample: r?.isExample ?? false };
		}),
		years,
		canEdit: canBalance(actor, 'balance.factors', { networkId })
	};
}

export async function factorYears(networkId: string): Promise<number[]> {
	const rows = await db()
		.selectDistinct({ year: emissionFactors.year })
		.from(emissionFactors)
		.where(eq(emissionFactors.networkId, networkId))
		.orderBy(asc(emissionFactors.year));
	return rows.map((r) => r.year);
}

/**
 * Factor maps of several years at once, and the years where any factor is still a demo example
 * (no permission check: callers have checked theirs).
 */
export async function factorMaps(tx: Tx | ReturnType<typeof db>, networkId: string, years: number[]): Promise<{ maps: Map<number, FactorMap>; examples: Set<number> }> {
	const maps = new Map<number, FactorMap>(years.map((y) => [y, {}]));
	const examples = new Set<number>();
	if (!years.length) return { maps, examples };
	const rows = await tx
		.select({ year: emissionFactors.year, carrier: emissionFactors.carrier, kgPerKwh: emissionFactors.kgPerKwh, isExample: emissionFactors.isExample })
		.from(emissionFactors)
		.where(and(eq(emissionFactors.networkId, networkId), inArray(emissionFactors.year, [...new Set(years)])));
	for (const r of rows) {
		maps.get(r.year)![r.carrier] = r.kgPerKwh;
		if (r.isExample) examples.add(r.year);
	}
	return { maps, examples };
}

/** Form field names of the factor grid. */
export const factorField = (c: Carrier) => `f_${c}`;
export const factorSourceField = (c: Carrier) => `source_${c}`;
export const factorNoteField = (c: Carrier) => `note_${c}`;

const factorValue = z
	.string()
	.trim()
	.transform((s, ctx) => {
		if (s === '') return null;
		const n = parseLocaleNumber(s, false, false);
		const message = n === null || n > FACTOR_MAX ? 'balance.factorInvalid' : n < 0 ? 'balance.factorNegative' : null;
		if (message) {
			ctx.addIssue({ code: 'custom', message });
			return z.NEVER;
		}
		return n as number;
	});

function factorShape() {
	const shape: Record<string, z.ZodType> = { confirmHigh: checkbox };
	for (const c of CARRIERS) {
		shape[factorField(c)] = factorValue;
		shape[factorSourceField(c)] = text(500);
		shape[factorNoteField(c)] = text(2000);
	}
	return shape;
}

/**
 * Saves the grid of one year: a value per carrier (empty removes it), with source and note.
 * Values above 1,5 kg/kWh are kept only when `confirmHigh` is ticked: until then each such field
 * gets 'balance.factorHigh' and `confirmHigh` asks for the confirmation. A row stays an example
 * (demo value) only while value, source and note are unchanged; `asExample` marks the saved ones
 * as examples (the demo data). Returns the validated year (a form may send "2023\r\n"): pages build
 * their redirect from it, never from the raw input.
 */
export async function saveFactors(actor: Actor, networkId: string, year: number | string, input: unknown, opts: { asExample?: boolean } = {}): Promise<{ year: number; rows: FactorRow[] }> {
	if (!canBalance(actor, 'balance.factors', { networkId })) throw new ForbiddenError();
	const y = requireYear(year);
	const data = parseFields(factorShape(), input, (d, errors) => {
		if (d.confirmHigh) return;
		let high = false;
		for (const c of CARRIERS) {
			const v = d[factorField(c)] as number | null | undefined;
			if (v != null && v > FACTOR_WARN) {
				errors[factorField(c)] = 'balance.factorHigh';
				high = true;
			}
		}
		if (high) errors.confirmHigh = 'balance.factorConfirm';
	}) as Record<string, unknown>;
	return db().transaction(async (tx) => {
		const before = await tx
			.select()
			.from(emissionFactors)
			.where(and(eq(emissionFactors.networkId, networkId), eq(emissionFactors.year, y)))
			.for('update');
		const old = new Map(before.map((r) => [r.carrier, r]));
		const now = new Date();
		const isExample = !!opts.asExample;
		for (const c of CARRIERS) {
			const kgPerKwh = data[factorField(c)] as number | null;
			const source = data[factorSourceField(c)] as string;
			const note = data[factorNoteField(c)] as string;
			const o = old.get(c);
			if (kgPerKwh === null) {
				if (o) await tx.delete(emissionFactors).where(eq(emissionFactors.id, o.id));
				continue;
			}
			if (o && o.kgPerKwh === kgPerKwh && o.source === source && o.note === note) continue;
			await tx
				.insert(emissionFactors)
				.values({ networkId, year: y, carrier: c, kgPerKwh, source, note, isExample })
				.onConflictDoUpdate({
					target: [emissionFactors.networkId, emissionFactors.year, emissionFactors.carrier],
					set: { kgPerKwh, source, note, isExample, updatedAt: now }
				});
		}
		const after = await tx
			.select()
			.from(emissionFactors)
			.where(and(eq(emissionFactors.networkId, networkId), eq(emissionFactors.year, y)));
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'emission_factors', recordId: String(y), before: asAudit(before), after: asAudit(after) });
		const byCarrier = new Map(after.map((r) => [r.carrier, r]));
		const rows = CARRIERS.map((carrier) => {
			const r = byCarrier.get(carrier);
			return { carrier, kgPerKwh: r?.kgPerKwh ?? null, source: r?.source ?? '', note: r?.note ?? '', isExample: r?.isExample ?? false };
		});
		return { year: y, rows };
	});
}

/** One audit value per carrier, so the log's diff shows exactly which factors changed. */
function asAudit(rows: (typeof emissionFactors.$inferSelect)[]): Record<string, unknown> {
	return Object.fromEntries(rows.map((r) => [r.carrier, { kgPerKwh: r.kgPerKwh, source: r.source, note: r.note, isExample: r.isExample }]));
}

/**
 * Copies one year's factors into another as a starting point (the coordinator then enters the new
 * year's published values). Carriers the target year already has are kept; returns the validated
 * target year (for the redirect) and how many were copied.
 */
export async function copyFactors(actor: Actor, networkId: string, fromYear: number | string, toYear: number | string): Promise<{ year: number; copied: number }> {
	if (!canBalance(actor, 'balance.factors', { networkId })) throw new ForbiddenError();
	const from = yearArg(fromYear);
	const to = yearArg(toYear);
	if (from === null) throw new ValidationError({ fromYear: 'balance.yearRange' });
	if (to === null) throw new ValidationError({ toYear: 'balance.yearRange' });
	if (from === to) throw new ValidationError({ toYear: 'balance.copySameYear' });
	return db().transaction(async (tx) => {
		const source = await tx
			.select()
			.from(emissionFactors)
			.where(and(eq(emissionFactors.networkId, networkId), eq(emissionFactors.year, from)));
		if (!source.length) throw new ValidationError({ fromYear: 'balance.copyNothing' });
		const inserted = await tx
			.insert(emissionFactors)
			.values(source.map((r) => ({ networkId, year: to, carrier: r.carrier, kgPerKwh: r.kgPerKwh, source: r.source, note: r.note, isExample: r.isExample })))
			.onConflictDoNothing()
			.returning();
		if (inserted.length) {
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'emission_factors', recordId: String(to), after: { copiedFrom: from, ...asAudit(inserted) } });
		}
		return { year: to, copied: inserted.length };
	});
}
