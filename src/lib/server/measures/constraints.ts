// The constraints check: economic viability, building law, nature protection, monument protection
// and other — each not relevant / to check / cleared / conflict, with a note and a date.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, constraintAspect, constraintState, measureConstraints, measures } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, date, parseFields, text, todayIso } from '../network/directory-shared';
import { canMeasure, canReadMeasure } from './permissions';
import { loadEditableMeasure, loadMeasure } from './measures';
import { pageOpts } from '../paging';

export const CONSTRAINT_ASPECTS = constraintAspect.enumValues;
export const CONSTRAINT_STATES = constraintState.enumValues;
export type ConstraintAspect = (typeof CONSTRAINT_ASPECTS)[number];
export type ConstraintState = (typeof CONSTRAINT_STATES)[number];

export interface ConstraintView {
	aspect: ConstraintAspect;
	/** null: nobody has assessed this aspect yet. */
	state: ConstraintState | null;
	note: string;
	checkedOn: string | null;
}

/** All five aspects of a measure, assessed or not, in a fixed order. */
export async function getConstraints(actor: Actor, networkId: string, measureId: string): Promise<ConstraintView[]> {
	const m = await loadMeasure(db(), networkId, measureId);
	if (!canReadMeasure(actor, m)) throw new NotFoundError();
	const rows = await db()
		.select()
		.from(measureConstraints)
		.where(and(eq(measureConstraints.measureId, measureId), eq(measureConstraints.networkId, networkId)));
	return CONSTRAINT_ASPECTS.map((aspect) => {
		const r = rows.find((x) => x.aspect === aspect);
		return { aspect, state: r?.state ?? null, note: r?.note ?? '', checkedOn: r?.checkedOn ?? null };
	});
}

const constraintShape = () => ({
	aspect: choice(CONSTRAINT_ASPECTS),
	state: choice(CONSTRAINT_STATES),
	note: text(2000),
	checkedOn: date
});

/** Records the assessment of one aspect. A conflict needs a note saying what the conflict is. */
export async function setConstraint(actor: Actor, networkId: string, measureId: string, input: unknown): Promise<ConstraintView> {
	await loadEditableMeasure(actor, networkId, measureId);
	const today = todayIso();
	const data = parseFields(constraintShape(), input, (d, errors) => {
		if (d.state === 'conflict' && !d.note && !errors.note) errors.note = 'constraint.noteRequired';
		if (d.checkedOn && d.checkedOn > today && !errors.checkedOn) errors.checkedOn = 'constraint.dateFuture';
	});
	const checkedOn = data.checkedOn ?? today;
	return db().transaction(async (tx) => {
		await loadMeasure(tx, networkId, measureId, true);
		const [before] = await tx
			.select()
			.from(measureConstraints)
			.where(and(eq(measureConstraints.measureId, measureId), eq(measureConstraints.aspect, data.aspect)));
		const values = { state: data.state, note: data.note, checkedOn, updatedAt: new Date() };
		const [after] = await tx
			.insert(measureConstraints)
			.values({ measureId, networkId, aspect: data.aspect, ...values })
			.onConflictDoUpdate({ target: [measureConstraints.measureId, measureConstraints.aspect], set: values })
			.returning();
		await tx.update(measures).set({ updatedAt: new Date() }).where(eq(measures.id, measureId));
		await recordChange(tx, actor, {
			networkId,
			action: before ? 'update' : 'create',
			recordType: 'measure_constraint',
			recordId: `${measureId}:${data.aspect}`,
			before,
			after
		});
		return { aspect: after.aspect, state: after.state, note: after.note, checkedOn: after.checkedOn };
	});
}

/** The network view of open conflicts: every aspect in conflict, newest first, paginated. */
export async function listOpenConflicts(actor: Actor, networkId: string, opts: { page?: number; pageSize?: number; state?: 'conflict' | 'to_check' } = {}) {
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(opts, 25);
	const where = and(eq(measureConstraints.networkId, networkId), inArray(measureConstraints.state, [opts.state ?? 'conflict']));
	const [items, [{ total }]] = await Promise.all([
		db()
			.select({
				measureId: measures.id,
				code: measures.code,
				title: measures.title,
				status: measures.status,
				bodyName: bodies.name,
				bodyAgs: bodies.ags,
				aspect: measureConstraints.aspect,
				state: measureConstraints.state,
				note: measureConstraints.note,
				checkedOn: measureConstraints.checkedOn
			})
			.from(measureConstraints)
			.innerJoin(measures, eq(measures.id, measureConstraints.measureId))
			.innerJoin(bodies, eq(bodies.id, measures.bodyId))
			.where(where)
			.orderBy(sql`${measureConstraints.checkedOn} desc nulls last`, asc(bodies.name), asc(measures.code))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(measureConstraints).where(where)
	]);
	return { items, total, page, pageSize };
}
