import { describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { useSmtpCapture } from '../testing/smtp';
import { fieldErrors } from '../testing/errors';
import { makeActor } from '../testing/factories';
import { db } from '../db/client';
import { agendaItems, auditLog, jobs, meetingParticipants, meetings, memberships, users } from '../db/schema';
import { runDueJobs } from '../jobs';
import { config } from '../config';
import { ForbiddenError, NotFoundError } from '../errors';
import { meetingAsForm, reopenMeeting, updateMeeting } from './meetings';
import { makeMeeting, dayFromNow } from './testing';
import { cancelMeetingAndNotify, invitationsBehind, invitationStatus, notifyCancellation, sendInvitations } from './invitations';
import { meetingRow, meetingWorkWorld, type MeetingWorkWorld } from './work-testing';
import { htmlOf, icsOf } from './mime-testing';

useTestDb();
const received = useSmtpCapture();

async function drain() {
	for (let i = 0; i < 10; i++) {
		const r = await runDueJobs('invitations-test', 50);
		if (!r.claimed) break;
	}
}

async function osterwieckMeeting(w: MeetingWorkWorld, over: Record<string, string> = {}) {
	const m = await makeMeeting(w.coordinator, w.network.id, {
		title: '3. Netzwerktreffen <b>&$1',
		date: dayFromNow(30),
		startTime: '10:00',
		endTime: '14:00',
		hostBodyId: w.osterwieck.id,
		venueName: 'Bunter Hof',
		venueAddress: 'Kapellenstraße 1, 38835 Osterwieck',
		onlineUrl: 'https://meet.example.org/harz-3',
		...over
	});
	await db()
		.insert(agendaItems)
		.values([
			{ networkId: w.network.id, meetingId: m.id, position: 1, title: 'Wärmeplanung: Stand in den Kommunen' },
			{ networkId: w.network.id, meetingId: m.id, position: 0, title: 'Begrüßung durch die Stadt Osterwieck' },
			{ networkId: w.network.id, meetingId: m.id, position: 2, title: 'Förderaufruf <script>alert(1)</script>' }
		]);
	return m;
}

const mailsTo = (email: string) => received.filter((r) => r.to.includes(email)).map((r) => ({ ...r, text: r.text.replace(/\r\n/g, '\n') }));

describe('invitations', () => {
	it('mail every coordinator, member and partner once, with text, answer link and a parseable .ics; the meeting becomes invited', async () => {
		const w = await meetingWorkWorld();
		// A deleted account and a citizen get nothing.
		const gone = await makeActor(w.network.id, 'member', [w.wernigerode.id]);
		await db().update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.userId!));
		const m = await osterwieckMeeting(w);
		expect(m.sequence).toBe(0);

		received.length = 0;
		const run = await sendInvitations(w.coordinator, w.network.id, m.id);
		expect(run).toEqual({ invited: 4, queued: 4, firstInvitations: 4, sequence: 1 });
		const [after] = await db().select().from(meetings).where(eq(meetings.id, m.id));
		expect(after.status).toBe('invited');
		expect(after.invitationsSentAt).toBeInstanceOf(Date);
		const rows = await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id));
		expect(rows.map((r) => r.userId).sort()).toEqual([w.coordinator, w.memberHb, w.memberOw, w.partner].map((a) => a.userId).sort());
		expect(rows.every((r) => r.invitedAt && r.answer === null && r.networkId === w.network.id)).toBe(true);

		// Double click / second instance: nothing new.
		expect((await sendInvitations(w.coordinator, w.network.id, m.id)).queued).toBe(0);
		await Promise.all([sendInvitations(w.coordinator, w.network.id, m.id), sendInvitations(w.coordinator, w.network.id, m.id)]);
		await drain();
		expect(received).toHaveLength(4);
		expect(received.map((r) => r.to[0]).sort()).toEqual([w.coordinator, w.memberHb, w.memberOw, w.partner].map((a) => a.email).sort());
		expect(mailsTo(gone.email)).toHaveLength(0);
		expect(mailsTo(w.citizen.email)).toHaveLength(0);

		const mail = mailsTo(w.memberHb.email)[0];
		expect(mail.subject).toMatch(/^Einladung: 3\. Netzwerktreffen <b>&\$1 am \w+, \d+\. \w+ \d{4}$/);
		expect(mail.text).toContain(`Guten Tag ${w.memberHb.name},`);
		expect(mail.text).toMatch(/Wann: \w+, \d+\. \w+ \d{4}, 10:00–14:00 Uhr/);
		expect(mail.text).toContain('Wo: Bunter Hof, Kapellenstraße 1, 38835 Osterwieck');
		expect(mail.text).toContain('Gastgeberkommune: Osterwieck');
		expect(mail.text).toContain('Online teilnehmen: https://meet.example.org/harz-3');
		expect(mail.text).toContain('1. Begrüßung durch die Stadt Osterwieck\n2. Wärmeplanung: Stand in den Kommunen\n3. Förderaufruf <script>alert(1)</script>');
		expect(mail.text).toContain(`${config.origin}/${w.network.slug}/intern/treffen/${m.id}/antwort`);
		const html = htmlOf(mail.raw);
		expect(html).toContain('<li>Förderaufruf &lt;script&gt;alert(1)&lt;/script&gt;</li>');
		expect(html).not.toContain('<script>');
		expect(html).not.toContain('[[');

		const ics = icsOf(mail.raw);
		expect(ics.headers).toMatch(/filename=.*\.ics/i);
		expect(ics.cal.getFirstPropertyValue('method')).toBe('PUBLISH');
		expect(ics.text).toMatch(/DTSTART;TZID=Europe\/Berlin:\d{8}T100000\r\n/);
		expect(ics.comp.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Berlin');
		expect(ics.event.startDate.zone.tzid).toBe('Europe/Berlin');
		expect(ics.event.startDate.toJSDate().toISOString()).toBe(after.startsAt.toISOString());
		expect(ics.event.endDate.toJSDate().toISOString()).toBe(after.endsAt.toISOString());
		expect(ics.event.summary).toBe('3. Netzwerktreffen <b>&$1');
		expect(ics.event.location).toContain('Bunter Hof, Kapellenstraße 1, 38835 Osterwieck');
		expect(ics.event.sequence).toBe(1);
		expect(ics.comp.getFirstPropertyValue('status')).toBe('CONFIRMED');
		expect(ics.event.uid).toBe(`meeting-${m.id}@${new URL(config.origin).hostname}`);

		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordId, m.id), eq(auditLog.action, 'invite')));
		expect(audit.length).toBeGreaterThanOrEqual(1);
		expect(audit.some((a) => (a.after as { queued: number }).queued === 4)).toBe(true);
	});

	it('sending again after a change mails an update with a raised SEQUENCE; newcomers get their first invitation; cancelling mails STATUS:CANCELLED', async () => {
		const w = await meetingWorkWorld();
		const m = await osterwieckMeeting(w);
		await sendInvitations(w.coordinator, w.network.id, m.id);
		await drain();
		received.length = 0;

		// Moved by an hour (H5 raises the sequence), and a new member joined.
		const [cur] = await db().select().from(meetings).where(eq(meetings.id, m.id));
		const moved = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(cur), startTime: '11:00', endTime: '15:00' });
		expect(moved.sequence).toBe(2);
		const newcomer = await makeActor(w.network.id, 'member', [w.wernigerode.id]);
		const run = await sendInvitations(w.coordinator, w.network.id, m.id);
		expect(run).toEqual({ invited: 5, queued: 5, firstInvitations: 1, sequence: 2 });
		await drain();
		expect(received).toHaveLength(5);
		const update = mailsTo(w.memberOw.email)[0];
		expect(update.subject).toMatch(/^Geändert: /);
		expect(update.text).toContain('11:00–15:00 Uhr');
		expect(icsOf(update.raw).event.sequence).toBe(2);
		expect(icsOf(update.raw).event.startDate.toJSDate().toISOString()).toBe(moved.startsAt.toISOString());
		expect(mailsTo(newcomer.email)[0].subject).toMatch(/^Einladung: /);

		// "Treffen absagen" → everyone invited gets the cancellation, queued by the command itself, once.
		received.length = 0;
		const { meeting: cancelled, notified } = await cancelMeetingAndNotify(w.coordinator, w.network.id, m.id, { version: String(moved.version + 1) });
		expect(cancelled.status).toBe('cancelled');
		expect(cancelled.sequence).toBe(3);
		expect(notified).toBe(5);
		// Calling it again (or after the job rows are gone) queues nothing: everyone is at the cancelled sequence.
		expect(await db().transaction((tx) => notifyCancellation(tx, cancelled))).toBe(0);
		await drain();
		expect(received.map((r) => r.to[0]).sort()).toEqual([w.coordinator, w.memberHb, w.memberOw, w.partner, newcomer].map((a) => a.email).sort());
		const c = mailsTo(w.partner.email)[0];
		expect(c.subject).toMatch(/^Abgesagt: /);
		expect(c.text).toContain('wurde abgesagt');
		expect(c.text).not.toContain('/antwort');
		const ics = icsOf(c.raw);
		expect(ics.comp.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(ics.event.sequence).toBe(3);
		expect(ics.event.uid).toBe(`meeting-${m.id}@${new URL(config.origin).hostname}`);

		// No invitations to a cancelled meeting.
		expect(await fieldErrors(sendInvitations(w.coordinator, w.network.id, m.id))).toEqual({ _form: 'invitations.cancelled' });
		const keys = await db().select({ key: jobs.uniqueKey }).from(jobs).where(like(jobs.uniqueKey, `meetings.invite:${m.id}:%`));
		expect(keys).toHaveLength(9);
	});

	it('a meeting never invited gets no cancellation mails; past and held meetings are refused', async () => {
		const w = await meetingWorkWorld();
		const m = await osterwieckMeeting(w);
		received.length = 0;
		const { meeting: cancelled, notified } = await cancelMeetingAndNotify(w.coordinator, w.network.id, m.id, { version: String(m.version) });
		expect(notified).toBe(0);
		expect(await db().transaction((tx) => notifyCancellation(tx, cancelled))).toBe(0);
		await drain();
		expect(received.filter((r) => r.subject.startsWith('Abgesagt'))).toEqual([]);

		const held = await meetingRow(w.network.id, { inDays: -20, status: 'held' });
		expect(await fieldErrors(sendInvitations(w.coordinator, w.network.id, held.id))).toEqual({ _form: 'invitations.past' });
		// Ended but never marked held.
		const ended = await meetingRow(w.network.id, { inDays: -1, status: 'invited' });
		expect(await fieldErrors(sendInvitations(w.coordinator, w.network.id, ended.id))).toEqual({ _form: 'invitations.past' });
		const status = await invitationStatus(w.coordinator, w.network.id, ended.id);
		expect(status).toMatchObject({ canSend: false, blocker: 'invitations.past', invited: 0, recipients: 4, notYetInvited: 4 });
		expect(await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, ended.id))).toEqual([]);
	});

	it('once-only rests on invited_sequence, not on job rows: after the jobs are purged a second send mails nobody; after a change only those behind', async () => {
		const w = await meetingWorkWorld();
		const m = await osterwieckMeeting(w);
		const first = await sendInvitations(w.coordinator, w.network.id, m.id);
		expect(first.queued).toBe(4);
		await drain();
		const rows = await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id));
		expect(rows.map((r) => r.invitedSequence)).toEqual([1, 1, 1, 1]);
		// The job table is purged after 30 days: the record of who was mailed must not go with it.
		await db().delete(jobs).where(like(jobs.uniqueKey, `meetings.invite:${m.id}:%`));
		received.length = 0;
		expect(await sendInvitations(w.coordinator, w.network.id, m.id)).toMatchObject({ queued: 0, firstInvitations: 0, sequence: 1 });
		await drain();
		expect(received).toHaveLength(0);

		// One person was mailed an older state (say, before a change); only they get the update.
		await db()
			.update(meetingParticipants)
			.set({ invitedSequence: 0 })
			.where(and(eq(meetingParticipants.meetingId, m.id), eq(meetingParticipants.userId, w.partner.userId!)));
		const [cur] = await db().select().from(meetings).where(eq(meetings.id, m.id));
		expect(await invitationsBehind(cur)).toBe(1);
		expect((await invitationStatus(w.coordinator, w.network.id, m.id)).behind).toBe(1);
		expect(await sendInvitations(w.coordinator, w.network.id, m.id)).toMatchObject({ queued: 1, firstInvitations: 0 });
		await drain();
		expect(received.map((r) => [r.to[0], r.subject.split(':')[0]])).toEqual([[w.partner.email, 'Geändert']]);
		expect(await invitationsBehind(cur)).toBe(0);
	});

	it('after a change to an invited meeting the page knows the invitees are behind; cancelling and reopening too', async () => {
		const w = await meetingWorkWorld();
		const m = await osterwieckMeeting(w);
		await sendInvitations(w.coordinator, w.network.id, m.id);
		await drain();
		const load = async () => (await db().select().from(meetings).where(eq(meetings.id, m.id)))[0];
		let cur = await load();
		expect(await invitationsBehind(cur)).toBe(0);
		// Reminder days and visibility don't change what people were told.
		cur = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(cur), reminderDays: '5', isPublic: 'on' });
		expect(await invitationsBehind(cur)).toBe(0);
		cur = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(cur), venueName: 'Rathaus Osterwieck' });
		expect(await invitationsBehind(cur)).toBe(4);
		// Cancelled: nobody is prompted (the cancellation went to everyone); taken back: behind again.
		cur = (await cancelMeetingAndNotify(w.coordinator, w.network.id, m.id, { version: String(cur.version) })).meeting;
		expect(await invitationsBehind(cur)).toBe(0);
		await drain();
		cur = await reopenMeeting(w.coordinator, w.network.id, m.id, { version: String(cur.version) });
		expect(cur.status).toBe('planned');
		expect(await invitationsBehind(cur)).toBe(4);
		received.length = 0;
		expect(await sendInvitations(w.coordinator, w.network.id, m.id)).toMatchObject({ queued: 4, firstInvitations: 0 });
		await drain();
		expect(received.every((r) => r.subject.startsWith('Geändert: '))).toBe(true);
		expect(await invitationsBehind(await load())).toBe(0);
	});

	it('people who left the network (or are citizens now) get no cancellation; those who said yes without an invitation do', async () => {
		const w = await meetingWorkWorld();
		const m = await osterwieckMeeting(w);
		await sendInvitations(w.coordinator, w.network.id, m.id);
		await drain();
		// The Osterwieck member left the network; the partner is a mere citizen now.
		await db().delete(memberships).where(and(eq(memberships.networkId, w.network.id), eq(memberships.userId, w.memberOw.userId!)));
		await db().update(memberships).set({ role: 'citizen' }).where(and(eq(memberships.networkId, w.network.id), eq(memberships.userId, w.partner.userId!)));
		// Someone new said yes before any invitation reached them.
		const walkIn = await makeActor(w.network.id, 'member', [w.wernigerode.id]);
		await db().insert(meetingParticipants).values({ meetingId: m.id, networkId: w.network.id, userId: walkIn.userId!, answer: 'yes', answeredAt: new Date() });
		const [cur] = await db().select().from(meetings).where(eq(meetings.id, m.id));
		received.length = 0;
		const { notified } = await cancelMeetingAndNotify(w.coordinator, w.network.id, m.id, { version: String(cur.version) });
		expect(notified).toBe(3);
		await drain();
		expect(received.map((r) => r.to[0]).sort()).toEqual([w.coordinator.email, w.memberHb.email, walkIn.email].sort());
	});

	it('only coordinators send; partners and members attend but do not manage; other networks see nothing', async () => {
		const w = await meetingWorkWorld();
		const m = await osterwieckMeeting(w);
		for (const a of [w.memberHb, w.partner]) await expect(sendInvitations(a, w.network.id, m.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(sendInvitations(w.citizen, w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		const other = await meetingWorkWorld();
		await expect(sendInvitations(other.coordinator, w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(sendInvitations(other.coordinator, other.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(sendInvitations(w.coordinator, w.network.id, 'nicht-da')).rejects.toBeInstanceOf(NotFoundError);
		const status = await invitationStatus(w.partner, w.network.id, m.id);
		expect(status).toMatchObject({ canSend: false, blocker: null, invited: 0, recipients: 4 });
		expect((await invitationStatus(w.coordinator, w.network.id, m.id)).canSend).toBe(true);
		await expect(invitationStatus(w.citizen, w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		expect(await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id))).toEqual([]);
	});
});
