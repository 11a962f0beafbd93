import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, meetingDecisions } from '../db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { addDecision, createMeetingFollowUp, deleteDecision, MAX_MINUTES, minutesView, moveDecision, saveMinutes, updateDecision } from './minutes';
import { updateFollowUp } from './follow-ups';
import { meetingRow, meetingWorkWorld } from './work-testing';

useTestDb();

describe('minutes', () => {
	it('coordinators write safe Markdown minutes after the start; a stale save is refused with the input kept', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { inDays: -2, status: 'held' });
		const text = '## Begrüßung\n\nDie Stadt **Osterwieck** begrüßt.\n\n<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>';
		const saved = await saveMinutes(w.coordinator, w.network.id, m.id, { minutes: text, minutesStamp: '' });
		expect(saved.minutes).toBe(text);
		expect(saved.minutesUpdatedAt).toBeInstanceOf(Date);
		const view = await minutesView(w.partner, w.network.id, m.id);
		expect(view.minutesHtml).toContain('<strong>Osterwieck</strong>');
		expect(view.minutesHtml).not.toMatch(/<script|<img|href="javascript:/i);
		expect(view.minutesHtml).toContain('&lt;script&gt;');
		expect(view.minutesStamp).toBe(saved.minutesUpdatedAt!.toISOString());
		expect(view).toMatchObject({ canManage: false, blocker: null });

		// Someone else saved meanwhile: the old stamp is refused; the current one goes back into the form.
		const second = await saveMinutes(w.coordinator, w.network.id, m.id, { minutes: 'Fassung B', minutesStamp: view.minutesStamp });
		const stale = await saveMinutes(w.coordinator, w.network.id, m.id, { minutes: 'Fassung C', minutesStamp: view.minutesStamp }).catch((e) => e);
		expect(stale).toBeInstanceOf(ValidationError);
		expect(stale.fieldErrors).toEqual({ _form: 'minutes.stale' });
		expect(stale.values).toEqual({ minutesStamp: second.minutesUpdatedAt!.toISOString() });
		expect((await minutesView(w.coordinator, w.network.id, m.id)).minutes).toBe('Fassung B');
		// Saving with the stamp it was given overwrites deliberately.
		await saveMinutes(w.coordinator, w.network.id, m.id, { minutes: 'Fassung C', minutesStamp: stale.values.minutesStamp });
		expect((await minutesView(w.coordinator, w.network.id, m.id)).minutes).toBe('Fassung C');

		// Limits: 100,000 characters; NUL dropped; Windows line ends normalised.
		const stamp = (await minutesView(w.coordinator, w.network.id, m.id)).minutesStamp;
		expect(await fieldErrors(saveMinutes(w.coordinator, w.network.id, m.id, { minutes: 'x'.repeat(MAX_MINUTES + 1), minutesStamp: stamp }))).toEqual({ minutes: 'minutes.tooLong' });
		expect(await fieldErrors(saveMinutes(w.coordinator, w.network.id, m.id, { minutes: 'x'.repeat(1_000_000), minutesStamp: stamp }))).toEqual({ minutes: 'minutes.tooLong' });
		const clean = await saveMinutes(w.coordinator, w.network.id, m.id, { minutes: 'a\u0000b\r\nc', minutesStamp: stamp });
		expect(clean.minutes).toBe('ab\nc');

		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordId, m.id), eq(auditLog.action, 'minutes')));
		expect(audit).toHaveLength(4);
	});

	it('no minutes, decisions or follow-ups before the start or for a cancelled meeting; members and partners read only', async () => {
		const w = await meetingWorkWorld();
		const future = await meetingRow(w.network.id, { inDays: 3, status: 'invited' });
		expect(await fieldErrors(saveMinutes(w.coordinator, w.network.id, future.id, { minutes: 'Vorab', minutesStamp: '' }))).toEqual({ _form: 'minutes.notStarted' });
		expect(await fieldErrors(addDecision(w.coordinator, w.network.id, future.id, { text: 'Vorab beschlossen' }))).toEqual({ _form: 'minutes.notStarted' });
		expect(await fieldErrors(createMeetingFollowUp(w.coordinator, w.network.id, future.id, { title: 'Vorab' }))).toEqual({ _form: 'minutes.notStarted' });
		expect((await minutesView(w.memberHb, w.network.id, future.id)).blocker).toBe('minutes.notStarted');
		const cancelled = await meetingRow(w.network.id, { inDays: -3, status: 'cancelled' });
		expect(await fieldErrors(saveMinutes(w.coordinator, w.network.id, cancelled.id, { minutes: 'x', minutesStamp: '' }))).toEqual({ _form: 'minutes.cancelled' });
		// Begun a minute ago, not yet marked held: allowed.
		const running = await meetingRow(w.network.id, { startsAt: new Date(Date.now() - 60_000), status: 'invited' });
		expect((await saveMinutes(w.coordinator, w.network.id, running.id, { minutes: 'läuft', minutesStamp: '' })).minutes).toBe('läuft');

		for (const a of [w.memberHb, w.partner]) {
			await expect(saveMinutes(a, w.network.id, running.id, { minutes: 'x', minutesStamp: '' })).rejects.toBeInstanceOf(ForbiddenError);
			await expect(addDecision(a, w.network.id, running.id, { text: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
			await expect(createMeetingFollowUp(a, w.network.id, running.id, { title: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
		}
		await expect(saveMinutes(w.citizen, w.network.id, running.id, { minutes: 'x', minutesStamp: '' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(minutesView(w.citizen, w.network.id, running.id)).rejects.toBeInstanceOf(NotFoundError);
		const other = await meetingWorkWorld();
		await expect(saveMinutes(other.coordinator, other.network.id, running.id, { minutes: 'x', minutesStamp: '' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(minutesView(other.coordinator, w.network.id, running.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('decisions: an ordered list to add, edit, move and delete; follow-ups from the minutes belong to the meeting', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { inDays: -1, status: 'held' });
		const a = await addDecision(w.coordinator, w.network.id, m.id, { text: 'Das nächste Treffen findet in Quedlinburg statt.' });
		const b = await addDecision(w.coordinator, w.network.id, m.id, { text: 'Gemeinsame Beschaffung von E-Lastenrädern wird geprüft.' });
		const c = await addDecision(w.coordinator, w.network.id, m.id, { text: '<b>Wärmeplanung</b> als fester TOP' });
		expect([a.position, b.position, c.position]).toEqual([0, 1, 2]);
		const texts = async () => (await minutesView(w.memberOw, w.network.id, m.id)).decisions.map((d) => d.text);

		await moveDecision(w.coordinator, w.network.id, m.id, c.id, { direction: 'up' });
		expect(await texts()).toEqual([a.text, c.text, b.text]);
		await moveDecision(w.coordinator, w.network.id, m.id, a.id, { direction: 'up' }); // already first: no change
		await moveDecision(w.coordinator, w.network.id, m.id, a.id, { direction: 'down' });
		expect(await texts()).toEqual([c.text, a.text, b.text]);
		expect(await fieldErrors(moveDecision(w.coordinator, w.network.id, m.id, a.id, { direction: 'seitwärts' }))).toEqual({ direction: 'validation.choice' });

		await updateDecision(w.coordinator, w.network.id, m.id, b.id, { text: 'E-Lastenräder: Bedarf bis Herbst melden.' });
		await deleteDecision(w.coordinator, w.network.id, m.id, a.id);
		expect(await texts()).toEqual([c.text, 'E-Lastenräder: Bedarf bis Herbst melden.']);
		expect(await fieldErrors(addDecision(w.coordinator, w.network.id, m.id, { text: ' ' }))).toEqual({ text: 'validation.required' });
		expect(await fieldErrors(addDecision(w.coordinator, w.network.id, m.id, { text: 'x'.repeat(2001) }))).toEqual({ text: 'dir.tooLong2000' });
		// Decisions of another meeting are not found through this one.
		const otherMeeting = await meetingRow(w.network.id, { inDays: -30, status: 'held' });
		await expect(updateDecision(w.coordinator, w.network.id, otherMeeting.id, b.id, { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(deleteDecision(w.coordinator, w.network.id, m.id, 'kaputt')).rejects.toBeInstanceOf(NotFoundError);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordType, 'meeting_decision'));
		expect(audit.map((r) => r.action).sort()).toEqual(['create', 'create', 'create', 'delete', 'move', 'move', 'update']);
		expect(await db().select().from(meetingDecisions).where(eq(meetingDecisions.meetingId, otherMeeting.id))).toEqual([]);

		// A follow-up from the minutes: origin = the meeting; shown in its section; its owner updates it.
		const f = await createMeetingFollowUp(w.coordinator, w.network.id, m.id, { title: 'Bedarfsabfrage Lastenräder verschicken', ownerPersonId: w.owPerson.id, dueOn: '2099-09-30' });
		expect(f.meetingId).toBe(m.id);
		await updateFollowUp(w.memberOw, w.network.id, f.id, { state: 'in_progress', note: '', version: '1' });
		const view = await minutesView(w.memberOw, w.network.id, m.id);
		expect(view.followUps.map((x) => [x.title, x.state, x.ownerPersonName, x.canEdit])).toEqual([['Bedarfsabfrage Lastenräder verschicken', 'in_progress', 'Otto Osterwieck', true]]);
	});
});
