import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../audit/schema';
import { VISITOR } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { agendaItems, meetings } from '../meetings/schema';
import { activityParticipants } from './schema';
import { notifications } from '../notifications/schema';
import { notificationKind } from '../notifications';
import {
	activityFilterFromUrl,
	activityFilterToQuery,
	activityFormValues,
	createActivity,
	getActivity,
	getPublicActivity,
	joinActivity,
	leaveActivity,
	listActivities,
	listPublicActivities,
	meetingsDiscussing,
	parseActivity,
	participatingBodies,
	proposerOptions,
	setActivityStatus,
	updateActivity
} from './activities';
import { activityInput, activityWorld, makeActivity, type ActivityWorld } from './testing';
import { addActivityTask, deleteActivityTask, listActivityTasks } from './tasks';

useTestDb();

let w: ActivityWorld;
beforeAll(async () => {
	w = await activityWorld();
});

const errorsOf = (input: Record<string, string | string[]>, previous: Parameters<typeof parseActivity>[1] = null) => {
	try {
		parseActivity(input, previous);
	} catch (e) {
		if (e instanceof ValidationError) return e.fieldErrors;
		throw e;
	}
	throw new Error('expected errors');
};

describe('parseActivity', () => {
	it('names every bad field at once', () => {
		expect(errorsOf({})).toMatchObject({ title: 'validation.required', status: 'validation.choice' });
		expect(errorsOf(activityInput({ title: '   ' }))).toEqual({ title: 'validation.required' });
		expect(errorsOf(activityInput({ status: 'finished' }))).toEqual({ status: 'validation.choice' });
		expect(errorsOf(activityInput({ description: 'x'.repeat(1_000_000) }))).toEqual({ description: 'dir.tooLong20000' });
		expect(errorsOf(activityInput({ title: 'x'.repeat(1_000_000) }))).toEqual({ title: 'dir.tooLong200' });
		expect(errorsOf(activityInput({ proposerBodyId: 'nicht-eine-id' }))).toEqual({ proposerBodyId: 'activities.bodyUnknown' });
		expect(errorsOf(activityInput({ status: 'dropped' }))).toEqual({ statusReason: 'activities.reasonRequired' });
	});

	it('needs a reason only when the status changes to dropped', () => {
		expect(parseActivity(activityInput({ status: 'dropped' }), 'dropped').status).toBe('dropped');
		expect(parseActivity(activityInput({ status: 'dropped', statusReason: 'Kein Haushalt' }), 'planning').statusReason).toBe('Kein Haushalt');
	});

	it('keeps script payloads as plain text and drops NUL bytes', () => {
		const d = parseActivity(activityInput({ title: '<script>alert(1)</script>\u0000', description: '"><img src=x onerror=alert(1)>', isPublic: 'on' }));
		expect(d.title).toBe('<script>alert(1)</script>');
		expect(d.description).toBe('"><img src=x onerror=alert(1)>');
		expect(d.isPublic).toBe(true);
		expect(d.proposerBodyId).toBeNull();
	});
});

