// Balances: one per body and year, a sector × carrier table of final energy (MWh), directly
// entered emissions (t CO2e) and data quality. Saving replaces the whole table in one
// transaction; a version check keeps concurrent edits from being lost.
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { balanceEntries, balances, balanceTargets } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { isUniqueViolation, isUuid, number, parseFields, text } from '../network/directory-shared';
import { canBalance, canReadBalance } from './permissions';
import { CARRIERS, QUALITIES, SECTORS, computeBalance, type BalanceFigures, type Carrier, type EntryInput, type Quality, type Sector } from './compute';
import { amount, checkbox, inhabitantsFor, loadBody, year, type BalanceBody, type InhabitantsSource } from './fields';
import { factorMaps } from './factors';

export type Balance = typeof balances.$inferSelect;
export type BalanceEntry = typeof balanceEntries.$inferSelect;

/** Form field names of one cell: energy in MWh, emissions in t CO2e, quality class. */
export const cellField = (s: Sector, c: Carrier, part: 'mwh' | 't' | 'q') => `e_${s}_${c}_${part}`;

/** 1 TWh per cell is more than any German town uses in all sectors together: beyond that it's a typo. */
export const MAX_MWH = 1_000_000_000;
export const MAX_T = 1_000_000_000;

const quality = z
	.string()
	.trim()
	.toUpperCase()
	.refine((s) => s === '' || (QUALITIES as readonly string[]).includes(s), { error: 'balance.qualityInvalid' })
	.transform((s) => (s === '' ? null : (s as Quality)));

function balanceShape() {
	const shape: Record<string, z.ZodType> = {
		year: year(),
		inhabitants: number({ min: 0, minExclusive: true, max: 100_000_000, integer: true, key: 'balance.inhabitantsInvalid' }),
		source: text(500),
		note: text(5000),
		isPublic: checkbox
	};
	for (const s of SECTORS)
		for (const c of CARRIERS) {
			shape[cellField(s, c, 'mwh')] = amount(MAX_MWH);
			shape[cellField(s, c, 't')] = amount(MAX_T);
			shape[cellField(s, c, 'q')] = quality;
		}
	return shape;
}

export interface BalanceInput {
	year: number;
	inhabitants: number | null;
	source: string;
	note: string;
	isPublic: boolean;
	entries: EntryInput[];
}

/**
 * Field rules of the whole form; cells without energy and emissions are left out (a quality alone
 * means nothing). An empty table is refused: it would count as 0 t in the district sum. A table of
 * zeros only ("0", "-0") is as empty: it would count the same way.
 */
export function parseBalance(input: unknown): BalanceInput {
	const d = parseFields(balanceShape(), input) as Record<string, unknown>;
	const entries: EntryInput[] = [];
	for (const sector of SECTORS)
		for (const carrier of CARRIERS) {
			const energyMwh = d[cellField(sector, carrier, 'mwh')] as number | null;
			const emissionsT = d[cellField(sector, carrier, 't')] as number | null;
			if (energyMwh === null && emissionsT === null) continue;
			entries.push({ sector, carrier, energyMwh, emissionsT, quality: d[cellField(sector, carrier, 'q')] as Quality | null });
		}
	if (!entries.some((e) => (e.energyMwh ?? 0) > 0 || (e.emissionsT ?? 0) > 0)) throw new ValidationError({ _form: 'balance.empty' });
	return { year: d.year as number, inhabitants: d.inhabitants as number | null, source: d.source as string, note: d.note as string, isPublic: d.isPublic as boolean, entries };
}

