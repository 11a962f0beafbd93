import { describe, expect, it } from 'vitest';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { useSmtpCapture } from '../testing/smtp';
import { db } from '../db/client';
import { jobs, meetingParticipants, meetings, memberships, users } from '../db/schema';
import { enqueue, registerJobHandler, runDueJobs } from '../jobs';
import { answerMeeting } from './answers';
import { meetingAsForm, updateMeeting } from './meetings';
import { MEETING_REMINDER_JOB, meetingRemindersJob, dueReminderMeetings, sendMeetingReminders } from './reminders';
import { meetingRow, meetingWorkWorld } from './work-testing';
import { icsOf } from './mime-testing';
import { DEMO_EMAIL_DOMAIN } from '../network/demo/accounts';

useTestDb();
const received = useSmtpCapture();

const HOUR = 3600_000;

async function invite(meetingId: string, networkId: string, userIds: (string | null)[]) {
	await db()
		.insert(meetingParticipants)
		.values(userIds.map((userId) => ({ meetingId, networkId, userId: userId!, invitedAt: new Date() })));
}

async function pending() {
	const [{ n }] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(jobs)
		.where(and(inArray(jobs.status, ['queued', 'running']), inArray(jobs.kind, [MEETING_REMINDER_JOB, 'mail.send'])));
	return n;
}