describe('createActivity', () => {
	it('a member proposes for their town: the town takes part at once, audited', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id, description: '**Sammelausschreibung**' });
		expect(a).toMatchObject({ proposerBodyId: w.town.id, proposedBy: w.member.userId, status: 'idea', isPublic: false, version: 1, isDemo: false });
		const d = await getActivity(w.partner, w.network.id, a.id);
		expect(d.participants.map((p) => p.name)).toEqual(['Wernigerode']);
		expect(d.proposerBody?.name).toBe('Wernigerode');
		expect(d.proposerName).toBe(w.member.name);
		expect(d.canEdit).toBe(false);
		const log = await db()
			.select({ action: auditLog.action, recordType: auditLog.recordType })
			.from(auditLog)
			.where(and(eq(auditLog.networkId, w.network.id), eq(auditLog.recordId, a.id)));
		expect(log).toEqual(expect.arrayContaining([
			{ action: 'create', recordType: 'activity' },
			{ action: 'create', recordType: 'activity_participant' }
		]));
	});

	it('a member must pick one of their own bodies', async () => {
		expect(await fieldErrors(makeActivity(w.member, w.network.id, { proposerBodyId: '' }))).toEqual({ proposerBodyId: 'activities.proposerRequired' });
		expect(await fieldErrors(makeActivity(w.member, w.network.id, { proposerBodyId: w.other.id }))).toEqual({ proposerBodyId: 'activities.proposerNotYours' });
		const a = await makeActivity(w.twoTowns, w.network.id, { proposerBodyId: w.other.id });
		expect(a.proposerBodyId).toBe(w.other.id);
	});

	it('the coordinator proposes as the coordination (nobody joins) or for any town of the network', async () => {
		const a = await makeActivity(w.coordinator, w.network.id, { proposerBodyId: '' });
		expect(a.proposerBodyId).toBeNull();
		expect((await getActivity(w.coordinator, w.network.id, a.id)).participants).toEqual([]);
		const b = await makeActivity(w.coordinator, w.network.id, { proposerBodyId: w.third.id });
		expect((await getActivity(w.coordinator, w.network.id, b.id)).participants.map((p) => p.id)).toEqual([w.third.id]);
		expect(await fieldErrors(makeActivity(w.coordinator, w.network.id, { proposerBodyId: w.foreignTown.id }))).toEqual({ proposerBodyId: 'activities.bodyUnknown' });
	});

	it('partners, citizens, visitors and other networks may not propose', async () => {
		for (const actor of [w.partner, w.citizen, VISITOR, w.foreignCoordinator]) {
			await expect(makeActivity(actor, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		}
	});

	it('refuses an empty title, a 1 MB description and a bad status without writing', async () => {
		const before = await listActivities(w.coordinator, w.network.id, { pageSize: 100 });
		expect(await fieldErrors(makeActivity(w.coordinator, w.network.id, { title: '' }))).toEqual({ title: 'validation.required' });
		expect(await fieldErrors(makeActivity(w.coordinator, w.network.id, { description: 'ä'.repeat(1_000_000) }))).toEqual({ description: 'dir.tooLong20000' });
		expect(await fieldErrors(makeActivity(w.coordinator, w.network.id, { status: "running'; drop table activities;--" }))).toEqual({ status: 'validation.choice' });
		expect((await listActivities(w.coordinator, w.network.id, { pageSize: 100 })).total).toBe(before.total);
	});

	it('starts as an idea or in planning only: running, done or dropped at once is a field error', async () => {
		const before = await listActivities(w.coordinator, w.network.id, { pageSize: 100 });
		for (const status of ['running', 'done', 'dropped']) {
			expect(await fieldErrors(makeActivity(w.coordinator, w.network.id, { status, statusReason: 'Gleich erledigt' }))).toEqual({ status: 'activities.statusAtStart' });
			expect(await fieldErrors(makeActivity(w.member, w.network.id, { status, proposerBodyId: w.town.id }))).toEqual({ status: 'activities.statusAtStart' });
		}
		expect((await listActivities(w.coordinator, w.network.id, { pageSize: 100 })).total).toBe(before.total);
		expect((await makeActivity(w.member, w.network.id, { status: 'planning', proposerBodyId: w.town.id })).status).toBe('planning');
	});

	it('ignores a status reason sent with a new activity, and one sent with a change to anything but dropped', async () => {
		const a = await makeActivity(w.coordinator, w.network.id, { statusReason: 'Wird nicht gespeichert' });
		const s = await setActivityStatus(w.coordinator, w.network.id, a.id, { status: 'running', statusReason: 'Auch nicht', version: '1' });
		await updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput({ status: 'done', statusReason: 'Ebenso nicht' }), version: String(s.version) });
		const log = await db()
			.select({ after: auditLog.after })
			.from(auditLog)
			.where(and(eq(auditLog.networkId, w.network.id), eq(auditLog.recordType, 'activity'), eq(auditLog.recordId, a.id)));
		expect(log).toHaveLength(3);
		for (const { after } of log) expect(after).not.toHaveProperty('statusReason');
	});
});