async function loadBalanceRow(tx: Tx | ReturnType<typeof db>, networkId: string, balanceId: string, lock = false): Promise<Balance> {
	if (!isUuid(balanceId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(balances)
		.where(and(eq(balances.id, balanceId), eq(balances.networkId, networkId)));
	const [b] = lock ? await q.for('update') : await q;
	if (!b) throw new NotFoundError();
	return b;
}

async function entriesOf(tx: Tx | ReturnType<typeof db>, balanceId: string): Promise<BalanceEntry[]> {
	return tx.select().from(balanceEntries).where(eq(balanceEntries.balanceId, balanceId)).orderBy(asc(balanceEntries.sector), asc(balanceEntries.carrier));
}

/** The table as one audit value per cell ("households/electricity"), so the diff names the cells that changed. */
function entriesAudit(entries: Pick<EntryInput, 'sector' | 'carrier' | 'energyMwh' | 'emissionsT' | 'quality'>[]) {
	return Object.fromEntries(entries.map((e) => [`${e.sector}/${e.carrier}`, { mwh: e.energyMwh, t: e.emissionsT, q: e.quality }]));
}

// Ids, the editor (the log names who acted) and the version counter are left out: the change log
// shows what a person changed, not bookkeeping.
const auditRow = (b: Balance, entries: Parameters<typeof entriesAudit>[0]) => {
	const { updatedAt: _ua, createdAt: _ca, id: _id, networkId: _n, updatedBy: _ub, version: _v, ...rest } = b;
	return { ...rest, entries: entriesAudit(entries) };
};

/**
 * Whether the body's target starts from this year: that balance may neither be deleted nor moved
 * to another year, or the target would lose its path. Locks the target row, so a target saved
 * at the same time waits.
 */
async function isBaseYear(tx: Tx | ReturnType<typeof db>, networkId: string, bodyId: string, year: number, lock = false): Promise<boolean> {
	const q = tx
		.select({ baseYear: balanceTargets.baseYear })
		.from(balanceTargets)
		.where(and(eq(balanceTargets.networkId, networkId), eq(balanceTargets.bodyId, bodyId)));
	const [t] = lock ? await q.for('update') : await q;
	return t?.baseYear === year;
}

export interface SaveBalanceOptions {
	/** Run inside the caller's transaction (the spreadsheet import applies several at once). */
	tx?: Tx;
	/** Replace an existing balance of that year without the version check (the import preview has warned). */
	overwrite?: boolean;
	isDemo?: boolean;
}

/**
 * Creates or updates a body's balance of a year and replaces its table. The form sends `id` and
 * `version` of the balance it edits; without `id`, a balance that already exists for that year is
 * not overwritten silently: the user gets 'balance.yearTaken' with its id and version filled in,
 * so saving again overwrites deliberately. A stale version gets 'balance.editedMeanwhile' likewise;
 * an update without a version is refused (else it would skip that check). The target's base-year
 * balance keeps its year ('balance.isBaseYear').
 */
export async function saveBalance(actor: Actor, networkId: string, bodyId: string, input: unknown, opts: SaveBalanceOptions = {}): Promise<Balance> {
	await loadBody(opts.tx ?? db(), networkId, bodyId);
	if (!canBalance(actor, 'balance.edit', { networkId, bodyId })) throw new ForbiddenError();
	const data = parseBalance(input);
	const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
	const id = typeof raw.id === 'string' && raw.id.trim() !== '' ? raw.id.trim() : null;
	const version = typeof raw.version === 'string' && /^\d+$/.test(raw.version.trim()) ? Number(raw.version) : null;
	const write = async (tx: Tx): Promise<Balance> => {
		const [sameYear] = await tx
			.select()
			.from(balances)
			.where(and(eq(balances.bodyId, bodyId), eq(balances.year, data.year)))
			.for('update');
		let before: Balance | null = null;
		if (id) {
			before = await loadBalanceRow(tx, networkId, id, true);
			if (before.bodyId !== bodyId) throw new NotFoundError();
			// No version given back: the user reloads the form (and sees what is stored now).
			if (!opts.overwrite && version === null) throw new ValidationError({ _form: 'balance.versionMissing' });
			if (!opts.overwrite && version !== before.version) {
				throw new ValidationError({ _form: 'balance.editedMeanwhile' }, { version: String(before.version) });
			}
			if (sameYear && sameYear.id !== before.id) throw new ValidationError({ year: 'balance.yearOther' });
			if (before.year !== data.year && (await isBaseYear(tx, networkId, bodyId, before.year, true))) throw new ValidationError({ year: 'balance.isBaseYear' });
		} else if (sameYear) {
			if (!opts.overwrite) throw new ValidationError({ year: 'balance.yearTaken' }, { id: sameYear.id, version: String(sameYear.version) });
			before = sameYear;
		}
		const beforeEntries = before ? await entriesOf(tx, before.id) : [];
		const values = { year: data.year, inhabitants: data.inhabitants, source: data.source, note: data.note, isPublic: data.isPublic, updatedBy: actor.userId };
		const [saved] = before
			? await tx
					.update(balances)
					.set({ ...values, version: before.version + 1, updatedAt: new Date() })
					.where(eq(balances.id, before.id))
					.returning()
			: await tx
					.insert(balances)
					.values({ ...values, networkId, bodyId, isDemo: !!opts.isDemo })
					.returning();
		await tx.delete(balanceEntries).where(eq(balanceEntries.balanceId, saved.id));
		if (data.entries.length) await tx.insert(balanceEntries).values(data.entries.map((e) => ({ ...e, networkId, balanceId: saved.id })));
		await recordChange(tx, actor, {
			networkId,
			action: before ? 'update' : 'create',
			recordType: 'balance',
			recordId: saved.id,
			before: before ? auditRow(before, beforeEntries) : undefined,
			after: auditRow(saved, data.entries)
		});
		return saved;
	};
	try {
		return await (opts.tx ? write(opts.tx) : db().transaction(write));
	} catch (e) {
		// Two first saves of the same year at once: the second is told, as if it had come later.
		if (isUniqueViolation(e)) throw new ValidationError({ year: 'balance.yearTaken' });
		throw e;
	}
}

/** Deletes a balance; the target's base-year balance is refused ('balance.isBaseYear'). */
export async function deleteBalance(actor: Actor, networkId: string, balanceId: string): Promise<void> {
	const b = await loadBalanceRow(db(), networkId, balanceId);
	if (!canReadBalance(actor, b)) throw new NotFoundError();
	if (!canBalance(actor, 'balance.edit', { networkId, bodyId: b.bodyId })) throw new ForbiddenError();
	await db().transaction(async (tx) => {
		const before = await loadBalanceRow(tx, networkId, balanceId, true);
		if (await isBaseYear(tx, networkId, before.bodyId, before.year, true)) throw new ValidationError({ _form: 'balance.isBaseYear' });
		const entries = await entriesOf(tx, balanceId);
		await tx.delete(balances).where(eq(balances.id, balanceId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'balance', recordId: balanceId, before: auditRow(before, entries) });
	});
}

export interface BalanceYear {
	id: string;
	year: number;
	isPublic: boolean;
	isDemo: boolean;
	updatedAt: Date;
}

/** A body's balance years, ascending: all for the working area, the public ones for everyone else. */
export async function listBalanceYears(actor: Actor, networkId: string, bodyId: string): Promise<BalanceYear[]> {
	await loadBody(db(), networkId, bodyId);
	const all = canBalance(actor, 'balance.read', { networkId });
	return db()
		.select({ id: balances.id, year: balances.year, isPublic: balances.isPublic, isDemo: balances.isDemo, updatedAt: balances.updatedAt })
		.from(balances)
		.where(and(eq(balances.networkId, networkId), eq(balances.bodyId, bodyId), all ? undefined : eq(balances.isPublic, true)))
		.orderBy(asc(balances.year));
}

export interface BalanceDetail {
	balance: Balance;
	body: BalanceBody;
	entries: BalanceEntry[];
	figures: BalanceFigures;
	inhabitantsSource: InhabitantsSource;
	/** Any factor of that year is still a demo example. */
	exampleFactors: boolean;
	canEdit: boolean;
	/** The body's target starts from this balance: it cannot be deleted or moved to another year. */
	isBaseYear: boolean;
}

/** One balance with its table and figures. Non-public ones only for the working area (404 else). */
export async function getBalance(actor: Actor, networkId: string, balanceId: string): Promise<BalanceDetail> {
	const balance = await loadBalanceRow(db(), networkId, balanceId);
	if (!canReadBalance(actor, balance)) throw new NotFoundError();
	const [body, entries, factors, base] = await Promise.all([
		loadBody(db(), networkId, balance.bodyId),
		entriesOf(db(), balanceId),
		factorMaps(db(), networkId, [balance.year]),
		isBaseYear(db(), networkId, balance.bodyId, balance.year)
	]);
	const inh = inhabitantsFor(balance, body);
	return {
		balance,
		body,
		entries,
		figures: computeBalance({ year: balance.year, entries, factors: factors.maps.get(balance.year) ?? {}, inhabitants: inh.inhabitants }),
		inhabitantsSource: inh.source,
		exampleFactors: factors.examples.has(balance.year),
		canEdit: canBalance(actor, 'balance.edit', { networkId, bodyId: balance.bodyId }),
		isBaseYear: base
	};
}

/** A stored balance as the strings its form sends (decimal comma), with id and version. */
export function balanceAsForm(b: Balance, entries: Pick<BalanceEntry, 'sector' | 'carrier' | 'energyMwh' | 'emissionsT' | 'quality'>[]): Record<string, string> {
	const num = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
	const values: Record<string, string> = {
		id: b.id,
		version: String(b.version),
		year: String(b.year),
		inhabitants: b.inhabitants === null ? '' : String(b.inhabitants),
		source: b.source,
		note: b.note,
		isPublic: b.isPublic ? 'on' : ''
	};
	for (const e of entries) {
		values[cellField(e.sector, e.carrier, 'mwh')] = num(e.energyMwh);
		values[cellField(e.sector, e.carrier, 't')] = num(e.emissionsT);
		values[cellField(e.sector, e.carrier, 'q')] = e.quality ?? '';
	}
	return values;
}

/** The edit form's values of a balance the actor may edit. */
export async function balanceFormValues(actor: Actor, networkId: string, balanceId: string): Promise<{ balance: Balance; body: BalanceBody; values: Record<string, string> }> {
	const balance = await loadBalanceRow(db(), networkId, balanceId);
	if (!canReadBalance(actor, balance)) throw new NotFoundError();
	if (!canBalance(actor, 'balance.edit', { networkId, bodyId: balance.bodyId })) throw new ForbiddenError();
	const [body, entries] = await Promise.all([loadBody(db(), networkId, balance.bodyId), entriesOf(db(), balanceId)]);
	return { balance, body, values: balanceAsForm(balance, entries) };
}
