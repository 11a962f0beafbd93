import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, meetingParticipants, meetings } from '../db/schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR } from '../auth/actor';
import { makeNetwork, makeActor, makeBody } from '../testing/factories';
import {
	getMeeting,
	getPublicMeeting,
	listMeetings,
	listPublicMeetings,
	markInvitationsSent,
	markMeetingHeld,
	meetingAsForm,
	meetingFilterFromUrl,
	meetingYears,
	reopenMeeting,
	updateMeeting,
	type Meeting
} from './meetings';
import { cancelMeetingAndNotify } from './invitations';
import { dayFromNow, makeMeeting, meetingWorld } from './testing';

useTestDb();

const v = (m: Meeting) => ({ version: String(m.version) });
const cancel = (actor: Parameters<typeof cancelMeetingAndNotify>[0], m: Meeting) => cancelMeetingAndNotify(actor, m.networkId, m.id, v(m)).then((r) => r.meeting);

describe('meetings: create and read', () => {
	it('creates a meeting in Berlin time with host and audit entry; reads it back', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id, { date: '2027-06-16', hostBodyId: w.other.id, onlineUrl: 'https://meet.example.org/klima' });
		expect(m.startsAt.toISOString()).toBe('2027-06-16T08:00:00.000Z');
		expect(m.endsAt.toISOString()).toBe('2027-06-16T12:00:00.000Z');
		expect(m).toMatchObject({ status: 'planned', sequence: 0, version: 1, reminderDays: 3, isPublic: false, createdBy: w.coordinator.userId });
		const d = await getMeeting(w.member, w.network.id, m.id);
		expect(d.host?.name).toBe('Osterwieck');
		expect(d).toMatchObject({ canManage: false, canPropose: true, isPast: false });
		expect((await getMeeting(w.coordinator, w.network.id, m.id)).canManage).toBe(true);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, m.id));
		expect(audit.map((a) => a.action)).toEqual(['create']);
	});

	it('DST: meetings on 29 March and 25 October 2026 at 10:00 Berlin get the right instants', async () => {
		const w = await meetingWorld();
		const now = new Date('2026-01-01T00:00:00Z');
		const spring = await makeMeeting(w.coordinator, w.network.id, { date: '2026-03-29', startTime: '10:00', endTime: '12:00' }, { now });
		const autumn = await makeMeeting(w.coordinator, w.network.id, { date: '25.10.2026', startTime: '10:00', endTime: '12:00' }, { now });
		expect(spring.startsAt.toISOString()).toBe('2026-03-29T08:00:00.000Z');
		expect(autumn.startsAt.toISOString()).toBe('2026-10-25T09:00:00.000Z');
		expect(meetingAsForm(autumn)).toMatchObject({ date: '2026-10-25', startTime: '10:00', endTime: '12:00' });
	});

	it('only coordinators create; citizens, visitors and other networks may not read internal meetings', async () => {
		const w = await meetingWorld();
		for (const a of [w.member, w.partner, w.citizen, VISITOR]) {
			await expect(makeMeeting(a, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		}
		const m = await makeMeeting(w.coordinator, w.network.id);
		const foreign = await makeActor((await makeNetwork()).id, 'coordinator');
		for (const a of [w.citizen, VISITOR, foreign]) {
			await expect(getMeeting(a, w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		}
		await expect(getPublicMeeting(w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		// Another network's id doesn't reach this meeting even for its coordinator.
		const other = await makeNetwork();
		await expect(getMeeting(w.coordinator, other.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getMeeting(w.coordinator, w.network.id, 'not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('meetings: bad input changes nothing', () => {
	it('end before start, missing place, bad link, bad reminder, unknown host, gap hour', async () => {
		const w = await meetingWorld();
		const foreignTown = await makeBody((await makeNetwork()).id, 'Fremdstadt');
		const before = (await db().select().from(meetings).where(eq(meetings.networkId, w.network.id))).length;
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { startTime: '14:00', endTime: '10:00' }))).toMatchObject({ endTime: 'meetings.endBeforeStart' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { startTime: '10:00', endTime: '10:00' }))).toMatchObject({ endTime: 'meetings.endBeforeStart' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { venueName: '', venueAddress: '', onlineUrl: '' }))).toMatchObject({ venueName: 'meetings.placeRequired' });
		for (const url of ['javascript:alert(1)', 'ftp://x.org', 'meet.example.org', 'https://', '"><img src=x onerror=alert(1)>']) {
			expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { onlineUrl: url }))).toMatchObject({ onlineUrl: 'meetings.onlineUrlInvalid' });
		}
		for (const r of ['61', '-1', '2,5', 'drei']) {
			expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { reminderDays: r }))).toMatchObject({ reminderDays: 'meetings.reminderDays' });
		}
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { hostBodyId: foreignTown.id }))).toMatchObject({ hostBodyId: 'meetings.hostUnknown' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { hostBodyId: 'nope' }))).toMatchObject({ hostBodyId: 'meetings.hostUnknown' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { date: '2027-03-28', startTime: '02:30', endTime: '05:00' }))).toMatchObject({ startTime: 'meetings.timeGap' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { date: '31.02.2027' }))).toMatchObject({ date: 'dir.date' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { date: '' }))).toMatchObject({ date: 'meetings.dateRequired' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { startTime: '25:00' }))).toMatchObject({ startTime: 'meetings.timeInvalid' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { title: '' }))).toMatchObject({ title: 'validation.required' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { title: 'x'.repeat(1_000_000) }))).toMatchObject({ title: 'dir.tooLong200' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { status: 'done' }))).toMatchObject({ status: 'validation.choice' });
		// Invited and cancelled come from their commands, never from the form.
		for (const status of ['invited', 'cancelled']) {
			expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { status }))).toMatchObject({ status: 'meetings.statusByCommand' });
		}
		const after = (await db().select().from(meetings).where(eq(meetings.networkId, w.network.id))).length;
		expect(after).toBe(before);
	});

	it('a past meeting must be held; a future one cannot be held', async () => {
		const w = await meetingWorld();
		const past = { date: dayFromNow(-10) };
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { ...past, status: 'planned' }))).toMatchObject({ status: 'meetings.pastMustBeClosed' });
		expect(await fieldErrors(makeMeeting(w.coordinator, w.network.id, { status: 'held' }))).toMatchObject({ status: 'meetings.heldInFuture' });
		const held = await makeMeeting(w.coordinator, w.network.id, { ...past, status: 'held' });
		expect(held.status).toBe('held');
	});

	it('text with script payloads and NUL bytes is stored as plain text', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id, { title: '<script>alert(1)</script>\u0000', venueName: '"><img src=x onerror=alert(1)>' });
		expect(m.title).toBe('<script>alert(1)</script>');
		expect(m.venueName).toBe('"><img src=x onerror=alert(1)>');
	});
});

