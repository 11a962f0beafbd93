// Tasks of a joint activity: who (a person of the directory and/or a town) does what by when, and
// whether it is done. Members of the proposer and of the participating towns add tasks and mark
// them done or open; editing and deleting a task is for the coordinator, the proposer's members and
// whoever created it. A task's town is the proposer or one taking part.
import { and, asc, eq, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { bodies, people } from '../network/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { date, isUuid, optionalUuid, parseFields, text } from '../network/directory-shared';
import { checkOwners, ownerOptions } from '../network/owners';
import { activityTasks } from './schema';
import { canActivity } from './permissions';
import { loadActivity, participantBodyIds, workingActivity, type Activity } from './activities';

export type ActivityTask = typeof activityTasks.$inferSelect;

const taskShape = () => ({
	title: text(500, true),
	ownerPersonId: optionalUuid('activities.personUnknown'),
	ownerBodyId: optionalUuid('activities.bodyUnknown'),
	dueOn: date
});

const parseTask = (input: unknown) => parseFields(taskShape(), input);

const OWNER_KEYS = { person: 'activities.personUnknown', body: 'activities.bodyUnknown' };

type Reader = Tx | ReturnType<typeof db>;

/** The activity of the working area with the bodies taking part; 404/403 like workingActivity. */
async function activityWithParticipants(actor: Actor, networkId: string, activityId: string) {
	const activity = await workingActivity(actor, networkId, activityId);
	return { activity, participants: await participantBodyIds(db(), networkId, activityId) };
}

/** Adding tasks and marking them done/open: the proposer's and the participating towns' members, the coordinator. */
async function contributableActivity(actor: Actor, networkId: string, activityId: string): Promise<Activity> {
	const { activity, participants } = await activityWithParticipants(actor, networkId, activityId);
	if (!canActivity(actor, 'activity.task.add', { networkId, proposerBodyId: activity.proposerBodyId, participantBodyIds: participants })) throw new ForbiddenError();
	return activity;
}

/** Editing or deleting a task: the coordinator, the proposer's members, whoever created it. */
async function managedTask(actor: Actor, networkId: string, activityId: string, taskId: string): Promise<void> {
	const activity = await workingActivity(actor, networkId, activityId);
	const task = await loadTask(db(), networkId, taskId, activityId);
	if (!canActivity(actor, 'activity.task.manage', { networkId, proposerBodyId: activity.proposerBodyId, taskCreatedBy: task.createdBy })) throw new ForbiddenError();
}

/**
 * The task's town must be the proposer or one taking part (read inside the write's transaction,
 * after the activity row is locked, so a town leaving at the same time is seen).
 */
async function checkOwnerBodyTakesPart(tx: Reader, networkId: string, activity: Activity, bodyId: string | null) {
	if (!bodyId || bodyId === activity.proposerBodyId) return;
	if (!(await participantBodyIds(tx, networkId, activity.id)).includes(bodyId)) throw new ValidationError({ ownerBodyId: 'activities.ownerBodyNotTakingPart' });
}

/** `activityId`: the activity whose page the form is on; a task of another activity is not found. */
async function loadTask(tx: Reader, networkId: string, taskId: string, activityId: string, lock = false): Promise<ActivityTask> {
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
	/** The actor may edit or delete this task. */
	canManage: boolean;
}

/** The activity's tasks: open first, by due date. Working area only (the portal shows no tasks). */
export async function listActivityTasks(actor: Actor, networkId: string, activityId: string): Promise<ActivityTaskView[]> {
	const activity = await workingActivity(actor, networkId, activityId);
	const rows = await db()
		.select({ task: activityTasks, ownerPersonName: people.name, ownerBodyName: bodies.name })
		.from(activityTasks)
		.leftJoin(people, and(eq(people.id, activityTasks.ownerPersonId), eq(people.networkId, networkId)))
		.leftJoin(bodies, and(eq(bodies.id, activityTasks.ownerBodyId), eq(bodies.networkId, networkId)))
		.where(and(eq(activityTasks.activityId, activityId), eq(activityTasks.networkId, networkId)))
		.orderBy(asc(activityTasks.done), sql`${activityTasks.dueOn} asc nulls last`, asc(activityTasks.createdAt), asc(activityTasks.id))
		// An activity has a handful of tasks; the cap keeps a runaway from loading thousands.
		.limit(200);
	return rows.map((r) => ({
		...r,
		canManage: canActivity(actor, 'activity.task.manage', { networkId, proposerBodyId: activity.proposerBodyId, taskCreatedBy: r.task.createdBy })
	}));
}

export async function addActivityTask(actor: Actor, networkId: string, activityId: string, input: unknown): Promise<ActivityTask> {
	await contributableActivity(actor, networkId, activityId);
	const data = parseTask(input);
	return db().transaction(async (tx) => {
		const activity = await loadActivity(tx, networkId, activityId, true);
		await checkOwners(tx, networkId, data.ownerPersonId, data.ownerBodyId, OWNER_KEYS);
		await checkOwnerBodyTakesPart(tx, networkId, activity, data.ownerBodyId);
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

/** Saves a task's form. An owner town that has left since may stay; a newly chosen one must take part. */
export async function updateActivityTask(actor: Actor, networkId: string, activityId: string, taskId: string, input: unknown): Promise<ActivityTask> {
	await managedTask(actor, networkId, activityId, taskId);
	const data = parseTask(input);
	return db().transaction(async (tx) => {
		const activity = await loadActivity(tx, networkId, activityId, true);
		const before = await loadTask(tx, networkId, taskId, activityId, true);
		await checkOwners(tx, networkId, data.ownerPersonId, data.ownerBodyId, OWNER_KEYS);
		if (data.ownerBodyId !== before.ownerBodyId) await checkOwnerBodyTakesPart(tx, networkId, activity, data.ownerBodyId);
		const [after] = await tx.update(activityTasks).set({ ...data, updatedAt: new Date() }).where(eq(activityTasks.id, taskId)).returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'activity_task', recordId: taskId, before: auditTask(before), after: auditTask(after) });
		return after;
	});
}

/** Marks a task done or open again (`done`: the wanted state, so a double submit changes nothing). */
export async function setActivityTaskDone(actor: Actor, networkId: string, activityId: string, taskId: string, done: boolean, now: Date = new Date()): Promise<ActivityTask> {
	await contributableActivity(actor, networkId, activityId);
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
	await managedTask(actor, networkId, activityId, taskId);
	await db().transaction(async (tx) => {
		const before = await loadTask(tx, networkId, taskId, activityId, true);
		await tx.delete(activityTasks).where(eq(activityTasks.id, taskId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'activity_task', recordId: taskId, before: auditTask(before) });
	});
}

/** What the task forms offer: people of the network (with their town), the proposer and the towns taking part. */
export async function taskOwnerOptions(actor: Actor, networkId: string, activityId: string) {
	const a = await contributableActivity(actor, networkId, activityId);
	const [options, participants] = await Promise.all([ownerOptions(networkId), participantBodyIds(db(), networkId, activityId)]);
	const allowed = new Set([...participants, ...(a.proposerBodyId ? [a.proposerBodyId] : [])]);
	return { people: options.people, bodies: options.bodies.filter((b) => allowed.has(b.id)) };
}
