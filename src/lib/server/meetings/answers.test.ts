import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { makeActor } from '../testing/factories';
import { db } from '../db/client';
import { auditLog, meetingParticipants, meetings, users } from '../db/schema';
import { NotFoundError } from '../errors';
import { answerMeeting, participationView } from './answers';
import { meetingRow, meetingWorkWorld } from './work-testing';

useTestDb();

const invite = (meetingId: string, networkId: string, userIds: (string | null)[]) =>
	db()
		.insert(meetingParticipants)
		.values(userIds.map((userId) => ({ meetingId, networkId, userId: userId!, invitedAt: new Date() })));

describe('answers', () => {
	it('invited or not, the working area answers yes/no/maybe with a comment and may change it; audited', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'invited' });
		await invite(m.id, w.network.id, [w.memberHb.userId]);

		const a = await answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'yes', comment: 'Ich bringe die Wärmeplanung mit. <script>x</script>' });
		expect(a).toMatchObject({ answer: 'yes', comment: 'Ich bringe die Wärmeplanung mit. <script>x</script>' });
		expect(a.invitedAt).toBeInstanceOf(Date);
		const b = await answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'maybe', comment: '' });
		expect(b.answer).toBe('maybe');
		expect(b.invitedAt!.getTime()).toBe(a.invitedAt!.getTime());
		// Not invited: a partner answers all the same.
		const p = await answerMeeting(w.partner, w.network.id, m.id, { answer: 'no', comment: 'Urlaub' });
		expect(p).toMatchObject({ answer: 'no', invitedAt: null });

		const rows = await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id));
		expect(rows).toHaveLength(2);
		const audit = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'meeting_answer'), eq(auditLog.recordId, m.id)));
		expect(audit.map((r) => r.action).sort()).toEqual(['create', 'create', 'update']);

		// Bad input changes nothing.
		expect(await fieldErrors(answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'ja', comment: 'x'.repeat(1001) }))).toEqual({
			answer: 'answers.choose',
			comment: 'answers.commentTooLong'
		});
		expect(await fieldErrors(answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'yes', comment: 'x'.repeat(1_000_000) }))).toEqual({ comment: 'answers.commentTooLong' });
		const nul = await answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'yes', comment: 'a\u0000b' });
		expect(nul.comment).toBe('ab');
	});

	it('a cancelled, held or ended meeting takes no answers and nothing changes', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'invited' });
		await answerMeeting(w.memberOw, w.network.id, m.id, { answer: 'yes', comment: 'Gern' });
		await db().update(meetings).set({ status: 'cancelled' }).where(eq(meetings.id, m.id));
		const e = await answerMeeting(w.memberOw, w.network.id, m.id, { answer: 'no', comment: 'doch nicht' }).catch((x) => x);
		expect(e.fieldErrors).toEqual({ answer: 'answers.cancelled' });
		const { translate } = await import('$lib/i18n');
		expect(translate('de', e.fieldErrors.answer)).toBe('Dieses Treffen wurde abgesagt; Antworten sind nicht mehr möglich.');
		const [row] = await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id));
		expect(row).toMatchObject({ answer: 'yes', comment: 'Gern' });

		const held = await meetingRow(w.network.id, { inDays: -3, status: 'held' });
		expect(await fieldErrors(answerMeeting(w.memberOw, w.network.id, held.id, { answer: 'yes', comment: '' }))).toEqual({ answer: 'answers.past' });
		const ended = await meetingRow(w.network.id, { inDays: -1, status: 'invited' });
		expect(await fieldErrors(answerMeeting(w.memberOw, w.network.id, ended.id, { answer: 'yes', comment: '' }))).toEqual({ answer: 'answers.past' });
		expect(await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, held.id))).toEqual([]);

		const view = await participationView(w.memberOw, w.network.id, m.id);
		expect(view).toMatchObject({ canAnswer: false, closed: 'answers.cancelled', status: 'cancelled' });
	});

	it('citizens and other networks may not answer; unknown ids are not found', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'invited' });
		await expect(answerMeeting(w.citizen, w.network.id, m.id, { answer: 'yes', comment: '' })).rejects.toBeInstanceOf(NotFoundError);
		const other = await meetingWorkWorld();
		await expect(answerMeeting(other.memberHb, w.network.id, m.id, { answer: 'yes', comment: '' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(answerMeeting(other.memberHb, other.network.id, m.id, { answer: 'yes', comment: '' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(answerMeeting(w.memberHb, w.network.id, '../../etc', { answer: 'yes', comment: '' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(participationView(w.citizen, w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		// An operator without a membership is not a participant either.
		const op = await makeActor(null, 'operator');
		await expect(answerMeeting(op, w.network.id, m.id, { answer: 'yes', comment: '' })).rejects.toBeInstanceOf(NotFoundError);
	});

	it('participants grouped by town, partner organisation and coordination; counts; towns not represented', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'invited' });
		// A second Halberstadt member, a member for two towns, a partner without an organisation.
		const hb2 = await makeActor(w.network.id, 'member', [w.halberstadt.id]);
		const both = await makeActor(w.network.id, 'member', [w.wernigerode.id, w.osterwieck.id]);
		const loose = await makeActor(w.network.id, 'partner');
		await invite(m.id, w.network.id, [w.coordinator, w.memberHb, w.memberOw, w.partner, hb2, both, loose].map((a) => a.userId));
		await answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'no', comment: 'Ratssitzung' });
		await answerMeeting(hb2, w.network.id, m.id, { answer: 'maybe', comment: '' });
		await answerMeeting(both, w.network.id, m.id, { answer: 'no', comment: '' });
		await answerMeeting(w.partner, w.network.id, m.id, { answer: 'yes', comment: 'mit Vortrag' });
		await answerMeeting(w.coordinator, w.network.id, m.id, { answer: 'yes', comment: '' });
		// A fourth town with nobody at all.
		const { makeBody } = await import('../testing/factories');
		await makeBody(w.network.id, 'Blankenburg (Harz)');

		const v = await participationView(w.memberOw, w.network.id, m.id);
		expect(v.counts).toEqual({ yes: 2, no: 2, maybe: 1, open: 2 });
		expect(v.invited).toBe(7);
		expect(v.groups.map((g) => [g.kind, g.name])).toEqual([
			['body', 'Halberstadt'],
			['body', 'Osterwieck'],
			['body', 'Wernigerode'],
			['partner', 'Energieagentur Harz'],
			['coordination', ''],
			['other', '']
		]);
		const hb = v.groups[0];
		expect(hb.counts).toEqual({ yes: 0, no: 1, maybe: 1, open: 0 });
		expect(hb.people.map((p) => p.answer).sort()).toEqual(['maybe', 'no']);
		expect(hb.people.find((p) => p.userId === w.memberHb.userId)!.comment).toBe('Ratssitzung');
		// The member for two towns appears under both.
		expect(v.groups[1].people.map((p) => p.userId).sort()).toEqual([w.memberOw.userId, both.userId].sort());
		expect(v.groups[2].people.map((p) => p.userId)).toEqual([both.userId]);
		expect(v.groups[3].people.map((p) => p.comment)).toEqual(['mit Vortrag']);
		expect(v.groups[4].people.map((p) => p.userId)).toEqual([w.coordinator.userId]);
		expect(v.groups[5].people.map((p) => p.userId)).toEqual([loose.userId]);
		// Halberstadt is represented by a maybe; Osterwieck's member hasn't answered, Wernigerode's said no.
		expect(v.notRepresented.map((b) => b.name)).toEqual(['Blankenburg (Harz)', 'Osterwieck', 'Wernigerode']);
		expect(v.mine).toEqual({ answer: null, comment: '', invited: true });
		expect(v.canAnswer).toBe(true);

		// Osterwieck says yes: represented now. A deleted account shows without name or comment.
		await answerMeeting(w.memberOw, w.network.id, m.id, { answer: 'yes', comment: 'Wir sind Gastgeber' });
		await db().update(users).set({ deletedAt: new Date(), name: '' }).where(eq(users.id, w.partner.userId!));
		const v2 = await participationView(w.partner, w.network.id, m.id);
		expect(v2.notRepresented.map((b) => b.name)).toEqual(['Blankenburg (Harz)', 'Wernigerode']);
		expect(v2.groups.find((g) => g.kind === 'partner')!.people[0]).toMatchObject({ name: '', comment: '', answer: 'yes' });

		// Another network's meeting: not found here.
		const other = await meetingWorkWorld();
		const foreign = await meetingRow(other.network.id);
		await expect(participationView(w.coordinator, w.network.id, foreign.id)).rejects.toBeInstanceOf(NotFoundError);
		// A meeting nobody answered: every town not represented, no groups.
		const empty = await participationView(w.coordinator, w.network.id, (await meetingRow(w.network.id)).id);
		expect(empty.groups).toEqual([]);
		expect(empty.notRepresented).toHaveLength(4);
		expect(empty.mine).toEqual({ answer: null, comment: '', invited: false });
	});
});