describe('meetings: changes', () => {
	it('raises sequence on time, place and status changes but not on reminder or visibility; version-guarded', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const form = meetingAsForm(m);
		const a = await updateMeeting(w.coordinator, w.network.id, m.id, { ...form, reminderDays: '7', isPublic: 'on' });
		expect(a).toMatchObject({ sequence: 0, version: 2, reminderDays: 7, isPublic: true });
		const b = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(a), startTime: '09:30' });
		expect(b).toMatchObject({ sequence: 1, version: 3 });
		const c = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(b), venueName: 'Rathaus', reminderDays: '' });
		expect(c).toMatchObject({ sequence: 2, reminderDays: null });
		// A stale form (version 1) is refused with the current version, nothing changes.
		const err = await updateMeeting(w.coordinator, w.network.id, m.id, { ...form, title: 'Überschrieben' }).catch((e) => e);
		expect(err.fieldErrors).toEqual({ _form: 'meetings.editedMeanwhile' });
		expect(err.values).toEqual({ version: '4' });
		// A form without its version, or with a garbled one, is refused too (it would overwrite unseen).
		for (const version of [undefined, '', 'abc', '4.5', '-4', '4\u0000']) {
			const e = await updateMeeting(w.coordinator, w.network.id, m.id, { ...form, version, title: 'Überschrieben' }).catch((x) => x);
			expect(e.fieldErrors).toEqual({ _form: 'meetings.versionMissing' });
			expect(e.values).toEqual({ version: '4' });
		}
		expect(await fieldErrors(cancelMeetingAndNotify(w.coordinator, w.network.id, m.id, {}))).toEqual({ _form: 'meetings.versionMissing' });
		expect(await fieldErrors(markMeetingHeld(w.coordinator, w.network.id, m.id, { version: 'x' }))).toEqual({ _form: 'meetings.versionMissing' });
		expect((await getMeeting(w.coordinator, w.network.id, m.id)).title).toBe('Netzwerktreffen');
		// Bad input on update changes nothing either.
		expect(await fieldErrors(updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(c), endTime: '08:00' }))).toMatchObject({ endTime: 'meetings.endBeforeStart' });
		expect((await getMeeting(w.coordinator, w.network.id, m.id)).version).toBe(4);
		await expect(updateMeeting(w.member, w.network.id, m.id, meetingAsForm(c))).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('cancelling keeps the meeting with status cancelled and a raised sequence; held ones cannot be cancelled', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		await expect(cancel(w.member, m)).rejects.toBeInstanceOf(ForbiddenError);
		const c = await cancel(w.coordinator, m);
		expect(c).toMatchObject({ status: 'cancelled', sequence: 1 });
		expect(await fieldErrors(cancel(w.coordinator, c))).toEqual({ _form: 'meetings.alreadyCancelled' });
		expect(await fieldErrors(markMeetingHeld(w.coordinator, w.network.id, m.id, v(c), { now: new Date(m.endsAt.getTime() + 1000) }))).toEqual({ _form: 'meetings.cancelledNotHeld' });
		const held = await makeMeeting(w.coordinator, w.network.id, { date: dayFromNow(-3), status: 'held' });
		expect(await fieldErrors(cancel(w.coordinator, held))).toEqual({ _form: 'meetings.heldNotCancelled' });
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, m.id));
		expect(audit.map((a) => a.action).sort()).toEqual(['cancel', 'create']);
	});

	it('the edit form keeps an invited or cancelled status (shown read-only, not sent) and cannot set one', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		// A planned meeting: the form may not make it invited (nothing was sent) or cancelled (no mails).
		for (const status of ['invited', 'cancelled']) {
			expect(await fieldErrors(updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(m), status }))).toEqual({ status: 'meetings.statusByCommand' });
		}
		const inv = await db().transaction((tx) => markInvitationsSent(tx, w.coordinator, w.network.id, m.id));
		const form = meetingAsForm(inv);
		expect(form.status).toBe('');
		// The form of an invited meeting sends no status; whatever comes is ignored, the status stays.
		const a = await updateMeeting(w.coordinator, w.network.id, m.id, { ...form, title: 'Neu' });
		expect(a).toMatchObject({ status: 'invited', title: 'Neu' });
		const b = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(a), status: 'planned' });
		expect(b.status).toBe('invited');
		// Moved into the past: the message stands beside the date (the status can't be changed here).
		expect(await fieldErrors(updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(b), date: dayFromNow(-2) }))).toEqual({ date: 'meetings.pastMustBeClosed' });
		const c = await cancel(w.coordinator, b);
		const d = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(c), status: 'held', venueName: 'Rathaus' });
		expect(d).toMatchObject({ status: 'cancelled', venueName: 'Rathaus' });
	});

	it('reopening: a cancelled meeting still ahead is planned again with a raised sequence; explicit, version-checked, coordinators only', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		expect(await fieldErrors(reopenMeeting(w.coordinator, w.network.id, m.id, v(m)))).toEqual({ _form: 'meetings.notCancelled' });
		const c = await cancel(w.coordinator, m);
		await expect(reopenMeeting(w.member, w.network.id, m.id, v(c))).rejects.toBeInstanceOf(ForbiddenError);
		expect(await fieldErrors(reopenMeeting(w.coordinator, w.network.id, m.id, v(m)))).toEqual({ _form: 'meetings.editedMeanwhile' });
		expect(await fieldErrors(reopenMeeting(w.coordinator, w.network.id, m.id, v(c), { now: new Date(m.endsAt.getTime() + 1) }))).toEqual({ _form: 'meetings.isPast' });
		const r = await reopenMeeting(w.coordinator, w.network.id, m.id, v(c));
		expect(r).toMatchObject({ status: 'planned', sequence: c.sequence + 1, version: c.version + 1 });
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, m.id));
		expect(audit.map((a) => a.action)).toContain('reopen');
	});

	it('moving the start clears the reminders sent, so the reminder comes again for the new time', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		await db().insert(meetingParticipants).values({ meetingId: m.id, networkId: w.network.id, userId: w.member.userId!, invitedAt: new Date(), remindedAt: new Date() });
		const reminded = async () => (await db().select().from(meetingParticipants).where(eq(meetingParticipants.meetingId, m.id)))[0].remindedAt;
		// Another place or end: the reminder stands.
		const a = await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(m), venueName: 'Rathaus', endTime: '15:00' });
		expect(await reminded()).toBeInstanceOf(Date);
		await updateMeeting(w.coordinator, w.network.id, m.id, { ...meetingAsForm(a), startTime: '11:00' });
		expect(await reminded()).toBeNull();
	});

	it('marks held only once it has begun', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		expect(await fieldErrors(markMeetingHeld(w.coordinator, w.network.id, m.id, v(m)))).toEqual({ _form: 'meetings.heldInFuture' });
		const h = await markMeetingHeld(w.coordinator, w.network.id, m.id, v(m), { now: new Date(m.startsAt.getTime() + 60_000) });
		expect(h).toMatchObject({ status: 'held', sequence: 1 });
		expect(await fieldErrors(markMeetingHeld(w.coordinator, w.network.id, m.id, v(h), { now: new Date(m.endsAt.getTime() + 1) }))).toEqual({ _form: 'meetings.alreadyHeld' });
	});

	it('markInvitationsSent moves a planned meeting to invited and refuses cancelled ones', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const inv = await db().transaction((tx) => markInvitationsSent(tx, w.coordinator, w.network.id, m.id));
		expect(inv).toMatchObject({ status: 'invited', sequence: 1 });
		expect(inv.invitationsSentAt).toBeInstanceOf(Date);
		await cancel(w.coordinator, inv);
		expect(await fieldErrors(db().transaction((tx) => markInvitationsSent(tx, w.coordinator, w.network.id, m.id)))).toEqual({ _form: 'meetings.isCancelled' });
	});
});

