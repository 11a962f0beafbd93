// Indicators of a body (e.g. "installierte PV-Leistung" in kWp): values over time, goals by year,
// optionally tied to measures of the same network. Internal indicators are read by the working
// area; public ones by everyone (the portal shows them). Editing follows the measures: coordinators
// everywhere, members for the bodies they represent.
import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, indicatorGoals, indicatorMeasures, indicators, indicatorValues, measures } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { date, isUniqueViolation, isUuid, number, parseFields, parseLocaleNumber, text, todayIso } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { canMeasure, canReadMeasure, editableBodyIds } from './permissions';
import { loadMeasure } from './measures';

export type Indicator = typeof indicators.$inferSelect;
export type IndicatorValue = typeof indicatorValues.$inferSelect;
export type IndicatorGoal = typeof indicatorGoals.$inferSelect;

type Reader = Tx | ReturnType<typeof db>;

/** Limits on what one page loads: an indicator with daily values for decades stays well below. */
const MAX_VALUES = 5000;
const MAX_GOALS = 200;
/** The attach form's select: one body's measures, bounded so a huge import can't bloat the page. */
const MAX_MEASURE_OPTIONS = 500;
/** Values are stored as doubles; beyond this, typed input is a mistake, not a measurement. */
const VALUE_LIMIT = 1e15;

function canRead(actor: Actor, i: { networkId: string; isPublic: boolean }): boolean {
	return i.isPublic || canMeasure(actor, 'measure.read', { networkId: i.networkId });
}

function canEdit(actor: Actor, i: { networkId: string; bodyId: string }): boolean {
	return canMeasure(actor, 'measure.edit', { networkId: i.networkId, bodyId: i.bodyId });
}

async function loadIndicator(tx: Reader, networkId: string, id: string, lock = false): Promise<Indicator> {
	if (!isUuid(id)) throw new NotFoundError();
	const q = tx
		.select()
		.from(indicators)
		.where(and(eq(indicators.id, id), eq(indicators.networkId, networkId)));
	const [i] = lock ? await q.for('update') : await q;
	if (!i) throw new NotFoundError();
	return i;
}

/** The indicator if the actor may edit it: 404 when missing or unreadable, 403 when read-only. */
async function loadEditable(actor: Actor, networkId: string, id: string): Promise<Indicator> {
	const i = await loadIndicator(db(), networkId, id);
	if (!canRead(actor, i)) throw new NotFoundError();
	if (!canEdit(actor, i)) throw new ForbiddenError();
	return i;
}

// ---- reading ----------------------------------------------------------------------------------

export interface IndicatorListItem {
	id: string;
	name: string;
	unit: string;
	isPublic: boolean;
	bodyId: string;
	bodyName: string;
	bodyAgs: string;
	valueCount: number;
	latest: { value: number; observedOn: string } | null;
	/** The nearest goal from this year on, else the last one. */
	goal: { year: number; value: number } | null;
}

/**
 * A page of indicators, by body then name; `ags` narrows to one body. Outside the working area only
 * public indicators (the portal's view).
 */
export async function listIndicators(
	actor: Actor,
	networkId: string,
	opts: { ags?: string; page?: number; pageSize?: number; today?: string } = {}
): Promise<{ items: IndicatorListItem[]; total: number; page: number; pageSize: number }> {
	const { page, pageSize, offset } = pageOpts(opts, 25);
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	const ags = opts.ags?.trim();
	const where = and(
		eq(indicators.networkId, networkId),
		inArea ? undefined : eq(indicators.isPublic, true),
		ags ? eq(bodies.ags, ags) : undefined
	);
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({
				id: indicators.id,
				name: indicators.name,
				unit: indicators.unit,
				isPublic: indicators.isPublic,
				bodyId: indicators.bodyId,
				bodyName: bodies.name,
				bodyAgs: bodies.ags,
				valueCount: sql<number>`(select count(*)::int from ${indicatorValues} where ${indicatorValues.indicatorId} = ${indicators.id})`
			})
			.from(indicators)
			.innerJoin(bodies, and(eq(bodies.id, indicators.bodyId), eq(bodies.networkId, networkId)))
			.where(where)
			.orderBy(asc(bodies.name), asc(indicators.name), asc(indicators.id))
			.limit(pageSize)
			.offset(offset),
		db()
			.select({ total: sql<number>`count(*)::int` })
			.from(indicators)
			.innerJoin(bodies, and(eq(bodies.id, indicators.bodyId), eq(bodies.networkId, networkId)))
			.where(where)
	]);
	const ids = rows.map((r) => r.id);
	const [latest, goals] = await Promise.all([latestValues(ids), nextGoals(ids, Number((opts.today ?? todayIso()).slice(0, 4)))]);
	return {
		items: rows.map((r) => ({ ...r, latest: latest.get(r.id) ?? null, goal: goals.get(r.id) ?? null })),
		total,
		page,
		pageSize
	};
}

