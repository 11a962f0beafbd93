// Sending invitations: every coordinator, member and partner of the network with an account gets a
// meeting_participants row (invited_at) and one mail with the meeting as .ics; the meeting becomes
// 'invited'. Sending again after a change (updateMeeting raises `sequence`) mails an update to
// those who were mailed an older sequence; people added to the network since get their first
// invitation; those already at the current sequence get nothing.
//
// Why nobody gets a mail twice: each person's row remembers the sequence they were last mailed
// (invited_sequence), set in the same transaction that queues the mail. The meeting row is locked
// first, so two clicks or two instances run one after the other; the second finds everyone at the
// current sequence and queues nothing – however long after the first (job rows are purged after
// 30 days, so they are no record of who was mailed; their unique key is a second guard only).
// Cancellation mails go out in the cancel command's transaction (cancelMeetingAndNotify) to
// everyone invited or who said they would come, and move them to the cancelled sequence too.
import { and, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { meetingParticipants, memberships, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { enqueue } from '../jobs';
import { cancelMeeting, loadManagedMeeting, loadMeeting, markInvitationsSent, readableMeeting, type Meeting, type MeetingOrId } from './meetings';
import { canMeeting } from './permissions';
import { loadMailContext, meetingMail, type Recipient } from './mails';
import { COMING_ANSWERS } from '$lib/meetings/enums';
import { notifyMeeting } from '../notifications/meeting-kinds';

const mailable = and(isNull(users.deletedAt), ne(users.email, ''));

/** The roles of the working area: only they are invited, reminded and told of a cancellation. */
export const ATTENDING_ROLES = ['coordinator', 'member', 'partner'] as const;

/** Joins a participant's user to their current membership of the network in a working-area role (people who left drop out). */
export const inWorkingArea = (networkId: string) =>
	and(eq(memberships.userId, users.id), eq(memberships.networkId, networkId), inArray(memberships.role, [...ATTENDING_ROLES]));

/** Who is invited: the network's coordinators, members and partners with a usable account. */
export async function invitationRecipients(tx: Tx | ReturnType<typeof db>, networkId: string): Promise<Recipient[]> {
	return tx
		.select({ userId: users.id, name: users.name, email: users.email })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.networkId, networkId), inArray(memberships.role, [...ATTENDING_ROLES]), mailable))
		.orderBy(users.name, users.id)
		.limit(5000);
}

/** Refuses invitations to a cancelled, held or ended meeting, with a message for the page. */
export function invitationBlocker(m: Pick<Meeting, 'status' | 'endsAt'>, now: Date): string | null {
	if (m.status === 'cancelled') return 'invitations.cancelled';
	if (m.status === 'held' || m.endsAt.getTime() <= now.getTime()) return 'invitations.past';
	return null;
}

export interface InvitationRun {
	/** People with an invitation row now. */
	invited: number;
	/** Mails queued by this run (0 on a repeated click). */
	queued: number;
	/** Of those, first invitations (the rest are updates). */
	firstInvitations: number;
	sequence: number;
}