describe('updateActivity', () => {
	it('saves with the version guard; a stale version keeps the input and offers the current version', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		const { values } = await activityFormValues(w.member, w.network.id, a.id);
		expect(values).toMatchObject({ version: '1', proposerBodyId: w.town.id, isPublic: '' });
		const u = await updateActivity(w.member, w.network.id, a.id, { ...values, title: 'LED-Beschaffung', status: 'planning', isPublic: 'on' });
		expect(u).toMatchObject({ title: 'LED-Beschaffung', status: 'planning', isPublic: true, version: 2, updatedBy: w.member.userId });
		try {
			await updateActivity(w.member, w.network.id, a.id, { ...values, title: 'Alte Fassung' });
			throw new Error('expected a conflict');
		} catch (e) {
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).fieldErrors).toEqual({ _form: 'activities.editedMeanwhile' });
			expect((e as ValidationError).values).toEqual({ version: '2' });
		}
		expect(await fieldErrors(updateActivity(w.member, w.network.id, a.id, { ...values, version: '' }))).toEqual({ _form: 'activities.versionMissing' });
		expect((await getActivity(w.member, w.network.id, a.id)).title).toBe('LED-Beschaffung');
	});

	it("a town that joins does not take the activity over: only the proposer's members and the coordinator edit it", async () => {
		// Halberstadt proposes; Wernigerode joins and tries to rename it, hide it, drop it and delete Halberstadt's task.
		const a = await makeActivity(w.otherMember, w.network.id, { proposerBodyId: w.other.id, isPublic: 'on' });
		const task = await addActivityTask(w.otherMember, w.network.id, a.id, { title: 'Angebote einholen' });
		expect(await joinActivity(w.member, w.network.id, a.id, w.town.id)).toBe('joined');
		const values = { ...activityInput({ proposerBodyId: w.other.id }), version: '1', title: 'Von Wernigerode übernommen' };
		await expect(updateActivity(w.member, w.network.id, a.id, values)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(activityFormValues(w.member, w.network.id, a.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(setActivityStatus(w.member, w.network.id, a.id, { status: 'dropped', statusReason: 'Übernommen', version: '1' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(deleteActivityTask(w.member, w.network.id, a.id, task.id)).rejects.toBeInstanceOf(ForbiddenError);
		for (const outsider of [w.thirdMember, w.partner]) await expect(updateActivity(outsider, w.network.id, a.id, values)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateActivity(w.foreignCoordinator, w.foreign.id, a.id, values)).rejects.toBeInstanceOf(NotFoundError);
		const d = await getActivity(w.member, w.network.id, a.id);
		expect(d).toMatchObject({ title: 'Gemeinsame Beschaffung von LED-Straßenbeleuchtung', status: 'idea', isPublic: true, version: 1, canEdit: false, canAddTasks: true });
		expect((await listActivityTasks(w.member, w.network.id, a.id)).map((t) => [t.task.title, t.canManage])).toEqual([['Angebote einholen', false]]);
		// The proposer's members (also one representing both towns) and the coordinator do edit it.
		expect((await getActivity(w.twoTowns, w.network.id, a.id)).canEdit).toBe(true);
		const u = await updateActivity(w.twoTowns, w.network.id, a.id, { ...values, title: 'Von Halberstadt geändert' });
		expect(u).toMatchObject({ title: 'Von Halberstadt geändert', proposerBodyId: w.other.id, version: 2 });
		expect(await fieldErrors(updateActivity(w.twoTowns, w.network.id, a.id, { ...values, version: '2', proposerBodyId: w.third.id }))).toEqual({
			proposerBodyId: 'activities.proposerNotYours'
		});
		expect((await setActivityStatus(w.coordinator, w.network.id, a.id, { status: 'planning', version: '2' })).status).toBe('planning');
	});

	it('an activity of the coordination is edited by coordinators only, even once towns take part', async () => {
		const a = await makeActivity(w.coordinator, w.network.id, { proposerBodyId: '' });
		await joinActivity(w.member, w.network.id, a.id, w.town.id);
		await expect(updateActivity(w.member, w.network.id, a.id, { ...activityInput(), version: '1', title: 'Übernommen' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(setActivityStatus(w.member, w.network.id, a.id, { status: 'running', version: '1' })).rejects.toBeInstanceOf(ForbiddenError);
		expect(await getActivity(w.member, w.network.id, a.id)).toMatchObject({ canEdit: false, canAddTasks: true });
		expect((await updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput(), version: '1', title: 'Koordiniert' })).title).toBe('Koordiniert');
	});

	it('a new proposer joins; dropping needs a reason, which the page shows', async () => {
		const a = await makeActivity(w.coordinator, w.network.id, { proposerBodyId: '' });
		const u = await updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput({ proposerBodyId: w.third.id }), version: '1' });
		expect(u.proposerBodyId).toBe(w.third.id);
		expect((await getActivity(w.coordinator, w.network.id, a.id)).participants.map((p) => p.id)).toEqual([w.third.id]);
		expect(await fieldErrors(updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput({ proposerBodyId: w.third.id, status: 'dropped' }), version: '2' }))).toEqual({
			statusReason: 'activities.reasonRequired'
		});
		await updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput({ proposerBodyId: w.third.id, status: 'dropped', statusReason: 'Keine Fördermittel' }), version: '2' });
		const d = await getActivity(w.member, w.network.id, a.id);
		expect(d.status).toBe('dropped');
		expect(d.dropped?.reason).toBe('Keine Fördermittel');
		// Editing a dropped activity again needs no new reason.
		const again = await updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput({ proposerBodyId: w.third.id, status: 'dropped', title: 'Neuer Titel' }), version: '3' });
		expect(again.title).toBe('Neuer Titel');
	});
});