/** The most recent value of each indicator (one row per indicator). */
async function latestValues(ids: string[]): Promise<Map<string, { value: number; observedOn: string }>> {
	if (!ids.length) return new Map();
	const rows = await db()
		.selectDistinctOn([indicatorValues.indicatorId], {
			indicatorId: indicatorValues.indicatorId,
			value: indicatorValues.value,
			observedOn: indicatorValues.observedOn
		})
		.from(indicatorValues)
		.where(inArray(indicatorValues.indicatorId, ids))
		.orderBy(indicatorValues.indicatorId, desc(indicatorValues.observedOn));
	return new Map(rows.map((r) => [r.indicatorId, { value: r.value, observedOn: r.observedOn }]));
}

/** Per indicator the first goal from `year` on, or else its latest goal. */
async function nextGoals(ids: string[], year: number): Promise<Map<string, { year: number; value: number }>> {
	if (!ids.length) return new Map();
	const rows = await db()
		.selectDistinctOn([indicatorGoals.indicatorId], { indicatorId: indicatorGoals.indicatorId, year: indicatorGoals.year, value: indicatorGoals.value })
		.from(indicatorGoals)
		.where(inArray(indicatorGoals.indicatorId, ids))
		// Upcoming goals first (nearest first), then past ones (latest first).
		.orderBy(indicatorGoals.indicatorId, sql`(${indicatorGoals.year} < ${year})`, sql`case when ${indicatorGoals.year} >= ${year} then ${indicatorGoals.year} else -${indicatorGoals.year} end`);
	return new Map(rows.map((r) => [r.indicatorId, { year: r.year, value: r.value }]));
}

export interface IndicatorDetail extends Indicator {
	bodyName: string;
	bodyAgs: string;
	/** Oldest first, as the chart draws them. */
	values: { id: string; observedOn: string; value: number; note: string }[];
	/** By year. */
	goals: { id: string; year: number; value: number }[];
	measures: { id: string; code: string; title: string; status: string; isPublic: boolean }[];
	canEdit: boolean;
}

/** One indicator with its values, goals and linked measures. Internal ones only for the working area (404 else). */
export async function getIndicator(actor: Actor, networkId: string, indicatorId: string): Promise<IndicatorDetail> {
	const i = await loadIndicator(db(), networkId, indicatorId);
	if (!canRead(actor, i)) throw new NotFoundError();
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	const [[body], values, goals, linked] = await Promise.all([
		db().select({ name: bodies.name, ags: bodies.ags }).from(bodies).where(and(eq(bodies.id, i.bodyId), eq(bodies.networkId, networkId))),
		db()
			.select({ id: indicatorValues.id, observedOn: indicatorValues.observedOn, value: indicatorValues.value, note: indicatorValues.note })
			.from(indicatorValues)
			.where(and(eq(indicatorValues.indicatorId, i.id), eq(indicatorValues.networkId, networkId)))
			.orderBy(asc(indicatorValues.observedOn))
			.limit(MAX_VALUES),
		db()
			.select({ id: indicatorGoals.id, year: indicatorGoals.year, value: indicatorGoals.value })
			.from(indicatorGoals)
			.where(and(eq(indicatorGoals.indicatorId, i.id), eq(indicatorGoals.networkId, networkId)))
			.orderBy(asc(indicatorGoals.year))
			.limit(MAX_GOALS),
		db()
			.select({ id: measures.id, code: measures.code, title: measures.title, status: measures.status, isPublic: measures.isPublic })
			.from(indicatorMeasures)
			.innerJoin(measures, and(eq(measures.id, indicatorMeasures.measureId), eq(measures.networkId, networkId)))
			.where(and(eq(indicatorMeasures.indicatorId, i.id), eq(indicatorMeasures.networkId, networkId), inArea ? undefined : eq(measures.isPublic, true)))
			.orderBy(asc(measures.code), asc(measures.id))
	]);
	return { ...i, bodyName: body?.name ?? '', bodyAgs: body?.ags ?? '', values, goals, measures: linked, canEdit: canEdit(actor, i) };
}

