// Sending invitations: every coordinator, member and partner of the network with an account gets a
// meeting_participants row (invited_at) and one mail with the meeting as .ics; the meeting becomes
// 'invited'. Sending again after a change (H5's updateMeeting raises `sequence`) mails an update to
// everyone; people added to the network since get their first invitation.
//
// Why nobody gets a mail twice: each mail is queued in the command's transaction with the key
// meetings.invite:<meeting>:<user>:<sequence>. The meeting row is locked first, so two clicks or two
// instances run one after the other; the second finds every key taken and queues nothing.
// Cancellation mails use meetings.cancel:<meeting>:<user>:<sequence> the same way.
import { and, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { meetingParticipants, memberships, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { enqueue } from '../jobs';
import { loadManagedMeeting, loadMeeting, markInvitationsSent, type Meeting } from './meetings';
import { canMeeting } from './permissions';
import { loadMailContext, meetingMail, type Recipient } from './mails';

const mailable = and(isNull(users.deletedAt), ne(users.email, ''));

/** Who is invited: the network's coordinators, members and partners with a usable account. */
export async function invitationRecipients(tx: Tx | ReturnType<typeof db>, networkId: string): Promise<Recipient[]> {
	return tx
		.select({ userId: users.id, name: users.name, email: users.email })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.networkId, networkId), inArray(memberships.role, ['coordinator', 'member', 'partner']), mailable))
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

/** "Einladungen senden" (coordinators). Safe to repeat: one mail per person and meeting version. */
export async function sendInvitations(actor: Actor, networkId: string, meetingId: string, opts: { now?: Date } = {}): Promise<InvitationRun> {
	const now = opts.now ?? new Date();
	await loadManagedMeeting(actor, networkId, meetingId);
	return db().transaction(async (tx) => {
		// Locks the meeting row: concurrent sends wait here and then see the first one's work.
		const locked = await loadMeeting(tx, networkId, meetingId, true);
		const blocker = invitationBlocker(locked, now);
		if (blocker) throw new ValidationError({ _form: blocker });
		const meeting = await markInvitationsSent(tx, actor, networkId, meetingId, now);
		const recipients = await invitationRecipients(tx, networkId);
		if (!recipients.length) throw new ValidationError({ _form: 'invitations.nobody' });
		const before = await tx
			.select({ userId: meetingParticipants.userId })
			.from(meetingParticipants)
			.where(and(eq(meetingParticipants.meetingId, meetingId), isNotNull(meetingParticipants.invitedAt)));
		const alreadyInvited = new Set(before.map((r) => r.userId));
		// Rows for everyone; a person who answered before the invitation keeps the answer.
		for (let i = 0; i < recipients.length; i += 500) {
			await tx
				.insert(meetingParticipants)
				.values(recipients.slice(i, i + 500).map((r) => ({ meetingId, userId: r.userId, networkId, invitedAt: now })))
				.onConflictDoUpdate({
					target: [meetingParticipants.meetingId, meetingParticipants.userId],
					set: { invitedAt: sql`coalesce(${meetingParticipants.invitedAt}, excluded.invited_at)` }
				});
		}
		const ctx = await loadMailContext(tx, networkId, meetingId);
		let queued = 0;
		let firstInvitations = 0;
		for (const r of recipients) {
			const first = !alreadyInvited.has(r.userId);
			const job = await enqueue('mail.send', meetingMail(first ? 'invitation' : 'update', r, ctx, now), { uniqueKey: `meetings.invite:${meetingId}:${r.userId}:${meeting.sequence}` }, tx);
			if (job) {
				queued++;
				if (first) firstInvitations++;
			}
		}
		await recordChange(tx, actor, {
			networkId,
			action: 'invite',
			recordType: 'meeting',
			recordId: meetingId,
			after: { invited: recipients.length, queued, firstInvitations, sequence: meeting.sequence }
		});
		return { invited: recipients.length, queued, firstInvitations, sequence: meeting.sequence };
	});
}

/**
 * For the cancel command (meetings.ts cancelMeeting), in its transaction after the status became
 * 'cancelled' and the sequence was raised: mails everyone who had been invited a cancellation with
 * STATUS:CANCELLED. Nothing when no invitations went out. Returns the number of mails queued.
 */
export async function notifyCancellation(tx: Tx, meeting: Pick<Meeting, 'id' | 'networkId' | 'status' | 'sequence'>, now: Date = new Date()): Promise<number> {
	if (meeting.status !== 'cancelled') return 0;
	const invited = await tx
		.select({ userId: users.id, name: users.name, email: users.email })
		.from(meetingParticipants)
		.innerJoin(users, eq(users.id, meetingParticipants.userId))
		.where(and(eq(meetingParticipants.meetingId, meeting.id), eq(meetingParticipants.networkId, meeting.networkId), isNotNull(meetingParticipants.invitedAt), mailable));
	if (!invited.length) return 0;
	const ctx = await loadMailContext(tx, meeting.networkId, meeting.id);
	let queued = 0;
	for (const r of invited) {
		const job = await enqueue('mail.send', meetingMail('cancellation', r, ctx, now), { uniqueKey: `meetings.cancel:${meeting.id}:${r.userId}:${ctx.meeting.sequence}` }, tx);
		if (job) queued++;
	}
	return queued;
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
	sequence: number;
}

/** For the invitations page and the meeting page's button. Working area reads; coordinators send. */
export async function invitationStatus(actor: Actor, networkId: string, meetingId: string, now: Date = new Date()): Promise<InvitationStatus> {
	const m = await loadMeeting(db(), networkId, meetingId);
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	const [recipients, invitedRows] = await Promise.all([
		invitationRecipients(db(), networkId),
		db()
			.select({ userId: meetingParticipants.userId })
			.from(meetingParticipants)
			.where(and(eq(meetingParticipants.meetingId, meetingId), isNotNull(meetingParticipants.invitedAt)))
	]);
	const invited = new Set(invitedRows.map((r) => r.userId));
	const blocker = invitationBlocker(m, now);
	return {
		canSend: canMeeting(actor, 'meeting.manage', { networkId }) && !blocker,
		blocker,
		sentAt: m.invitationsSentAt,
		invited: invited.size,
		recipients: recipients.length,
		notYetInvited: recipients.filter((r) => !invited.has(r.userId)).length,
		sequence: m.sequence
	};
}
