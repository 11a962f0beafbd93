// Tasks of a joint activity: who (a person of the directory and/or a town) does what by when, and
// whether it is done. Whoever may edit the activity manages its tasks.
import { and, asc, eq, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { bodies, people } from '../network/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import { recordChange } from '../audit/service';
import { date, isUuid, optionalUuid, parseFields, text } from '../network/directory-shared';
import { checkOwners, ownerOptions } from '../network/owners';
import { activityTasks } from './schema';
import { canActivity } from './permissions';
import { editableActivity, loadActivity, readableActivity } from './activities';

export type ActivityTask = typeof activityTasks.$inferSelect;

const taskShape = () => ({
	title: text(500, true),
	ownerPersonId: optionalUuid('activities.personUnknown'),
	ownerBodyId: optionalUuid('activities.bodyUnknown'),
	dueOn: date
});

const parseTask = (input: unknown) => parseFields(taskShape(), input);

const OWNER_KEYS = { person: 'activities.personUnknown', body: 'activities.bodyUnknown' };

/** `activityId`: the activity whose page the form is on; a task of another activity is not found. */
async function loadTask(tx: Tx | ReturnType<typeof db>, networkId: string, taskId: string, activityId: string, lock = false): Promise<ActivityTask> {
	if (!isUuid(taskId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(activityTasks)
		.where(and(eq(activityTasks.id, taskId), eq(activityTasks.networkId, networkId), eq(activityTasks.activityId, activityId)));
	const [t] = lock ? await q.for('update') : await q;
	if (!t) throw new NotFoundError();
	return t;
}

export interface ActivityTaskView {
	task: ActivityTask;
	ownerPersonName: string | null;
	ownerBodyName: string | null;
}

/** The activity's tasks: open first, by due date. Working area only (the portal shows no tasks). */
export async function listActivityTasks(actor: Actor, networkId: string, activityId: string): Promise<ActivityTaskView[]> {
	await readableActivity(actor, networkId, activityId);
	if (!canActivity(actor, 'activity.read', { networkId })) throw new ForbiddenError();
	return db()
		.select({ task: activityTasks, ownerPersonName: people.name, ownerBodyName: bodies.name })
		.from(activityTasks)
		.leftJoin(people, and(eq(people.id, activityTasks.ownerPersonId), eq(people.networkId, networkId)))
		.leftJoin(bodies, and(eq(bodies.id, activityTasks.ownerBodyId), eq(bodies.networkId, networkId)))
		.where(and(eq(activityTasks.activityId, activityId), eq(activityTasks.networkId, networkId)))
		.orderBy(asc(activityTasks.done), sql`${activityTasks.dueOn} asc nulls last`, asc(activityTasks.createdAt), asc(activityTasks.id))
		// An activity has a handful of tasks; the cap keeps a runaway from loading thousands.
		.limit(200);
}

export async function addActivityTask(actor: Actor, networkId: string, activityId: string, input: unknown): Promise<ActivityTask> {
	await editableActivity(actor, networkId, activityId);
	const data = parseTask(input);
	return db().transaction(async (tx) => {
		await loadActivity(tx, networkId, activityId, true);
		await checkOwners(tx, networkId, data.ownerPersonId, data.ownerBodyId, OWNER_KEYS);
		const [t] = await tx
			.insert(activityTasks)
			.values({ ...data, networkId, activityId, createdBy: actor.userId })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'activity_task', recordId: t.id, after: auditTask(t) });
		return t;
	});
}

const auditTask = (t: ActivityTask) => {
	const { id: _id, networkId: _n, createdAt: _ca, updatedAt: _ua, createdBy: _cb, ...rest } = t;
	return rest;
};

export async function updateActivityTask(actor: Actor, networkId: string, activityId: string, taskId: string, input: unknown): Promise<ActivityTask> {
	await editableActivity(actor, networkId, activityId);
	await loadTask(db(), networkId, taskId, activityId);
	const data = parseTask(input);
	return db().transaction(async (tx) => {
		const before = await loadTask(tx, networkId, taskId, activityId, true);
		await checkOwners(tx, networkId, data.ownerPersonId, data.ownerBodyId, OWNER_KEYS);
		const [after] = await tx.update(activityTasks).set({ ...data, updatedAt: new Date() }).where(eq(activityTasks.id, taskId)).returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'activity_task', recordId: taskId, before: auditTask(before), after: auditTask(after) });
		return after;
	});
}

/** Marks a task done or open again (`done`: the wanted state, so a double submit changes nothing). */
export async function setActivityTaskDone(actor: Actor, networkId: string, activityId: string, taskId: string, done: boolean, now: Date = new Date()): Promise<ActivityTask> {
	await editableActivity(actor, networkId, activityId);
	await loadTask(db(), networkId, taskId, activityId);
	return db().transaction(async (tx) => {
		const before = await loadTask(tx, networkId, taskId, activityId, true);
		if (before.done === done) return before;
		const [after] = await tx
			.update(activityTasks)
			.set({ done, doneAt: done ? now : null, updatedAt: now })
			.where(eq(activityTasks.id, taskId))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'activity_task', recordId: taskId, before: auditTask(before), after: auditTask(after) });
		return after;
	});
}

export async function deleteActivityTask(actor: Actor, networkId: string, activityId: string, taskId: string): Promise<void> {
	await editableActivity(actor, networkId, activityId);
	await loadTask(db(), networkId, taskId, activityId);
	await db().transaction(async (tx) => {
		const before = await loadTask(tx, networkId, taskId, activityId, true);
		await tx.delete(activityTasks).where(eq(activityTasks.id, taskId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'activity_task', recordId: taskId, before: auditTask(before) });
	});
}

/** What the task forms offer: people (with their town) and bodies of the network. */
export async function taskOwnerOptions(actor: Actor, networkId: string, activityId: string) {
	await editableActivity(actor, networkId, activityId);
	return ownerOptions(networkId);
}