/** Indicators tied to a measure, each with its latest value: the measure page lists them. */
export async function indicatorsForMeasure(
	actor: Actor,
	networkId: string,
	measureId: string
): Promise<{ id: string; name: string; unit: string; latest: { value: number; observedOn: string } | null }[]> {
	const m = await loadMeasure(db(), networkId, measureId);
	if (!canReadMeasure(actor, m)) throw new NotFoundError();
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	const rows = await db()
		.select({ id: indicators.id, name: indicators.name, unit: indicators.unit })
		.from(indicatorMeasures)
		.innerJoin(indicators, and(eq(indicators.id, indicatorMeasures.indicatorId), eq(indicators.networkId, networkId)))
		.where(and(eq(indicatorMeasures.measureId, measureId), eq(indicatorMeasures.networkId, networkId), inArea ? undefined : eq(indicators.isPublic, true)))
		.orderBy(asc(indicators.name), asc(indicators.id))
		.limit(200);
	const latest = await latestValues(rows.map((r) => r.id));
	return rows.map((r) => ({ ...r, latest: latest.get(r.id) ?? null }));
}

/** May the actor create indicators anywhere in the network (the list's "Neuer Indikator" link)? */
export function canCreateIndicator(actor: Actor, networkId: string): boolean {
	const ids = editableBodyIds(actor, networkId);
	return ids === null || ids.length > 0;
}

/** Bodies the actor may create indicators for, for the create form's select. */
export async function editableBodies(actor: Actor, networkId: string): Promise<{ id: string; name: string; ags: string }[]> {
	const ids = editableBodyIds(actor, networkId);
	if (ids !== null && !ids.length) return [];
	return db()
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), ids === null ? undefined : inArray(bodies.id, ids)))
		.orderBy(asc(bodies.name))
		// A network has tens of bodies (one district's towns); the cap only guards the page size.
		.limit(1000);
}

/** Measures of the indicator's body not attached yet: the attach form's choices. Editors only. */
export async function attachableMeasures(actor: Actor, networkId: string, indicatorId: string): Promise<{ id: string; code: string; title: string }[]> {
	const i = await loadEditable(actor, networkId, indicatorId);
	const attached = db().select({ id: indicatorMeasures.measureId }).from(indicatorMeasures).where(eq(indicatorMeasures.indicatorId, i.id));
	return db()
		.select({ id: measures.id, code: measures.code, title: measures.title })
		.from(measures)
		.where(and(eq(measures.networkId, networkId), eq(measures.bodyId, i.bodyId), notInArray(measures.id, attached)))
		.orderBy(asc(measures.code), asc(measures.id))
		.limit(MAX_MEASURE_OPTIONS);
}

// ---- indicators -------------------------------------------------------------------------------

const checkbox = z.string().transform((s) => s === 'on' || s === 'true' || s === '1');

const indicatorShape = () => ({
	name: text(200, true),
	unit: text(50, true),
	description: text(5000),
	isPublic: checkbox
});

async function ensureBody(tx: Tx, networkId: string, bodyId: string) {
	const [b] = await tx.select({ id: bodies.id }).from(bodies).where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
	if (!b) throw new ValidationError({ bodyId: 'indicator.bodyUnknown' });
}