describe('meeting reminders', () => {
	it('two runners at once: those who said yes or have not answered get exactly one reminder over real SMTP', async () => {
		const w = await meetingWorkWorld();
		// Starts in two days, reminder three days before: due now.
		const m = await meetingRow(w.network.id, { status: 'invited', startsAt: new Date(Date.now() + 48 * HOUR), reminderDays: 3, title: 'Netzwerktreffen Quedlinburg' });
		await invite(m.id, w.network.id, [w.coordinator, w.memberHb, w.memberOw, w.partner].map((a) => a.userId));
		await answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'yes', comment: '' });
		await answerMeeting(w.memberOw, w.network.id, m.id, { answer: 'no', comment: '' });
		await answerMeeting(w.partner, w.network.id, m.id, { answer: 'maybe', comment: '' });
		// Not invited, but said yes: reminded too.
		const { makeActor } = await import('../testing/factories');
		const walkIn = await makeActor(w.network.id, 'member', [w.wernigerode.id]);
		await answerMeeting(walkIn, w.network.id, m.id, { answer: 'yes', comment: '' });

		registerJobHandler(MEETING_REMINDER_JOB, meetingRemindersJob);
		// As if two instances had both queued the run.
		await enqueue(MEETING_REMINDER_JOB, {});
		await enqueue(MEETING_REMINDER_JOB, {});
		received.length = 0;
		for (let i = 0; i < 20 && (await pending()) > 0; i++) {
			await Promise.all([runDueJobs('instance-a', 5), runDueJobs('instance-b', 5)]);
		}
		expect(await pending()).toBe(0);
		const runs = await db().select({ status: jobs.status }).from(jobs).where(eq(jobs.kind, MEETING_REMINDER_JOB));
		expect(runs.map((r) => r.status)).toEqual(['done', 'done']);

		const mine = received.filter((r) => r.subject.includes('Netzwerktreffen Quedlinburg'));
		expect(mine.map((r) => r.to[0]).sort()).toEqual([w.coordinator.email, w.memberHb.email, walkIn.email].sort());
		const mail = mine.find((r) => r.to[0] === w.memberHb.email)!;
		expect(mail.subject).toMatch(/^Erinnerung: Netzwerktreffen Quedlinburg am /);
		expect(mail.text).toContain('ändern Sie bitte Ihre Antwort');
		expect(mail.text).toContain(`/intern/treffen/${m.id}/antwort`);
		expect(icsOf(mail.raw).event.uid).toContain(m.id);

		const rows = await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id));
		const reminded = rows.filter((r) => r.remindedAt).map((r) => r.userId);
		expect(reminded.sort()).toEqual([w.coordinator.userId, w.memberHb.userId, walkIn.userId].sort());

		// Again, and twice in parallel: nothing new.
		const again = await Promise.all([sendMeetingReminders(), sendMeetingReminders()]);
		expect(again.map((r) => r.queued)).toEqual([0, 0]);
		const keys = await db().select().from(jobs).where(like(jobs.uniqueKey, `meetings.reminder:${m.id}:%`));
		expect(keys).toHaveLength(3);
	});

	it('the demo’s invented accounts (@demo.klimanetz.example) who said yes get no reminder; the others do', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'planned', startsAt: new Date(Date.now() + 30 * HOUR), reminderDays: 2, title: '4. Netzwerktreffen (Demo)' });
		await db().update(users).set({ email: `${w.memberOw.userId}@${DEMO_EMAIL_DOMAIN}` }).where(eq(users.id, w.memberOw.userId!));
		await answerMeeting(w.memberOw, w.network.id, m.id, { answer: 'yes', comment: 'Wir sind Gastgeber.' });
		await answerMeeting(w.memberHb, w.network.id, m.id, { answer: 'yes', comment: '' });
		// Other tests' meetings may be due too: look at this meeting's mails only.
		expect((await sendMeetingReminders()).queued).toBeGreaterThanOrEqual(1);
		const queued = await db().select().from(jobs).where(like(jobs.uniqueKey, `meetings.reminder:${m.id}:%`));
		expect(queued.map((j) => (j.payload as { to: string }).to)).toEqual([w.memberHb.email]);
		const [demo] = await db().select().from(meetingParticipants).where(and(eq(meetingParticipants.meetingId, m.id), eq(meetingParticipants.userId, w.memberOw.userId!)));
		expect(demo.remindedAt).toBeNull();
	});

	it('parallel runs of the sending itself queue each reminder once', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'invited', startsAt: new Date(Date.now() + 20 * HOUR), reminderDays: 1 });
		await invite(m.id, w.network.id, [w.coordinator, w.memberHb, w.memberOw, w.partner].map((a) => a.userId));
		const runs = await Promise.all([sendMeetingReminders(), sendMeetingReminders(), sendMeetingReminders()]);
		expect(runs.reduce((n, r) => n + r.queued, 0)).toBe(4);
		expect(await db().select().from(jobs).where(like(jobs.uniqueKey, `meetings.reminder:${m.id}:%`))).toHaveLength(4);
	});

	it('due from the Berlin day reminder_days before; not yet due, no reminder, cancelled, held, started meetings and deleted accounts get nothing', async () => {
		const w = await meetingWorkWorld();
		const ids = [w.coordinator, w.memberHb].map((a) => a.userId);
		// "Now" is 10 June 2030, 12:00 in Berlin (CEST).
		const now = new Date('2030-06-10T10:00:00Z');
		const at = (iso: string, over: Parameters<typeof meetingRow>[1] = {}) => meetingRow(w.network.id, { status: 'invited', startsAt: new Date(iso), reminderDays: 3, ...over });
		const early = await at('2030-06-14T08:00:00Z');
		const none = await at('2030-06-10T12:00:00Z', { reminderDays: null });
		const cancelled = await at('2030-06-10T12:00:00Z', { status: 'cancelled' });
		const held = await at('2030-06-10T08:00:00Z', { status: 'held' });
		const started = await at('2030-06-10T09:50:00Z');
		const sameDay = await at('2030-06-10T14:00:00Z', { reminderDays: 0, status: 'planned' });
		const dayBefore = await at('2030-06-11T21:30:00Z', { reminderDays: 1 }); // 23:30 on 11 June in Berlin
		const afterMidnight = await at('2030-06-11T22:30:00Z', { reminderDays: 1 }); // 00:30 on 12 June in Berlin
		const all = [early, none, cancelled, held, started, sameDay, dayBefore, afterMidnight];
		for (const m of all) await invite(m.id, w.network.id, ids);
		const due = new Set((await dueReminderMeetings(now)).map((d) => d.id));
		expect(all.filter((m) => due.has(m.id)).map((m) => m.id).sort()).toEqual([sameDay.id, dayBefore.id].sort());

		await db().update(users).set({ deletedAt: new Date() }).where(eq(users.id, w.memberHb.userId!));
		expect(await sendMeetingReminders(now)).toMatchObject({ queued: 2 });
		const keys = (await db().select({ key: jobs.uniqueKey }).from(jobs).where(like(jobs.uniqueKey, 'meetings.reminder:%')))
			.map((k) => k.key!)
			.filter((k) => all.some((m) => k.includes(m.id)));
		expect(keys.sort()).toEqual([`meetings.reminder:${sameDay.id}:${w.coordinator.userId}:0`, `meetings.reminder:${dayBefore.id}:${w.coordinator.userId}:0`].sort());
		// A day later the late-night meeting is due as well.
		expect((await dueReminderMeetings(new Date('2030-06-10T22:00:00Z'))).map((d) => d.id)).toContain(afterMidnight.id);
	});

	it('people who left the network or are citizens now get no reminder', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'invited', startsAt: new Date(Date.now() + 30 * HOUR), reminderDays: 2, title: 'Treffen nach dem Austritt' });
		await invite(m.id, w.network.id, [w.coordinator, w.memberHb, w.memberOw, w.partner].map((a) => a.userId));
		await db().delete(memberships).where(and(eq(memberships.networkId, w.network.id), eq(memberships.userId, w.memberOw.userId!)));
		await db().update(memberships).set({ role: 'citizen' }).where(and(eq(memberships.networkId, w.network.id), eq(memberships.userId, w.partner.userId!)));
		received.length = 0;
		expect(await sendMeetingReminders()).toMatchObject({ queued: 2 });
		for (let i = 0; i < 5; i++) if (!(await runDueJobs('reminders-test', 50)).claimed) break;
		expect(received.filter((r) => r.subject.includes('Treffen nach dem Austritt')).map((r) => r.to[0]).sort()).toEqual([w.coordinator.email, w.memberHb.email].sort());
		const rows = await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id));
		expect(rows.filter((r) => r.remindedAt).map((r) => r.userId).sort()).toEqual([w.coordinator.userId, w.memberHb.userId].sort());
	});

	it('a meeting moved to another start is reminded again (new sequence, new key)', async () => {
		const w = await meetingWorkWorld();
		const m = await meetingRow(w.network.id, { status: 'invited', startsAt: new Date(Math.round((Date.now() + 30 * HOUR) / 60_000) * 60_000), reminderDays: 2 });
		await invite(m.id, w.network.id, [w.coordinator.userId, w.memberHb.userId]);
		expect(await sendMeetingReminders()).toMatchObject({ queued: 2 });
		expect(await sendMeetingReminders()).toMatchObject({ queued: 0 });
		// An hour later the same day: reminded again for the new time (the form keeps the invited status).
		const [cur] = await db().select().from(meetings).where(eq(meetings.id, m.id));
		const form = meetingAsForm(cur);
		const moved = await updateMeeting(w.coordinator, w.network.id, m.id, { ...form, startTime: `${String(Number(form.startTime.slice(0, 2)) + (form.startTime < '22:00' ? 1 : -1)).padStart(2, '0')}${form.startTime.slice(2)}`, endTime: '23:59' });
		expect(moved.sequence).toBe(cur.sequence + 1);
		expect(await sendMeetingReminders()).toMatchObject({ queued: 2 });
		const keys = (await db().select({ key: jobs.uniqueKey }).from(jobs).where(like(jobs.uniqueKey, `meetings.reminder:${m.id}:%`))).map((k) => k.key!);
		expect(keys.filter((k) => k.endsWith(`:${moved.sequence}`))).toHaveLength(2);
		expect(keys).toHaveLength(4);
	});
});
