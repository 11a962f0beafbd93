import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../audit/schema';
import { VISITOR } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import { joinActivity, leaveActivity, listActivities } from './activities';
import { addActivityTask, deleteActivityTask, listActivityTasks, setActivityTaskDone, taskOwnerOptions, updateActivityTask } from './tasks';
import { activityWorld, makeActivity, type ActivityWorld } from './testing';

useTestDb();

let w: ActivityWorld;
let activityId: string;
beforeAll(async () => {
	w = await activityWorld();
	activityId = (await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id })).id;
});

describe('activity tasks', () => {
	it('adds tasks with a person or a town as owner and a due date, listed open first by due date', async () => {
		const a = await addActivityTask(w.member, w.network.id, activityId, { title: 'Bedarf der Kommunen erheben', ownerBodyId: w.town.id, dueOn: '1.9.2025' });
		expect(a).toMatchObject({ title: 'Bedarf der Kommunen erheben', ownerBodyId: w.town.id, ownerPersonId: null, dueOn: '2025-09-01', done: false, createdBy: w.member.userId });
		const b = await addActivityTask(w.coordinator, w.network.id, activityId, { title: 'Leistungsverzeichnis entwerfen', ownerPersonId: w.person.id, dueOn: '2025-07-15' });
		const c = await addActivityTask(w.member, w.network.id, activityId, { title: 'Ohne Termin' });
		const list = await listActivityTasks(w.partner, w.network.id, activityId);
		expect(list.map((t) => t.task.id)).toEqual([b.id, a.id, c.id]);
		expect(list[0]).toMatchObject({ ownerPersonName: 'Klara Klimaschutz', ownerBodyName: null });
		expect(list[1]).toMatchObject({ ownerPersonName: null, ownerBodyName: 'Wernigerode' });
		const [row] = await db()
			.select({ after: auditLog.after })
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'activity_task'), eq(auditLog.recordId, a.id), eq(auditLog.action, 'create')));
		expect(row.after).toMatchObject({ title: 'Bedarf der Kommunen erheben', activityId });
		expect((await listActivities(w.member, w.network.id, {})).items.find((i) => i.id === activityId)?.openTasks).toBe(3);
	});

	it('refuses bad input: empty title, 1 MB title, a bad date, owners of another network', async () => {
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, activityId, { title: ' ' }))).toEqual({ title: 'validation.required' });
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, activityId, { title: 'x'.repeat(1_000_000) }))).toEqual({ title: 'dir.tooLong500' });
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, activityId, { title: 'T', dueOn: '31.02.2025' }))).toEqual({ dueOn: 'dir.date' });
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, activityId, { title: 'T', ownerPersonId: w.foreignPerson.id, ownerBodyId: w.foreignTown.id }))).toEqual({
			ownerPersonId: 'activities.personUnknown',
			ownerBodyId: 'activities.bodyUnknown'
		});
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, activityId, { title: 'T', ownerPersonId: '"><img onerror=x>' }))).toEqual({ ownerPersonId: 'activities.personUnknown' });
	});

	it('members of the proposer and of participating towns add tasks; the working area reads them', async () => {
		await expect(addActivityTask(w.otherMember, w.network.id, activityId, { title: 'Fremd' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(addActivityTask(w.partner, w.network.id, activityId, { title: 'Fremd' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(addActivityTask(VISITOR, w.network.id, activityId, { title: 'Fremd' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(addActivityTask(w.foreignCoordinator, w.foreign.id, activityId, { title: 'Fremd' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(listActivityTasks(w.citizen, w.network.id, activityId)).rejects.toBeInstanceOf(NotFoundError);
		await expect(taskOwnerOptions(w.otherMember, w.network.id, activityId)).rejects.toBeInstanceOf(ForbiddenError);
		// Once Halberstadt takes part, its member adds tasks too; the owner towns offered are the ones taking part.
		await joinActivity(w.otherMember, w.network.id, activityId, w.other.id);
		const t = await addActivityTask(w.otherMember, w.network.id, activityId, { title: 'Angebote einholen', ownerBodyId: w.other.id });
		expect(t.ownerBodyId).toBe(w.other.id);
		const opts = await taskOwnerOptions(w.otherMember, w.network.id, activityId);
		expect(opts.bodies.map((b) => b.name)).toEqual(['Halberstadt', 'Wernigerode']);
		expect(opts.people.map((p) => p.name)).toEqual(['Klara Klimaschutz']);
	});

	it('edits, marks done and open again (a double submit changes nothing), deletes', async () => {
		const t = await addActivityTask(w.member, w.network.id, activityId, { title: 'Pressemitteilung' });
		const u = await updateActivityTask(w.member, w.network.id, activityId, t.id, { title: 'Pressemitteilung schreiben', ownerPersonId: w.person.id, dueOn: '2025-10-01' });
		expect(u).toMatchObject({ title: 'Pressemitteilung schreiben', ownerPersonId: w.person.id, dueOn: '2025-10-01' });
		const now = new Date('2025-09-20T10:00:00Z');
		const d = await setActivityTaskDone(w.member, w.network.id, activityId, t.id, true, now);
		expect(d.done).toBe(true);
		expect(d.doneAt?.toISOString()).toBe(now.toISOString());
		const again = await setActivityTaskDone(w.member, w.network.id, activityId, t.id, true, new Date('2025-09-21T10:00:00Z'));
		expect(again.doneAt?.toISOString()).toBe(now.toISOString());
		const open = await setActivityTaskDone(w.member, w.network.id, activityId, t.id, false);
		expect(open).toMatchObject({ done: false, doneAt: null });
		await setActivityTaskDone(w.member, w.network.id, activityId, t.id, true);
		const list = await listActivityTasks(w.member, w.network.id, activityId);
		expect(list.at(-1)?.task.id).toBe(t.id);
		await deleteActivityTask(w.member, w.network.id, activityId, t.id);
		expect((await listActivityTasks(w.member, w.network.id, activityId)).some((x) => x.task.id === t.id)).toBe(false);
		await expect(deleteActivityTask(w.member, w.network.id, activityId, t.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('participants mark any task done and edit or delete their own; the proposer and the coordinator manage all', async () => {
		// activityId: proposed by Wernigerode (member); Halberstadt (otherMember) has joined above.
		const proposers = await addActivityTask(w.member, w.network.id, activityId, { title: 'Von Wernigerode' });
		const mine = await addActivityTask(w.otherMember, w.network.id, activityId, { title: 'Von Halberstadt' });
		expect((await setActivityTaskDone(w.otherMember, w.network.id, activityId, proposers.id, true)).done).toBe(true);
		expect((await setActivityTaskDone(w.otherMember, w.network.id, activityId, proposers.id, false)).done).toBe(false);
		await expect(updateActivityTask(w.otherMember, w.network.id, activityId, proposers.id, { title: 'Übernommen' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(deleteActivityTask(w.otherMember, w.network.id, activityId, proposers.id)).rejects.toBeInstanceOf(ForbiddenError);
		expect((await updateActivityTask(w.otherMember, w.network.id, activityId, mine.id, { title: 'Von Halberstadt, genauer' })).title).toBe('Von Halberstadt, genauer');
		const listed = await listActivityTasks(w.otherMember, w.network.id, activityId);
		expect(listed.find((x) => x.task.id === proposers.id)?.canManage).toBe(false);
		expect(listed.find((x) => x.task.id === mine.id)?.canManage).toBe(true);
		expect((await listActivityTasks(w.member, w.network.id, activityId)).every((x) => x.canManage)).toBe(true);
		expect((await listActivityTasks(w.partner, w.network.id, activityId)).some((x) => x.canManage)).toBe(false);
		// A town that never joined neither marks nor edits.
		await expect(setActivityTaskDone(w.thirdMember, w.network.id, activityId, mine.id, true)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateActivityTask(w.thirdMember, w.network.id, activityId, mine.id, { title: 'Fremd' })).rejects.toBeInstanceOf(ForbiddenError);
		// The proposer's member edits Halberstadt's task; the coordinator deletes both.
		expect((await updateActivityTask(w.member, w.network.id, activityId, mine.id, { title: 'Abgestimmt' })).title).toBe('Abgestimmt');
		await deleteActivityTask(w.otherMember, w.network.id, activityId, mine.id);
		await deleteActivityTask(w.coordinator, w.network.id, activityId, proposers.id);
		const left = (await listActivityTasks(w.coordinator, w.network.id, activityId)).map((x) => x.task.id);
		expect(left).not.toContain(mine.id);
		expect(left).not.toContain(proposers.id);
	});

	it("a task's town is the proposer or one taking part; one that has left may stay on an existing task", async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, a.id, { title: 'T', ownerBodyId: w.third.id }))).toEqual({ ownerBodyId: 'activities.ownerBodyNotTakingPart' });
		expect(await fieldErrors(addActivityTask(w.coordinator, w.network.id, a.id, { title: 'T', ownerBodyId: w.other.id }))).toEqual({ ownerBodyId: 'activities.ownerBodyNotTakingPart' });
		const t = await addActivityTask(w.member, w.network.id, a.id, { title: 'Eigene', ownerBodyId: w.town.id });
		expect(await fieldErrors(updateActivityTask(w.member, w.network.id, a.id, t.id, { title: 'Eigene', ownerBodyId: w.third.id }))).toEqual({ ownerBodyId: 'activities.ownerBodyNotTakingPart' });
		await joinActivity(w.thirdMember, w.network.id, a.id, w.third.id);
		const third = await addActivityTask(w.thirdMember, w.network.id, a.id, { title: 'Osterwieck', ownerBodyId: w.third.id });
		expect(third.ownerBodyId).toBe(w.third.id);
		expect((await taskOwnerOptions(w.member, w.network.id, a.id)).bodies.map((b) => b.name)).toEqual(['Osterwieck', 'Wernigerode']);
		await leaveActivity(w.thirdMember, w.network.id, a.id, w.third.id);
		// Renaming keeps the town that left; choosing it anew is refused. The creator still edits their task.
		expect((await updateActivityTask(w.thirdMember, w.network.id, a.id, third.id, { title: 'Osterwieck, umbenannt', ownerBodyId: w.third.id })).ownerBodyId).toBe(w.third.id);
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, a.id, { title: 'Neu', ownerBodyId: w.third.id }))).toEqual({ ownerBodyId: 'activities.ownerBodyNotTakingPart' });
		await expect(addActivityTask(w.thirdMember, w.network.id, a.id, { title: 'Nach dem Austritt' })).rejects.toBeInstanceOf(ForbiddenError);
		expect(await fieldErrors(addActivityTask(w.member, w.network.id, a.id, { title: 'T', ownerBodyId: w.foreignTown.id }))).toEqual({ ownerBodyId: 'activities.bodyUnknown' });
	});

	it('a task of another activity or a garbled id is not found', async () => {
		const other = await makeActivity(w.coordinator, w.network.id, { proposerBodyId: w.town.id });
		const t = await addActivityTask(w.coordinator, w.network.id, other.id, { title: 'Woanders' });
		await expect(updateActivityTask(w.member, w.network.id, activityId, t.id, { title: 'Umgehängt' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(setActivityTaskDone(w.member, w.network.id, activityId, t.id, true)).rejects.toBeInstanceOf(NotFoundError);
		await expect(deleteActivityTask(w.member, w.network.id, activityId, t.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(deleteActivityTask(w.member, w.network.id, activityId, 'x')).rejects.toBeInstanceOf(NotFoundError);
		// A member of a town that neither proposed nor joined may not touch it either.
		await expect(setActivityTaskDone(w.thirdMember, w.network.id, other.id, t.id, true)).rejects.toBeInstanceOf(ForbiddenError);
		expect((await listActivityTasks(w.coordinator, w.network.id, other.id))[0].task).toMatchObject({ title: 'Woanders', done: false });
	});
});