export async function createIndicator(actor: Actor, networkId: string, bodyId: string, input: unknown): Promise<Indicator> {
	if (!canCreateIndicator(actor, networkId)) throw new ForbiddenError();
	if (!isUuid(bodyId)) {
		// Report the other fields' problems too, so the form shows them all at once.
		let errors: Record<string, string> = {};
		try {
			parseFields(indicatorShape(), input);
		} catch (e) {
			if (e instanceof ValidationError) errors = e.fieldErrors;
			else throw e;
		}
		throw new ValidationError({ ...errors, bodyId: bodyId ? 'indicator.bodyUnknown' : 'indicator.bodyRequired' });
	}
	if (!canMeasure(actor, 'measure.edit', { networkId, bodyId })) throw new ForbiddenError();
	const data = parseFields(indicatorShape(), input);
	return db().transaction(async (tx) => {
		await ensureBody(tx, networkId, bodyId);
		const [i] = await tx
			.insert(indicators)
			.values({ ...data, networkId, bodyId })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'indicator', recordId: i.id, after: i });
		return i;
	});
}

/** Name, unit, description and visibility; the body stays (its values belong to that body). */
export async function updateIndicator(actor: Actor, networkId: string, indicatorId: string, input: unknown): Promise<Indicator> {
	await loadEditable(actor, networkId, indicatorId);
	const data = parseFields(indicatorShape(), input);
	return db().transaction(async (tx) => {
		const before = await loadIndicator(tx, networkId, indicatorId, true);
		const [after] = await tx
			.update(indicators)
			.set({ ...data, updatedAt: new Date() })
			.where(and(eq(indicators.id, indicatorId), eq(indicators.networkId, networkId)))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'indicator', recordId: indicatorId, before, after });
		return after;
	});
}

/** Deletes the indicator with its values, goals and measure links (cascade); the audit keeps the values. */
export async function deleteIndicator(actor: Actor, networkId: string, indicatorId: string): Promise<void> {
	await loadEditable(actor, networkId, indicatorId);
	await db().transaction(async (tx) => {
		const before = await loadIndicator(tx, networkId, indicatorId, true);
		const values = await tx
			.select({ observedOn: indicatorValues.observedOn, value: indicatorValues.value, note: indicatorValues.note })
			.from(indicatorValues)
			.where(eq(indicatorValues.indicatorId, indicatorId));
		const goals = await tx.select({ year: indicatorGoals.year, value: indicatorGoals.value }).from(indicatorGoals).where(eq(indicatorGoals.indicatorId, indicatorId));
		await tx.delete(indicators).where(and(eq(indicators.id, indicatorId), eq(indicators.networkId, networkId)));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'indicator', recordId: indicatorId, before: { ...before, values, goals } });
	});
}

/** The indicator as form values (strings), for the edit form. */
export async function indicatorFormValues(actor: Actor, networkId: string, indicatorId: string): Promise<{ indicator: Indicator; values: Record<string, string> }> {
	const i = await loadEditable(actor, networkId, indicatorId);
	return { indicator: i, values: { name: i.name, unit: i.unit, description: i.description, isPublic: i.isPublic ? 'on' : '' } };
}

// ---- values -----------------------------------------------------------------------------------

/**
 * A required measured value, typed the German way: "1.234,5", "-12,25", "0". "1.500" is fifteen
 * hundred (grouped, as for amounts); "1.5" stays one and a half.
 */
const requiredNumber = (key: string) =>
	z
		.string()
		.trim()
		.transform((s, ctx) => {
			if (s === '') {
				ctx.addIssue({ code: 'custom', message: 'validation.required' });
				return z.NEVER;
			}
			const n = parseLocaleNumber(s, false, true);
			if (n === null || Math.abs(n) > VALUE_LIMIT) {
				ctx.addIssue({ code: 'custom', message: key });
				return z.NEVER;
			}
			return n;
		});

const valueShape = () => ({
	observedOn: date.refine((d) => d !== null, { error: 'validation.required' }).transform((d) => d as string),
	value: requiredNumber('indicator.valueInvalid'),
	note: text(500)
});

function parseValue(input: unknown, today: string) {
	return parseFields(valueShape(), input, (d, errors) => {
		if (d.observedOn && d.observedOn > today && !errors.observedOn) errors.observedOn = 'indicator.dateFuture';
	});
}

async function ensureDateFree(tx: Tx, indicatorId: string, observedOn: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: indicatorValues.id })
		.from(indicatorValues)
		.where(and(eq(indicatorValues.indicatorId, indicatorId), eq(indicatorValues.observedOn, observedOn)));
	if (taken && taken.id !== exceptId) throw new ValidationError({ observedOn: 'indicator.dateTaken' });
}