describe('setActivityStatus', () => {
	it('moves through the statuses with the version guard; dropped needs a reason', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		const s = await setActivityStatus(w.member, w.network.id, a.id, { status: 'running', version: '1' });
		expect(s).toMatchObject({ status: 'running', version: 2 });
		expect(await fieldErrors(setActivityStatus(w.member, w.network.id, a.id, { status: 'done', version: '1' }))).toEqual({ _form: 'activities.editedMeanwhile' });
		expect(await fieldErrors(setActivityStatus(w.member, w.network.id, a.id, { status: 'dropped', version: '2' }))).toEqual({ statusReason: 'activities.reasonRequired' });
		expect(await fieldErrors(setActivityStatus(w.member, w.network.id, a.id, { status: 'paused', version: '2' }))).toEqual({ status: 'validation.choice' });
		await expect(setActivityStatus(w.otherMember, w.network.id, a.id, { status: 'done', version: '2' })).rejects.toBeInstanceOf(ForbiddenError);
		const dropped = await setActivityStatus(w.member, w.network.id, a.id, { status: 'dropped', statusReason: 'Zu teuer <b>wirklich</b>', version: '2' });
		expect(dropped.status).toBe('dropped');
		expect((await getActivity(w.coordinator, w.network.id, a.id)).dropped?.reason).toBe('Zu teuer <b>wirklich</b>');
		// The same status again changes nothing (a double submit).
		expect((await setActivityStatus(w.member, w.network.id, a.id, { status: 'dropped', version: '3' })).version).toBe(3);
	});
});

describe('status change notifications', () => {
	const notified = async (activityId: string) =>
		db().select().from(notifications).where(and(eq(notifications.recordType, 'activity'), eq(notifications.recordId, activityId)));

	it('the kind is registered with its German label', () => {
		expect(notificationKind('activity.status')).toMatchObject({ labelKey: 'activities.notify.kind', defaultChannel: 'immediate' });
	});

	it("tells the participating towns' members and the proposer, not the actor nor anyone else, in the command's transaction", async () => {
		// The coordinator proposes for Wernigerode; Halberstadt joins; Wernigerode's member sets it running.
		const a = await makeActivity(w.coordinator, w.network.id, { title: 'Klimafest im Harz', proposerBodyId: w.town.id });
		expect(await joinActivity(w.otherMember, w.network.id, a.id, w.other.id)).toBe('joined');
		await setActivityStatus(w.member, w.network.id, a.id, { status: 'running', version: '1' });
		const rows = await notified(a.id);
		expect(rows.map((r) => r.userId).sort()).toEqual([w.coordinator.userId, w.twoTowns.userId, w.otherMember.userId].sort());
		expect(rows.map((r) => r.userId)).not.toContain(w.member.userId);
		for (const outsider of [w.thirdMember, w.partner, w.citizen, w.foreignCoordinator]) expect(rows.map((r) => r.userId)).not.toContain(outsider.userId);
		expect(rows[0]).toMatchObject({
			kind: 'activity.status',
			networkId: w.network.id,
			title: 'Aktivität „Klimafest im Harz“: jetzt Läuft',
			url: `/${w.network.slug}/intern/aktivitaeten/${a.id}`,
			recordType: 'activity',
			actorId: w.member.userId
		});

		// Dropping it through the edit form notifies too, with the reason; an unchanged status does not.
		const { values } = await activityFormValues(w.coordinator, w.network.id, a.id);
		await updateActivity(w.coordinator, w.network.id, a.id, { ...values, status: 'dropped', statusReason: 'Kein Termin gefunden' });
		const dropped = (await notified(a.id)).filter((r) => r.title.endsWith('jetzt Verworfen'));
		expect(dropped.map((r) => r.userId).sort()).toEqual([w.member.userId, w.twoTowns.userId, w.otherMember.userId].sort());
		expect(dropped[0].excerpt).toBe('Kein Termin gefunden');
		const before = (await notified(a.id)).length;
		await updateActivity(w.coordinator, w.network.id, a.id, { ...(await activityFormValues(w.coordinator, w.network.id, a.id)).values, title: 'Klimafest 2025' });
		expect(await notified(a.id)).toHaveLength(before);
	});

	it('a refused change and the demo activities raise nothing', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		await expect(setActivityStatus(w.member, w.network.id, a.id, { status: 'running', version: '7' })).rejects.toBeInstanceOf(ValidationError);
		const demo = await createActivity(w.coordinator, w.network.id, activityInput({ proposerBodyId: w.town.id }), { isDemo: true });
		await setActivityStatus(w.coordinator, w.network.id, demo.id, { status: 'running', version: '1' });
		expect(await notified(a.id)).toHaveLength(0);
		expect(await notified(demo.id)).toHaveLength(0);
	});
});