describe('meetings: lists', () => {
	it('upcoming and past, filters, paging, public only for visitors, network isolation', async () => {
		const w = await meetingWorld();
		const up1 = await makeMeeting(w.coordinator, w.network.id, { title: 'Bald', date: dayFromNow(5), hostBodyId: w.town.id, isPublic: 'on' });
		const up2 = await makeMeeting(w.coordinator, w.network.id, { title: 'Später', date: dayFromNow(40), hostBodyId: w.other.id });
		const past = await makeMeeting(w.coordinator, w.network.id, { title: 'Vorbei', date: '2025-04-15', status: 'held', hostBodyId: w.town.id, isPublic: 'on' });
		const other = await meetingWorld();
		await makeMeeting(other.coordinator, other.network.id, { title: 'Fremd' });

		const upcoming = await listMeetings(w.member, w.network.id, {});
		expect(upcoming.rows.map((r) => r.title)).toEqual(['Bald', 'Später']);
		expect(upcoming.total).toBe(2);
		expect((await listMeetings(w.partner, w.network.id, { when: 'past' })).rows.map((r) => r.id)).toEqual([past.id]);
		expect((await listMeetings(w.member, w.network.id, { hostBodyId: w.other.id })).rows.map((r) => r.id)).toEqual([up2.id]);
		expect((await listMeetings(w.member, w.network.id, { when: 'past', year: 2025 })).rows.map((r) => r.id)).toEqual([past.id]);
		expect((await listMeetings(w.member, w.network.id, { when: 'past', year: 2024 })).rows).toEqual([]);
		expect((await listMeetings(w.member, w.network.id, { status: 'cancelled' })).rows).toEqual([]);
		const page2 = await listMeetings(w.member, w.network.id, { pageSize: 1, page: 2 });
		expect(page2.rows.map((r) => r.id)).toEqual([up2.id]);
		expect(page2.total).toBe(2);
		expect((await listMeetings(w.member, w.network.id, { page: 1e12 })).rows).toEqual([]);
		await expect(listMeetings(w.citizen, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listMeetings(VISITOR, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);

		expect((await listPublicMeetings(w.network.id)).rows.map((r) => r.id)).toEqual([up1.id]);
		expect((await listPublicMeetings(w.network.id, { when: 'past' })).rows.map((r) => r.id)).toEqual([past.id]);
		const pub = await getPublicMeeting(w.network.id, up1.id);
		expect(Object.keys(pub).sort()).toEqual(['description', 'endsAt', 'host', 'id', 'onlineUrl', 'sequence', 'startsAt', 'status', 'title', 'updatedAt', 'venueAddress', 'venueName']);
		await expect(getPublicMeeting(other.network.id, up1.id)).rejects.toBeInstanceOf(NotFoundError);
		expect(await meetingYears(w.network.id, true)).toContain(2025);
	});

	it('reads filters from the URL and ignores nonsense', () => {
		const f = meetingFilterFromUrl(new URL('http://x/?zeit=vergangen&status=held&kommune=abc&jahr=99999'));
		expect(f).toEqual({ when: 'past', status: 'held', hostBodyId: undefined, year: undefined });
		expect(meetingFilterFromUrl(new URL('http://x/?status=%3Cscript%3E')).status).toBeUndefined();
	});
});