/** Two saves of the same date at once: the unique index decides, and the loser gets the field error. */
async function dateSafe<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		if (isUniqueViolation(e)) throw new ValidationError({ observedOn: 'indicator.dateTaken' });
		throw e;
	}
}

async function loadValue(tx: Reader, networkId: string, valueId: string, lock = false): Promise<IndicatorValue> {
	if (!isUuid(valueId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(indicatorValues)
		.where(and(eq(indicatorValues.id, valueId), eq(indicatorValues.networkId, networkId)));
	const [v] = lock ? await q.for('update') : await q;
	if (!v) throw new NotFoundError();
	return v;
}

/** Adds a dated value. One value per date; dates in the future are refused (values are observed). */
export async function addValue(actor: Actor, networkId: string, indicatorId: string, input: unknown, opts: { today?: string } = {}): Promise<IndicatorValue> {
	await loadEditable(actor, networkId, indicatorId);
	const data = parseValue(input, opts.today ?? todayIso());
	return dateSafe(() =>
		db().transaction(async (tx) => {
			await loadIndicator(tx, networkId, indicatorId, true);
			await ensureDateFree(tx, indicatorId, data.observedOn);
			const [v] = await tx
				.insert(indicatorValues)
				.values({ ...data, networkId, indicatorId })
				.returning();
			await touch(tx, indicatorId);
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'indicator_value', recordId: v.id, after: v });
			return v;
		})
	);
}

/** `opts.indicatorId`: the indicator whose page the form is on; a value of another one is not found. */
export async function updateValue(
	actor: Actor,
	networkId: string,
	valueId: string,
	input: unknown,
	opts: { today?: string; indicatorId?: string } = {}
): Promise<IndicatorValue> {
	const current = await loadValue(db(), networkId, valueId);
	if (opts.indicatorId !== undefined && current.indicatorId !== opts.indicatorId) throw new NotFoundError();
	await loadEditable(actor, networkId, current.indicatorId);
	const data = parseValue(input, opts.today ?? todayIso());
	return dateSafe(() =>
		db().transaction(async (tx) => {
			await loadIndicator(tx, networkId, current.indicatorId, true);
			const before = await loadValue(tx, networkId, valueId, true);
			await ensureDateFree(tx, before.indicatorId, data.observedOn, valueId);
			const [after] = await tx.update(indicatorValues).set(data).where(eq(indicatorValues.id, valueId)).returning();
			await touch(tx, before.indicatorId);
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'indicator_value', recordId: valueId, before, after });
			return after;
		})
	);
}

export async function deleteValue(actor: Actor, networkId: string, valueId: string, indicatorId?: string): Promise<void> {
	const current = await loadValue(db(), networkId, valueId);
	if (indicatorId !== undefined && current.indicatorId !== indicatorId) throw new NotFoundError();
	await loadEditable(actor, networkId, current.indicatorId);
	await db().transaction(async (tx) => {
		const before = await loadValue(tx, networkId, valueId, true);
		await tx.delete(indicatorValues).where(eq(indicatorValues.id, valueId));
		await touch(tx, before.indicatorId);
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'indicator_value', recordId: valueId, before });
	});
}

/** A value for the edit form: its indicator must be editable by the actor. */
export async function valueFormValues(actor: Actor, networkId: string, indicatorId: string, valueId: string): Promise<Record<string, string> | null> {
	if (!isUuid(valueId)) return null;
	const [v] = await db()
		.select()
		.from(indicatorValues)
		.where(and(eq(indicatorValues.id, valueId), eq(indicatorValues.networkId, networkId), eq(indicatorValues.indicatorId, indicatorId)));
	if (!v) return null;
	await loadEditable(actor, networkId, indicatorId);
	return { id: v.id, observedOn: v.observedOn, value: String(v.value).replace('.', ','), note: v.note };
}

/** Values and goals change what the indicator shows: its updated_at says when. */
async function touch(tx: Tx, indicatorId: string) {
	await tx.update(indicators).set({ updatedAt: new Date() }).where(eq(indicators.id, indicatorId));
}

// ---- goals ------------------------------------------------------------------------------------

