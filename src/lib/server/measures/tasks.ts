// Tasks of a measure: who does what by when. Overdue tasks make the measure overdue and feed the
// weekly reminder.
import { and, asc, eq, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { measureTasks, people, taskState } from '../db/schema';
import type { Actor } from '../auth/actor';
import { NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, date, isUuid, parseFields, text } from '../network/directory-shared';
import { canMeasure } from './permissions';
import { loadEditableMeasure, loadMeasure } from './measures';
import { z } from 'zod';

export const TASK_STATES = taskState.enumValues;
export type MeasureTask = typeof measureTasks.$inferSelect;

const taskShape = () => ({
	title: text(500, true),
	ownerPersonId: z
		.string()
		.trim()
		.refine((s) => s === '' || isUuid(s), { error: 'measure.personUnknown' })
		.transform((s) => (s === '' ? null : s)),
	dueOn: date,
	state: choice(TASK_STATES)
});

async function checkOwner(tx: Tx, networkId: string, personId: string | null) {
	if (!personId) return;
	const [p] = await tx.select({ id: people.id }).from(people).where(and(eq(people.id, personId), eq(people.networkId, networkId)));
	if (!p) throw new ValidationError({ ownerPersonId: 'measure.personUnknown' });
}

async function loadTask(tx: Tx | ReturnType<typeof db>, networkId: string, taskId: string, lock = false, measureId?: string): Promise<MeasureTask> {
	if (!isUuid(taskId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(measureTasks)
		.where(and(eq(measureTasks.id, taskId), eq(measureTasks.networkId, networkId)));
	const [t] = lock ? await q.for('update') : await q;
	if (!t || (measureId !== undefined && t.measureId !== measureId)) throw new NotFoundError();
	return t;
}

export async function listTasks(actor: Actor, networkId: string, measureId: string) {
	const m = await loadMeasure(db(), networkId, measureId);
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new NotFoundError();
	return db()
		.select({ task: measureTasks, ownerName: people.name })
		.from(measureTasks)
		.leftJoin(people, and(eq(people.id, measureTasks.ownerPersonId), eq(people.networkId, networkId)))
		.where(and(eq(measureTasks.measureId, measureId), eq(measureTasks.networkId, networkId)))
		.orderBy(sql`${measureTasks.dueOn} asc nulls last`, asc(measureTasks.createdAt))
		// A measure has a handful of tasks; the cap keeps a runaway import from loading thousands.
		.limit(200);
}

export async function addTask(actor: Actor, networkId: string, measureId: string, input: unknown): Promise<MeasureTask> {
	await loadEditableMeasure(actor, networkId, measureId);
	const data = parseFields(taskShape(), input);
	return db().transaction(async (tx) => {
		await loadMeasure(tx, networkId, measureId, true);
		await checkOwner(tx, networkId, data.ownerPersonId);
		const [t] = await tx.insert(measureTasks).values({ ...data, networkId, measureId }).returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'measure_task', recordId: t.id, after: t });
		return t;
	});
}

/** `measureId`: the measure whose page the form is on; a task of another measure is not found. */
export async function updateTask(actor: Actor, networkId: string, taskId: string, input: unknown, measureId?: string): Promise<MeasureTask> {
	const task = await loadTask(db(), networkId, taskId, false, measureId);
	await loadEditableMeasure(actor, networkId, task.measureId);
	const data = parseFields(taskShape(), input);
	return db().transaction(async (tx) => {
		const before = await loadTask(tx, networkId, taskId, true);
		await checkOwner(tx, networkId, data.ownerPersonId);
		const [after] = await tx.update(measureTasks).set({ ...data, updatedAt: new Date() }).where(eq(measureTasks.id, taskId)).returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'measure_task', recordId: taskId, before, after });
		return after;
	});
}

export async function deleteTask(actor: Actor, networkId: string, taskId: string, measureId?: string): Promise<void> {
	const task = await loadTask(db(), networkId, taskId, false, measureId);
	await loadEditableMeasure(actor, networkId, task.measureId);
	await db().transaction(async (tx) => {
		const before = await loadTask(tx, networkId, taskId, true);
		await tx.delete(measureTasks).where(eq(measureTasks.id, taskId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'measure_task', recordId: taskId, before });
	});
}