/** "Einladungen senden" (coordinators). Safe to repeat: one mail per person and meeting sequence. */
export async function sendInvitations(actor: Actor, networkId: string, meetingId: string, opts: { now?: Date } = {}): Promise<InvitationRun> {
	const now = opts.now ?? new Date();
	await loadManagedMeeting(actor, networkId, meetingId);
	return db().transaction(async (tx) => {
		// Locks the meeting row: concurrent sends wait here and then see the first one's work.
		const locked = await loadMeeting(tx, networkId, meetingId, true);
		const blocker = invitationBlocker(locked, now);
		if (blocker) throw new ValidationError({ _form: blocker });
		const recipients = await invitationRecipients(tx, networkId);
		if (!recipients.length) throw new ValidationError({ _form: 'invitations.nobody' });
		const meeting = await markInvitationsSent(tx, actor, networkId, meetingId, now);
		const rows = await tx
			.select({ userId: meetingParticipants.userId, invitedAt: meetingParticipants.invitedAt, invitedSequence: meetingParticipants.invitedSequence })
			.from(meetingParticipants)
			.where(eq(meetingParticipants.meetingId, meetingId));
		const before = new Map(rows.map((r) => [r.userId, r]));
		// Those not yet mailed the current sequence; a person who answered before being invited keeps the answer.
		const due = recipients.filter((r) => {
			const row = before.get(r.userId);
			return !row || row.invitedSequence === null || row.invitedSequence < meeting.sequence;
		});
		for (let i = 0; i < due.length; i += 500) {
			await tx
				.insert(meetingParticipants)
				.values(due.slice(i, i + 500).map((r) => ({ meetingId, userId: r.userId, networkId, invitedAt: now, invitedSequence: meeting.sequence })))
				.onConflictDoUpdate({
					target: [meetingParticipants.meetingId, meetingParticipants.userId],
					set: {
						invitedAt: sql`coalesce(${meetingParticipants.invitedAt}, excluded.invited_at)`,
						invitedSequence: sql`excluded.invited_sequence`
					}
				});
		}
		const ctx = due.length ? await loadMailContext(tx, networkId, meetingId) : null;
		// In-app notifications for all; the .ics mail only for those who want it at once (notifications module).
		const isFirst = (userId: string) => !before.get(userId)?.invitedAt;
		const noMail = new Set<string>();
		if (ctx) {
			for (const kind of ['invitation', 'update'] as const) {
				const ids = due.filter((r) => isFirst(r.userId) === (kind === 'invitation')).map((r) => r.userId);
				for (const id of await notifyMeeting(tx, kind, ctx, ids)) noMail.add(id);
			}
		}
		let queued = 0;
		let firstInvitations = 0;
		for (const r of due) {
			if (noMail.has(r.userId)) continue;
			const first = isFirst(r.userId);
			const job = await enqueue('mail.send', meetingMail(first ? 'invitation' : 'update', r, ctx!, now), { uniqueKey: `meetings.invite:${meetingId}:${r.userId}:${meeting.sequence}` }, tx);
			if (job) {
				queued++;
				if (first) firstInvitations++;
			}
		}
		const invited = new Set([...rows.filter((r) => r.invitedAt).map((r) => r.userId), ...due.map((r) => r.userId)]).size;
		await recordChange(tx, actor, {
			networkId,
			action: 'invite',
			recordType: 'meeting',
			recordId: meetingId,
			after: { invited, queued, firstInvitations, sequence: meeting.sequence }
		});
		return { invited, queued, firstInvitations, sequence: meeting.sequence };
	});
}

/**
 * In the cancel command's transaction, after the status became 'cancelled' and the sequence was
 * raised: mails a cancellation with STATUS:CANCELLED to everyone still in the working area who had
 * been invited or had said yes or maybe, and notes the cancelled sequence as theirs. Nothing when
 * nobody was invited or answered. Returns the number of mails queued.
 */
export async function notifyCancellation(tx: Tx, meeting: Pick<Meeting, 'id' | 'networkId' | 'status' | 'sequence'>, now: Date = new Date()): Promise<number> {
	if (meeting.status !== 'cancelled') return 0;
	const told = await tx
		.select({ userId: users.id, name: users.name, email: users.email })
		.from(meetingParticipants)
		.innerJoin(users, eq(users.id, meetingParticipants.userId))
		.innerJoin(memberships, inWorkingArea(meeting.networkId))
		.where(
			and(
				eq(meetingParticipants.meetingId, meeting.id),
				eq(meetingParticipants.networkId, meeting.networkId),
				or(isNotNull(meetingParticipants.invitedAt), inArray(meetingParticipants.answer, [...COMING_ANSWERS])),
				or(isNull(meetingParticipants.invitedSequence), lt(meetingParticipants.invitedSequence, meeting.sequence)),
				mailable
			)
		)
		.limit(5000);
	if (!told.length) return 0;
	const ctx = await loadMailContext(tx, meeting.networkId, meeting.id);
	const noMail = await notifyMeeting(tx, 'cancellation', ctx, told.map((r) => r.userId));
	let queued = 0;
	for (const r of told) {
		if (noMail.has(r.userId)) continue;
		const job = await enqueue('mail.send', meetingMail('cancellation', r, ctx, now), { uniqueKey: `meetings.cancel:${meeting.id}:${r.userId}:${ctx.meeting.sequence}` }, tx);
		if (job) queued++;
	}
	await tx
		.update(meetingParticipants)
		.set({ invitedSequence: ctx.meeting.sequence })
		.where(and(eq(meetingParticipants.meetingId, meeting.id), inArray(meetingParticipants.userId, told.map((r) => r.userId))));
	return queued;
}