const goalShape = () => ({
	year: number({ min: 2000, max: 2100, integer: true, key: 'indicator.goalYear' })
		.refine((n) => n !== null, { error: 'validation.required' })
		.transform((n) => n as number),
	value: requiredNumber('indicator.valueInvalid')
});

/** Sets the goal of a year: a new one, or replaces the value of the year's existing goal. */
export async function setGoal(actor: Actor, networkId: string, indicatorId: string, input: unknown): Promise<IndicatorGoal> {
	await loadEditable(actor, networkId, indicatorId);
	const data = parseFields(goalShape(), input);
	return db().transaction(async (tx) => {
		await loadIndicator(tx, networkId, indicatorId, true);
		// The indicator's row lock serialises goal writes, so read-then-write can't race.
		const [before] = await tx
			.select()
			.from(indicatorGoals)
			.where(and(eq(indicatorGoals.indicatorId, indicatorId), eq(indicatorGoals.year, data.year)));
		let goal: IndicatorGoal;
		if (before) {
			[goal] = await tx.update(indicatorGoals).set({ value: data.value }).where(eq(indicatorGoals.id, before.id)).returning();
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'indicator_goal', recordId: goal.id, before, after: goal });
		} else {
			[goal] = await tx
				.insert(indicatorGoals)
				.values({ ...data, networkId, indicatorId })
				.returning();
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'indicator_goal', recordId: goal.id, after: goal });
		}
		await touch(tx, indicatorId);
		return goal;
	});
}

export async function deleteGoal(actor: Actor, networkId: string, goalId: string, indicatorId?: string): Promise<void> {
	if (!isUuid(goalId)) throw new NotFoundError();
	const [current] = await db()
		.select()
		.from(indicatorGoals)
		.where(and(eq(indicatorGoals.id, goalId), eq(indicatorGoals.networkId, networkId)));
	if (!current || (indicatorId !== undefined && current.indicatorId !== indicatorId)) throw new NotFoundError();
	await loadEditable(actor, networkId, current.indicatorId);
	await db().transaction(async (tx) => {
		await loadIndicator(tx, networkId, current.indicatorId, true);
		const [before] = await tx.delete(indicatorGoals).where(eq(indicatorGoals.id, goalId)).returning();
		if (!before) throw new NotFoundError();
		await touch(tx, current.indicatorId);
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'indicator_goal', recordId: goalId, before });
	});
}

// ---- measures ---------------------------------------------------------------------------------

/**
 * Ties a measure to the indicator. The measure must be in the same network (any body: a district
 * measure may move a town's indicator); attaching twice changes nothing.
 */
export async function attachMeasure(actor: Actor, networkId: string, indicatorId: string, measureId: string): Promise<void> {
	await loadEditable(actor, networkId, indicatorId);
	if (!isUuid(measureId)) throw new ValidationError({ measureId: measureId ? 'indicator.measureUnknown' : 'indicator.measureRequired' });
	await db().transaction(async (tx) => {
		await loadIndicator(tx, networkId, indicatorId, true);
		const [m] = await tx
			.select({ id: measures.id })
			.from(measures)
			.where(and(eq(measures.id, measureId), eq(measures.networkId, networkId)));
		if (!m) throw new ValidationError({ measureId: 'indicator.measureUnknown' });
		const inserted = await tx
			.insert(indicatorMeasures)
			.values({ indicatorId, measureId, networkId })
			.onConflictDoNothing()
			.returning();
		if (inserted.length) {
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'indicator_measure', recordId: indicatorId, after: { indicatorId, measureId } });
		}
	});
}

export async function detachMeasure(actor: Actor, networkId: string, indicatorId: string, measureId: string): Promise<void> {
	await loadEditable(actor, networkId, indicatorId);
	if (!isUuid(measureId)) throw new NotFoundError();
	await db().transaction(async (tx) => {
		await loadIndicator(tx, networkId, indicatorId, true);
		const removed = await tx
			.delete(indicatorMeasures)
			.where(and(eq(indicatorMeasures.indicatorId, indicatorId), eq(indicatorMeasures.measureId, measureId), eq(indicatorMeasures.networkId, networkId)))
			.returning();
		if (removed.length) {
			await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'indicator_measure', recordId: indicatorId, before: { indicatorId, measureId } });
		}
	});
}
