// Meeting reminders: `reminder_days` before the start of a planned or invited meeting, everyone
// who said yes or was invited and has not answered gets one reminder mail (not those who said no
// or maybe). A scheduled job (every 15 minutes) looks for meetings whose reminder day has come.
//
// Only people still in the working area (coordinator, member, partner of the network) are reminded,
// and not the demo's invented accounts (network/demo/accounts.ts).
//
// Why nobody gets two: per person, one transaction sets `reminded_at` only where it is still null
// (a second runner's UPDATE waits for the row lock, then finds it set and skips), and queues the
// mail in that same transaction with the key meetings.reminder:<meeting>:<user>:<sequence>. A crash
// between claim and commit leaves neither; the next run picks the person up again. A meeting moved
// to another start gets its reminder again: updateMeeting clears reminded_at, and the raised
// sequence gives the mail a new key.
import { and, eq, gt, inArray, isNotNull, isNull, lte, ne, notLike, or, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { meetingParticipants, meetings, memberships, users } from '../db/schema';
import { enqueue, registerJobHandler, schedule } from '../jobs';
import { log } from '../log';
import { isScheduledStatus, SCHEDULED_STATUSES } from '$lib/meetings/enums';
import { loadMailContext, meetingMail } from './mails';
import { inWorkingArea } from './invitations';
import { notifyMeeting } from '../notifications/meeting-kinds';
import { DEMO_EMAIL_LIKE } from '../network/demo/accounts';

export const MEETING_REMINDER_JOB = 'meetings.reminders';
export const MEETING_REMINDER_EVERY_SECONDS = 15 * 60;

/**
 * Meetings whose reminder is due: planned or invited, not started, and the Berlin calendar day
 * `reminder_days` before the start day has begun (3 = from midnight three days before; 0 = on the
 * day itself).
 */
export async function dueReminderMeetings(now: Date = new Date()) {
	const at = now.toISOString();
	return db()
		.select({ id: meetings.id, networkId: meetings.networkId })
		.from(meetings)
		.where(
			and(
				inArray(meetings.status, [...SCHEDULED_STATUSES]),
				isNotNull(meetings.reminderDays),
				gt(meetings.startsAt, sql`${at}::timestamptz`),
				lte(
					sql`(date_trunc('day', ${meetings.startsAt} at time zone 'Europe/Berlin') - ${meetings.reminderDays} * interval '1 day') at time zone 'Europe/Berlin'`,
					sql`${at}::timestamptz`
				)
			)
		)
		.limit(500);
}

export interface MeetingReminderRun {
	meetings: number;
	queued: number;
}

/** Queues the due reminder mails. Safe to run any number of times and on several instances at once. */
export async function sendMeetingReminders(now: Date = new Date()): Promise<MeetingReminderRun> {
	const due = await dueReminderMeetings(now);
	let queued = 0;
	for (const m of due) {
		const candidates = await db()
			.select({ userId: users.id, name: users.name, email: users.email })
			.from(meetingParticipants)
			.innerJoin(users, eq(users.id, meetingParticipants.userId))
			.innerJoin(memberships, inWorkingArea(m.networkId))
			.where(
				and(
					eq(meetingParticipants.meetingId, m.id),
					isNull(meetingParticipants.remindedAt),
					or(eq(meetingParticipants.answer, 'yes'), and(isNull(meetingParticipants.answer), isNotNull(meetingParticipants.invitedAt))),
					isNull(users.deletedAt),
					ne(users.email, ''),
					// The demo's invented accounts said yes to the demo's next meeting: never mailed.
					notLike(users.email, DEMO_EMAIL_LIKE)
				)
			)
			.limit(5000);
		if (!candidates.length) continue;
		const ctx = await loadMailContext(db(), m.networkId, m.id);
		for (const c of candidates) {
			const sent = await db().transaction(async (tx) => {
				// Re-checked under the meeting's lock: a cancellation or a "no" in the meantime stops it.
				const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, m.id)).for('share');
				if (!meeting || !isScheduledStatus(meeting.status) || meeting.startsAt.getTime() <= now.getTime()) return false;
				const claimed = await tx
					.update(meetingParticipants)
					.set({ remindedAt: now })
					.where(
						and(
							eq(meetingParticipants.meetingId, m.id),
							eq(meetingParticipants.userId, c.userId),
							isNull(meetingParticipants.remindedAt),
							or(eq(meetingParticipants.answer, 'yes'), and(isNull(meetingParticipants.answer), isNotNull(meetingParticipants.invitedAt)))
						)
					)
					.returning({ userId: meetingParticipants.userId });
				if (!claimed.length) return false;
				// In-app notification; the mail with the .ics only when the person wants reminders at once.
				const noMail = await notifyMeeting(tx, 'reminder', { ...ctx, meeting }, [c.userId]);
				if (noMail.has(c.userId)) return false;
				const job = await enqueue('mail.send', meetingMail('reminder', c, { ...ctx, meeting }, now), { uniqueKey: `meetings.reminder:${m.id}:${c.userId}:${meeting.sequence}` }, tx);
				return !!job;
			});
			if (sent) queued++;
		}
	}
	if (due.length) log.info('meetings.reminders', { meetings: due.length, queued });
	return { meetings: due.length, queued };
}

export async function meetingRemindersJob(): Promise<void> {
	await sendMeetingReminders();
}

/** Registers and schedules the reminder job (called once at start-up, app.ts). */
export async function registerMeetingWorkJobs(): Promise<void> {
	registerJobHandler(MEETING_REMINDER_JOB, meetingRemindersJob);
	await schedule(MEETING_REMINDER_JOB, MEETING_REMINDER_EVERY_SECONDS);
}