/**
 * "Treffen absagen": cancels the meeting (meetings.ts cancelMeeting, version-checked) and, in the
 * same transaction, queues the cancellation mails. Either both happen or neither.
 */
export async function cancelMeetingAndNotify(
	actor: Actor,
	networkId: string,
	meetingId: string,
	input: unknown,
	opts: { now?: Date } = {}
): Promise<{ meeting: Meeting; notified: number }> {
	let notified = 0;
	const meeting = await cancelMeeting(actor, networkId, meetingId, input, async (tx, cancelled) => {
		notified = await notifyCancellation(tx, cancelled, opts.now ?? new Date());
		if (notified) {
			await recordChange(tx, actor, { networkId, action: 'notifyCancellation', recordType: 'meeting', recordId: meetingId, after: { queued: notified, sequence: cancelled.sequence } });
		}
	});
	return { meeting, notified };
}

/**
 * People mailed an older state of the meeting than the current one (invited_sequence behind
 * sequence): after a change to an invited meeting the page offers to send the invitations again.
 * 0 when no invitation went out, or the meeting is cancelled, held or over.
 */
export async function invitationsBehind(m: Pick<Meeting, 'id' | 'networkId' | 'status' | 'endsAt' | 'sequence' | 'invitationsSentAt'>, now: Date = new Date()): Promise<number> {
	if (!m.invitationsSentAt || invitationBlocker(m, now)) return 0;
	const [{ n }] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(meetingParticipants)
		.innerJoin(users, eq(users.id, meetingParticipants.userId))
		.innerJoin(memberships, inWorkingArea(m.networkId))
		.where(and(eq(meetingParticipants.meetingId, m.id), isNotNull(meetingParticipants.invitedSequence), lt(meetingParticipants.invitedSequence, m.sequence), mailable));
	return Number(n);
}

export interface InvitationStatus {
	canSend: boolean;
	/** Why sending is refused now (message key), or null. */
	blocker: string | null;
	sentAt: Date | null;
	invited: number;
	/** People who would get a mail (everyone of the working area with an account). */
	recipients: number;
	/** Of those, not invited yet (the next send gives them their first invitation). */
	notYetInvited: number;
	/** Of those, invited but mailed an older state (the next send mails them an update). */
	behind: number;
	sequence: number;
}

/** For the invitations page and the meeting page's button. Working area reads; coordinators send. */
export async function invitationStatus(actor: Actor, networkId: string, meeting: MeetingOrId, now: Date = new Date()): Promise<InvitationStatus> {
	const m = await readableMeeting(actor, networkId, meeting);
	const meetingId = m.id;
	const [recipients, rows] = await Promise.all([
		invitationRecipients(db(), networkId),
		db()
			.select({ userId: meetingParticipants.userId, invitedSequence: meetingParticipants.invitedSequence })
			.from(meetingParticipants)
			.where(and(eq(meetingParticipants.meetingId, meetingId), isNotNull(meetingParticipants.invitedAt)))
	]);
	const invited = new Map(rows.map((r) => [r.userId, r.invitedSequence]));
	const blocker = invitationBlocker(m, now);
	return {
		canSend: canMeeting(actor, 'meeting.manage', { networkId }) && !blocker,
		blocker,
		sentAt: m.invitationsSentAt,
		invited: invited.size,
		recipients: recipients.length,
		notYetInvited: recipients.filter((r) => !invited.has(r.userId)).length,
		behind: recipients.filter((r) => invited.has(r.userId) && (invited.get(r.userId) ?? -1) < m.sequence).length,
		sequence: m.sequence
	};
}