describe('the version guard', () => {
	it('refuses a form without its version or with a garbled one, changing nothing', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		const { values } = await activityFormValues(w.member, w.network.id, a.id);
		const { version: _v, ...withoutVersion } = values;
		for (const bad of [withoutVersion, { ...values, version: '1.5' }, { ...values, version: '-1' }, { ...values, version: 'abc' }, { ...values, version: '1\u0000' }]) {
			try {
				await updateActivity(w.member, w.network.id, a.id, { ...bad, title: 'Überschrieben' });
				throw new Error('expected a refusal');
			} catch (e) {
				expect(e).toBeInstanceOf(ValidationError);
				expect((e as ValidationError).fieldErrors).toEqual({ _form: 'activities.versionMissing' });
				// The form gets the current version back, so saving again works.
				expect((e as ValidationError).values).toEqual({ version: '1' });
			}
			expect(await fieldErrors(setActivityStatus(w.member, w.network.id, a.id, { status: 'running', version: bad.version ?? '' }))).toEqual({ _form: 'activities.versionMissing' });
		}
		expect(await fieldErrors(setActivityStatus(w.member, w.network.id, a.id, { status: 'running' }))).toEqual({ _form: 'activities.versionMissing' });
		const d = await getActivity(w.member, w.network.id, a.id);
		expect(d).toMatchObject({ title: a.title, status: 'idea', version: 1 });
		// Versions as numbers (a JSON caller) and arrays (a repeated field) still count.
		expect((await setActivityStatus(w.member, w.network.id, a.id, { status: 'planning', version: ['1', '7'] })).version).toBe(2);
	});
});

describe('a dropped activity', () => {
	it('shows the newest drop reason in the working area, and in the portal only that it was dropped', async () => {
		const a = await makeActivity(w.coordinator, w.network.id, { proposerBodyId: w.third.id, isPublic: 'on', description: 'Öffentliche Beschreibung' });
		let version = 1;
		const status = async (s: string, statusReason = '') => (version = (await setActivityStatus(w.coordinator, w.network.id, a.id, { status: s, statusReason, version: String(version) })).version);
		await status('dropped', 'Erste Begründung: kein Geld');
		await status('planning');
		// Many edits between the drops: the page still reads one audit entry.
		for (let i = 0; i < 5; i++) {
			const u = await updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput({ proposerBodyId: w.third.id, isPublic: 'on', status: 'planning', title: `Titel ${i}` }), version: String(version) });
			version = u.version;
		}
		await status('dropped', 'Zweite Begründung: interne Haushaltssperre');
		// Editing the dropped activity without a new reason keeps the last one.
		version = (await updateActivity(w.coordinator, w.network.id, a.id, { ...activityInput({ proposerBodyId: w.third.id, isPublic: 'on', status: 'dropped', title: 'Verworfen' }), version: String(version) })).version;
		const d = await getActivity(w.thirdMember, w.network.id, a.id);
		expect(d.status).toBe('dropped');
		expect(d.dropped?.reason).toBe('Zweite Begründung: interne Haushaltssperre');
		expect(d.dropped?.on).toBeInstanceOf(Date);

		const p = await getPublicActivity(w.network.id, a.id);
		expect(p.status).toBe('dropped');
		expect(Object.keys(p).sort()).toEqual(['description', 'id', 'isDemo', 'participants', 'proposerBody', 'status', 'title', 'updatedAt']);
		expect(JSON.stringify(p)).not.toContain('Begründung');
		expect(p.participants).toEqual([{ name: 'Osterwieck', ags: w.third.ags }]);

		// Reopened: no reason shown any more.
		await status('idea');
		expect((await getActivity(w.coordinator, w.network.id, a.id)).dropped).toBeNull();
	});
});

describe('who may join from the page', () => {
	it('a member whose town is not part gets that town to join; with several towns the ones not yet part', async () => {
		const a = await makeActivity(w.otherMember, w.network.id, { proposerBodyId: w.other.id });
		// Wernigerode is not part: its member sees one town to join for.
		expect((await getActivity(w.member, w.network.id, a.id)).actingBodies).toEqual([{ id: w.town.id, name: 'Wernigerode', joined: false }]);
		// The member of two towns: Halberstadt takes part (leave), Wernigerode does not (join).
		expect((await getActivity(w.twoTowns, w.network.id, a.id)).actingBodies).toEqual([
			{ id: w.other.id, name: 'Halberstadt', joined: true },
			{ id: w.town.id, name: 'Wernigerode', joined: false }
		]);
		// The member whose only town already takes part: nothing to join, leaving possible.
		expect((await getActivity(w.otherMember, w.network.id, a.id)).actingBodies).toEqual([{ id: w.other.id, name: 'Halberstadt', joined: true }]);
		// Partners act for no town.
		expect((await getActivity(w.partner, w.network.id, a.id)).actingBodies).toEqual([]);
		expect(await joinActivity(w.twoTowns, w.network.id, a.id, w.town.id)).toBe('joined');
		expect((await getActivity(w.member, w.network.id, a.id)).actingBodies).toEqual([{ id: w.town.id, name: 'Wernigerode', joined: true }]);
	});
});

