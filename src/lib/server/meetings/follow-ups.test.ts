import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, followUps } from '../db/schema';
import { ForbiddenError, NotFoundError } from '../errors';
import {
	createFollowUp,
	deleteFollowUp,
	followUpFilterFromUrl,
	followUpFilterToQuery,
	listFollowUps,
	listMeetingFollowUps,
	listOpenFollowUps,
	updateFollowUp
} from './follow-ups';
import { meetingRow, meetingWorkWorld } from './work-testing';

useTestDb();

const isoDaysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('follow-ups', () => {
	it('coordinators create them from a meeting or standalone; owners are people and/or bodies of the network', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { inDays: -10, status: 'held' });
		const a = await createFollowUp(
			w.coordinator,
			w.network.id,
			{ title: 'Förderaufruf Kommunalrichtlinie teilen', ownerPersonId: w.hbPerson.id, dueOn: '1.2.2099', note: '<script>alert(1)</script>' },
			{ meetingId: m.id }
		);
		expect(a).toMatchObject({ state: 'open', meetingId: m.id, dueOn: '2099-02-01', ownerPersonId: w.hbPerson.id, version: 1, createdBy: w.coordinator.userId });
		expect(a.note).toBe('<script>alert(1)</script>');
		const b = await createFollowUp(w.coordinator, w.network.id, { title: 'Radwegekarte abstimmen', ownerBodyId: w.osterwieck.id, state: 'in_progress' });
		expect(b).toMatchObject({ meetingId: null, ownerBodyId: w.osterwieck.id, state: 'in_progress' });

		// Members, partners and citizens don't create them.
		for (const actor of [w.memberHb, w.partner, w.citizen]) {
			await expect(createFollowUp(actor, w.network.id, { title: 'X' })).rejects.toBeInstanceOf(ForbiddenError);
		}
		// Bad input: required title, 1 MB, unknown or foreign owners, bad date, bad state.
		const other = await meetingWorkWorld();
		expect(
			await fieldErrors(
				createFollowUp(w.coordinator, w.network.id, { title: '', ownerPersonId: other.hbPerson.id, ownerBodyId: 'x', dueOn: '31.2.2026', state: 'erledigt' })
			)
		).toEqual({ title: 'validation.required', ownerBodyId: 'followUp.ownerBodyUnknown', dueOn: 'dir.date', state: 'validation.choice' });
		expect(await fieldErrors(createFollowUp(w.coordinator, w.network.id, { title: 'ok', ownerPersonId: other.hbPerson.id, ownerBodyId: other.halberstadt.id }))).toEqual({
			ownerPersonId: 'followUp.ownerPersonUnknown',
			ownerBodyId: 'followUp.ownerBodyUnknown'
		});
		expect(await fieldErrors(createFollowUp(w.coordinator, w.network.id, { title: 'x'.repeat(1_000_000), note: 'y'.repeat(2001) }))).toEqual({
			title: 'dir.tooLong500',
			note: 'dir.tooLong2000'
		});
		// NUL bytes are dropped.
		const nul = await createFollowUp(w.coordinator, w.network.id, { title: 'A\u0000B' });
		expect(nul.title).toBe('AB');
		// A meeting of another network is not found.
		const foreign = await meetingRow(other.network.id);
		await expect(createFollowUp(w.coordinator, w.network.id, { title: 'X' }, { meetingId: foreign.id })).rejects.toBeInstanceOf(NotFoundError);

		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'follow_up'), eq(auditLog.recordId, a.id)));
		expect(audit).toHaveLength(1);
		expect(audit[0].action).toBe('create');
	});

	it('owners update state and note with a version guard; others may not; coordinators change everything', async () => {
		const w = await meetingWorkWorld();
		const byPerson = await createFollowUp(w.coordinator, w.network.id, { title: 'Klimaschutzmanager-Stelle ausschreiben', ownerPersonId: w.hbPerson.id, dueOn: '2099-01-01' });
		const byBody = await createFollowUp(w.coordinator, w.network.id, { title: 'Gründach prüfen', ownerBodyId: w.osterwieck.id });

		// The owner person's user: state and note only; the title they send is ignored.
		const u1 = await updateFollowUp(w.memberHb, w.network.id, byPerson.id, { state: 'in_progress', note: 'Entwurf liegt vor', version: '1', title: 'Gekapert' });
		expect(u1).toMatchObject({ state: 'in_progress', note: 'Entwurf liegt vor', version: 2, title: 'Klimaschutzmanager-Stelle ausschreiben', doneAt: null });
		// A stale form is refused with the current version put into the form.
		const stale = await updateFollowUp(w.memberHb, w.network.id, byPerson.id, { state: 'done', note: '', version: '1' }).catch((e) => e);
		expect(stale.fieldErrors).toEqual({ version: 'followUp.stale' });
		expect(stale.values).toEqual({ version: '2' });
		const done = await updateFollowUp(w.memberHb, w.network.id, byPerson.id, { state: 'done', note: 'Ausgeschrieben', version: '2' });
		expect(done.state).toBe('done');
		expect(done.doneAt).toBeInstanceOf(Date);
		// Reopened: doneAt cleared.
		expect((await updateFollowUp(w.memberHb, w.network.id, byPerson.id, { state: 'open', note: '', version: '3' })).doneAt).toBeNull();

		// A member of the owner body; the other town's member and the partner may not.
		expect((await updateFollowUp(w.memberOw, w.network.id, byBody.id, { state: 'dropped', note: 'Statik reicht nicht', version: '1' })).state).toBe('dropped');
		await expect(updateFollowUp(w.memberHb, w.network.id, byBody.id, { state: 'open', note: '', version: '2' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateFollowUp(w.partner, w.network.id, byBody.id, { state: 'open', note: '', version: '2' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateFollowUp(w.citizen, w.network.id, byBody.id, { state: 'open', note: '', version: '2' })).rejects.toBeInstanceOf(ForbiddenError);

		// The coordinator changes owner, due date and title.
		const c = await updateFollowUp(w.coordinator, w.network.id, byBody.id, {
			title: 'Gründach Rathaus prüfen',
			ownerPersonId: w.partnerPerson.id,
			ownerBodyId: '',
			dueOn: '2099-03-01',
			state: 'open',
			note: '',
			version: '2'
		});
		expect(c).toMatchObject({ title: 'Gründach Rathaus prüfen', ownerPersonId: w.partnerPerson.id, ownerBodyId: null, dueOn: '2099-03-01', version: 3 });
		// Now the partner is the owner person and may update; Osterwieck's member no longer.
		expect((await updateFollowUp(w.partner, w.network.id, byBody.id, { state: 'in_progress', note: '', version: '3' })).state).toBe('in_progress');
		await expect(updateFollowUp(w.memberOw, w.network.id, byBody.id, { state: 'done', note: '', version: '4' })).rejects.toBeInstanceOf(ForbiddenError);
		expect(await fieldErrors(updateFollowUp(w.coordinator, w.network.id, byBody.id, { title: 'x', state: 'open', version: 'abc' }))).toEqual({ version: 'followUp.version' });
		// The coordinators' "change state" form: state and note only.
		const quick = await updateFollowUp(w.coordinator, w.network.id, byBody.id, { state: 'open', note: 'Zurückgestellt', version: '4', title: 'ignoriert' }, { stateOnly: true });
		expect(quick).toMatchObject({ state: 'open', note: 'Zurückgestellt', title: 'Gründach Rathaus prüfen', version: 5 });

		// Deleting: coordinators only, version-checked, audited.
		await expect(deleteFollowUp(w.memberOw, w.network.id, byBody.id, { version: '5' })).rejects.toBeInstanceOf(ForbiddenError);
		expect(await fieldErrors(deleteFollowUp(w.coordinator, w.network.id, byBody.id, { version: '3' }))).toEqual({ version: 'followUp.stale' });
		await deleteFollowUp(w.coordinator, w.network.id, byBody.id, { version: '5' });
		expect(await db().select().from(followUps).where(eq(followUps.id, byBody.id))).toEqual([]);
		const actions = (await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'follow_up'), eq(auditLog.recordId, byBody.id)))).map((r) => r.action);
		expect(actions.sort()).toEqual(['create', 'delete', 'update', 'update', 'update', 'update']);
	});

	it('the open list: across meetings, filters by town, owner and state, overdue marked, paginated, per network', async () => {
		const w = await meetingWorkWorld();
		const april = await meetingRow(w.network.id, { inDays: -60, status: 'held', title: '2. Netzwerktreffen' });
		const june = await meetingRow(w.network.id, { inDays: -5, status: 'held', title: '3. Netzwerktreffen' });
		const overdue = await createFollowUp(w.coordinator, w.network.id, { title: 'Alt und überfällig', ownerBodyId: w.halberstadt.id, dueOn: isoDaysFromNow(-3) }, { meetingId: april.id });
		const viaPerson = await createFollowUp(w.coordinator, w.network.id, { title: 'Über die Person in Halberstadt', ownerPersonId: w.hbPerson.id, dueOn: isoDaysFromNow(10) }, { meetingId: june.id });
		const ow = await createFollowUp(w.coordinator, w.network.id, { title: 'Osterwieck', ownerBodyId: w.osterwieck.id, state: 'in_progress' }, { meetingId: june.id });
		const finished = await createFollowUp(w.coordinator, w.network.id, { title: 'Erledigt', ownerBodyId: w.halberstadt.id, state: 'done', dueOn: isoDaysFromNow(-30) });
		const dropped = await createFollowUp(w.coordinator, w.network.id, { title: 'Verworfen', state: 'dropped' });
		// Another network's follow-up never shows.
		const other = await meetingWorkWorld();
		await createFollowUp(other.coordinator, other.network.id, { title: 'Fremd', ownerBodyId: other.halberstadt.id });

		const open = await listOpenFollowUps(w.partner, w.network.id);
		expect(open.items.map((i) => i.title)).toEqual(['Alt und überfällig', 'Über die Person in Halberstadt', 'Osterwieck']);
		expect(open.total).toBe(3);
		const first = open.items[0];
		expect(first).toMatchObject({ overdue: true, meetingId: april.id, meetingTitle: '2. Netzwerktreffen', ownerBodyName: 'Halberstadt', canEdit: false });
		expect(open.items[1]).toMatchObject({ overdue: false, ownerPersonName: 'Hanna Halberstadt', meetingTitle: '3. Netzwerktreffen' });
		// Done tasks are never overdue.
		const all = await listFollowUps(w.coordinator, w.network.id, { state: 'all' });
		expect(all.total).toBe(5);
		expect(all.items.find((i) => i.id === finished.id)!.overdue).toBe(false);
		expect(all.items.every((i) => i.canEdit)).toBe(true);

		// Town filter: owner body or the owner person's body.
		const hb = await listOpenFollowUps(w.memberHb, w.network.id, { bodyId: w.halberstadt.id });
		expect(hb.items.map((i) => i.id)).toEqual([overdue.id, viaPerson.id]);
		expect(hb.items.every((i) => i.canEdit)).toBe(true);
		expect((await listFollowUps(w.memberHb, w.network.id, { bodyId: w.halberstadt.id, state: 'all' })).items.map((i) => i.id)).toEqual([finished.id, overdue.id, viaPerson.id]);
		expect((await listOpenFollowUps(w.memberHb, w.network.id, { ownerPersonId: w.hbPerson.id })).items.map((i) => i.id)).toEqual([viaPerson.id]);
		expect((await listFollowUps(w.memberHb, w.network.id, { state: 'done' })).items.map((i) => i.id)).toEqual([finished.id]);
		expect((await listFollowUps(w.memberHb, w.network.id, { state: 'dropped' })).items.map((i) => i.id)).toEqual([dropped.id]);
		expect((await listFollowUps(w.memberHb, w.network.id, { state: 'in_progress' })).items.map((i) => i.id)).toEqual([ow.id]);
		// A town of another network finds nothing here.
		expect((await listOpenFollowUps(w.coordinator, w.network.id, { bodyId: other.halberstadt.id })).total).toBe(0);

		// Paginated.
		const p2 = await listOpenFollowUps(w.coordinator, w.network.id, { page: 2, pageSize: 2 });
		expect(p2).toMatchObject({ page: 2, pageSize: 2, total: 3 });
		expect(p2.items.map((i) => i.id)).toEqual([ow.id]);
		// Weird page numbers are clamped, not errors.
		expect((await listOpenFollowUps(w.coordinator, w.network.id, { page: -3, pageSize: 1e9 })).pageSize).toBe(100);

		// Per meeting (minutes section): every state.
		expect((await listMeetingFollowUps(w.memberOw, w.network.id, june.id)).map((i) => i.id).sort()).toEqual([viaPerson.id, ow.id].sort());
		// The working area only.
		await expect(listOpenFollowUps(w.citizen, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listOpenFollowUps(other.coordinator, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		// Another network's follow-up id is not found here.
		const foreign = (await listOpenFollowUps(other.coordinator, other.network.id)).items[0];
		await expect(updateFollowUp(w.coordinator, w.network.id, foreign.id, { title: 'x', state: 'done', version: '1' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(updateFollowUp(w.coordinator, w.network.id, 'kein-uuid', {})).rejects.toBeInstanceOf(NotFoundError);
	});

	it('filters round-trip through the URL; nonsense is dropped', () => {
		const id = '0b9f3c1e-8a43-4f7e-9a55-1f2d3c4b5a69';
		const f = followUpFilterFromUrl(new URL(`http://x/?kommune=${id}&person=%3Cscript%3E&status=done`));
		expect(f).toEqual({ bodyId: id, ownerPersonId: undefined, meetingId: undefined, state: 'done' });
		expect(followUpFilterToQuery(f).toString()).toBe(`kommune=${id}&status=done`);
		expect(followUpFilterFromUrl(new URL('http://x/?status=%00')).state).toBe('active');
	});
});