describe('joining and leaving', () => {
	it('a member of another town may not join for a town they do not represent', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		await expect(joinActivity(w.otherMember, w.network.id, a.id, w.third.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(leaveActivity(w.otherMember, w.network.id, a.id, w.town.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(joinActivity(w.partner, w.network.id, a.id, w.other.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(joinActivity(w.citizen, w.network.id, a.id, w.other.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(joinActivity(w.foreignCoordinator, w.network.id, a.id, w.other.id)).rejects.toBeInstanceOf(NotFoundError);
		expect((await getActivity(w.coordinator, w.network.id, a.id)).participants.map((p) => p.id)).toEqual([w.town.id]);
	});

	it('joins once (twice says so), the coordinator for any town, and the last one may leave', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		expect(await joinActivity(w.otherMember, w.network.id, a.id, w.other.id)).toBe('joined');
		expect(await joinActivity(w.otherMember, w.network.id, a.id, w.other.id)).toBe('already');
		expect(await joinActivity(w.coordinator, w.network.id, a.id, w.third.id)).toBe('joined');
		const d = await getActivity(w.twoTowns, w.network.id, a.id);
		expect(d.participants.map((p) => p.name)).toEqual(['Halberstadt', 'Osterwieck', 'Wernigerode']);
		expect(d.actingBodies).toEqual([
			{ id: w.other.id, name: 'Halberstadt', joined: true },
			{ id: w.town.id, name: 'Wernigerode', joined: true }
		]);
		expect(await leaveActivity(w.thirdMember, w.network.id, a.id, w.third.id)).toBe('left');
		expect(await leaveActivity(w.thirdMember, w.network.id, a.id, w.third.id)).toBe('notJoined');
		expect(await leaveActivity(w.member, w.network.id, a.id, w.town.id)).toBe('left');
		expect(await leaveActivity(w.coordinator, w.network.id, a.id, w.other.id)).toBe('left');
		const after = await getActivity(w.coordinator, w.network.id, a.id);
		expect(after.participants).toEqual([]);
		expect(after.proposerBodyId).toBe(w.town.id);
		const log = await db()
			.select({ action: auditLog.action, after: auditLog.after, before: auditLog.before })
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'activity_participant'), eq(auditLog.recordId, a.id)));
		expect(log.filter((l) => l.action === 'create')).toHaveLength(3);
		expect(log.filter((l) => l.action === 'delete')).toHaveLength(3);
	});

	it('refuses unknown or foreign bodies and closed activities', async () => {
		const a = await makeActivity(w.coordinator, w.network.id, { proposerBodyId: '' });
		expect(await fieldErrors(joinActivity(w.coordinator, w.network.id, a.id, 'abc'))).toEqual({ bodyId: 'activities.bodyUnknown' });
		expect(await fieldErrors(joinActivity(w.coordinator, w.network.id, a.id, w.foreignTown.id))).toEqual({ bodyId: 'activities.bodyUnknown' });
		expect(await fieldErrors(joinActivity(w.coordinator, w.network.id, a.id, undefined))).toEqual({ bodyId: 'activities.bodyUnknown' });
		await expect(joinActivity(w.coordinator, w.network.id, '00000000-0000-4000-8000-000000000000', w.town.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(joinActivity(w.coordinator, w.network.id, 'kein-uuid', w.town.id)).rejects.toBeInstanceOf(NotFoundError);
		await setActivityStatus(w.coordinator, w.network.id, a.id, { status: 'done', version: '1' });
		expect(await fieldErrors(joinActivity(w.member, w.network.id, a.id, w.town.id))).toEqual({ bodyId: 'activities.joinClosed' });
		const rows = await db().select().from(activityParticipants).where(eq(activityParticipants.activityId, a.id));
		expect(rows).toEqual([]);
	});

	it("joining lets the town's members add tasks, not edit the activity", async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		expect(await getActivity(w.thirdMember, w.network.id, a.id)).toMatchObject({ canEdit: false, canAddTasks: false });
		await joinActivity(w.thirdMember, w.network.id, a.id, w.third.id);
		expect(await getActivity(w.thirdMember, w.network.id, a.id)).toMatchObject({ canEdit: false, canAddTasks: true });
		await leaveActivity(w.thirdMember, w.network.id, a.id, w.third.id);
		expect(await getActivity(w.thirdMember, w.network.id, a.id)).toMatchObject({ canEdit: false, canAddTasks: false });
	});
});

describe('lists, search and reading', () => {
	let led: string, day: string, internal: string;
	beforeAll(async () => {
		const n = await activityWorld();
		w = n;
		led = (await makeActivity(n.member, n.network.id, { proposerBodyId: n.town.id, status: 'planning', description: 'Sammelausschreibung für Straßenleuchten' })).id;
		await joinActivity(n.otherMember, n.network.id, led, n.other.id);
		day = (
			await makeActivity(n.coordinator, n.network.id, {
				title: 'Regionaler Klimaschutztag im Harz',
				status: 'planning',
				isPublic: 'on',
				description: 'Ein Tag mit Ständen der Stadtwerke in **Quedlinburg**.'
			})
		).id;
		await setActivityStatus(n.coordinator, n.network.id, day, { status: 'running', version: '1' });
		await joinActivity(n.coordinator, n.network.id, day, n.third.id);
		internal = (await makeActivity(n.otherMember, n.network.id, { title: 'Interne Abstimmung Radverkehr', proposerBodyId: n.other.id })).id;
	});

	it('filters by status, municipality and words (German stems, prefixes)', async () => {
		const ids = async (f: Parameters<typeof listActivities>[2]) => (await listActivities(w.member, w.network.id, f)).items.map((i) => i.id);
		expect((await ids({})).sort()).toEqual([led, day, internal].sort());
		expect(await ids({ status: ['planning'] })).toEqual([led]);
		expect((await ids({ status: ['planning', 'running'] })).sort()).toEqual([led, day].sort());
		expect(await ids({ status: ['done'] })).toEqual([]);
		expect(await ids({ ags: w.third.ags })).toEqual([day]);
		expect((await ids({ ags: w.other.ags })).sort()).toEqual([led, internal].sort());
		expect(await ids({ q: 'Beschaffungen' })).toEqual([led]);
		expect(await ids({ q: 'straßenleuchte' })).toEqual([led]);
		expect(await ids({ q: 'Klimaschutztages Harz' })).toEqual([day]);
		expect(await ids({ q: 'Quedlinburg' })).toEqual([day]);
		expect(await ids({ q: 'Radverkehr', status: ['running'] })).toEqual([]);
		expect(await ids({ q: 'Z' })).toEqual([day]);
		expect(await ids({ q: "'; drop table activities; -- & | ! :*" })).toEqual([]);
		expect(await ids({ publicOnly: true })).toEqual([day]);
	});

	it('lists with participants, proposer and open tasks, paginated', async () => {
		const r = await listActivities(w.coordinator, w.network.id, { pageSize: 2 });
		expect(r.total).toBe(3);
		expect(r.items).toHaveLength(2);
		const p2 = await listActivities(w.coordinator, w.network.id, { pageSize: 2, page: 2 });
		expect(p2.items).toHaveLength(1);
		const all = [...r.items, ...p2.items];
		expect(new Set(all.map((i) => i.id)).size).toBe(3);
		const l = all.find((i) => i.id === led)!;
		expect(l).toMatchObject({ proposerName: 'Wernigerode', status: 'planning', isPublic: false, openTasks: 0 });
		expect(l.participants.map((p) => p.name)).toEqual(['Halberstadt', 'Wernigerode']);
		expect((await listActivities(w.coordinator, w.network.id, { page: 99999.5, pageSize: -3 })).items).toEqual([]);
	});

	it('visitors and citizens see only public activities, without internal parts', async () => {
		for (const actor of [VISITOR, w.citizen, w.foreignCoordinator]) {
			const r = await listActivities(actor, w.network.id, {});
			expect(r.items.map((i) => i.id)).toEqual([day]);
		}
		expect((await listPublicActivities(w.network.id, { status: ['planning'] })).items).toEqual([]);
		expect((await listPublicActivities(w.network.id, {})).items.map((i) => i.id)).toEqual([day]);
		const p = await getPublicActivity(w.network.id, day);
		expect(p).toMatchObject({ title: 'Regionaler Klimaschutztag im Harz', status: 'running', proposerBody: null });
		expect(p.participants).toEqual([{ name: 'Osterwieck', ags: w.third.ags }]);
		expect(Object.keys(p)).not.toContain('proposedBy');
		await expect(getPublicActivity(w.network.id, led)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getActivity(VISITOR, w.network.id, led)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getActivity(VISITOR, w.network.id, day)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(getActivity(w.citizen, w.network.id, led)).rejects.toBeInstanceOf(NotFoundError);
		expect((await participatingBodies(VISITOR, w.network.id)).map((b) => b.name)).toEqual(['Osterwieck']);
		expect((await participatingBodies(w.member, w.network.id)).map((b) => b.name)).toEqual(['Halberstadt', 'Osterwieck', 'Wernigerode']);
	});

	it('keeps networks apart', async () => {
		await expect(getActivity(w.foreignCoordinator, w.foreign.id, led)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getActivity(w.foreignCoordinator, w.network.id, led)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getPublicActivity(w.foreign.id, day)).rejects.toBeInstanceOf(NotFoundError);
		expect((await listActivities(w.foreignCoordinator, w.foreign.id, {})).items).toEqual([]);
		await expect(setActivityStatus(w.foreignCoordinator, w.foreign.id, led, { status: 'done', version: '1' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(leaveActivity(w.foreignCoordinator, w.foreign.id, led, w.foreignTown.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('shows the meetings whose agenda points at the activity', async () => {
		const starts = (iso: string) => new Date(iso);
		const [m1] = await db()
			.insert(meetings)
			.values({ networkId: w.network.id, title: 'Netzwerktreffen Halberstadt', startsAt: starts('2025-04-10T08:00:00Z'), endsAt: starts('2025-04-10T12:00:00Z'), status: 'held' })
			.returning();
		const [m2] = await db()
			.insert(meetings)
			.values({ networkId: w.network.id, title: 'Netzwerktreffen Osterwieck', startsAt: starts('2025-06-12T08:00:00Z'), endsAt: starts('2025-06-12T12:00:00Z') })
			.returning();
		await db()
			.insert(agendaItems)
			.values([
				{ networkId: w.network.id, meetingId: m1.id, position: 1, title: 'LED-Beschaffung', refType: 'activity', refId: led },
				{ networkId: w.network.id, meetingId: m2.id, position: 1, title: 'LED: Stand', refType: 'activity', refId: led },
				{ networkId: w.network.id, meetingId: m2.id, position: 2, title: 'LED: Angebote', refType: 'activity', refId: led },
				{ networkId: w.network.id, meetingId: m2.id, position: 3, title: 'Klimaschutztag', refType: 'activity', refId: day },
				{ networkId: w.network.id, meetingId: m2.id, position: 4, title: 'Eine Maßnahme', refType: 'measure', refId: led }
			]);
		const r = await meetingsDiscussing(w.partner, w.network.id, led);
		expect(r.map((m) => m.title)).toEqual(['Netzwerktreffen Osterwieck', 'Netzwerktreffen Halberstadt']);
		expect(await meetingsDiscussing(VISITOR, w.network.id, led)).toEqual([]);
		expect(await meetingsDiscussing(w.foreignCoordinator, w.foreign.id, led)).toEqual([]);
	});
});

describe('filters in the URL and form options', () => {
	it('reads and writes the filter, ignoring unknown values', () => {
		const f = activityFilterFromUrl(new URL('http://x/harz/intern/aktivitaeten?status=idea&status=bogus&status=idea&kommune=15085230&q=%20LED%00%20&oeffentlich=1'));
		expect(f).toEqual({ status: ['idea'], ags: '15085230', q: 'LED', publicOnly: true });
		expect(activityFilterToQuery(f).toString()).toBe('status=idea&kommune=15085230&q=LED&oeffentlich=1');
		expect(activityFilterFromUrl(new URL('http://x/?kommune=abc&q=' + 'x'.repeat(500)))).toMatchObject({ ags: undefined, q: 'x'.repeat(200) });
	});

	it('offers a member their towns, the coordinator the coordination and every town', async () => {
		const m = await proposerOptions(w.twoTowns, w.network.id);
		expect(m.coordination).toBe(false);
		expect(m.bodies.map((b) => b.name)).toEqual(['Halberstadt', 'Wernigerode']);
		const c = await proposerOptions(w.coordinator, w.network.id);
		expect(c.coordination).toBe(true);
		expect(c.bodies.map((b) => b.name)).toEqual(['Halberstadt', 'Osterwieck', 'Wernigerode']);
		const keep = await proposerOptions(w.otherMember, w.network.id, { bodyId: null });
		expect(keep.coordination).toBe(true);
		expect(keep.bodies.map((b) => b.name)).toEqual(['Halberstadt']);
		expect((await proposerOptions(w.partner, w.network.id)).bodies).toEqual([]);
	});
});

describe('createActivity for the demo', () => {
	it('marks demo rows', async () => {
		const a = await createActivity(w.coordinator, w.network.id, activityInput(), { isDemo: true });
		expect(a.isDemo).toBe(true);
	});
});
