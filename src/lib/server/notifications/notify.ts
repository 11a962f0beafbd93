// Raising notifications: a module calls notify() inside its command's transaction, so the
// notifications (and their mail jobs) exist only if the command commits.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { users } from '../auth/schema';
import { WORKING_AREA_ROLES } from '../auth/actor';
import { memberships } from '../network/schema';
import { enqueue } from '../jobs';
import { excerpt as cut } from '../participation/reports';
import { notificationKind, type Channel } from './kinds';
import { notificationPreferences, notifications } from './schema';

/** Job that mails one 'immediate' notification (see mails.ts). */
export const MAIL_JOB = 'notifications.mail';

export interface NotifyInput {
	networkId: string;
	kind: string;
	userIds: string[];
	/** Plain text, e.g. "Neue Antwort: Wärmeplanung in kleinen Gemeinden". */
	title: string;
	/** Plain text, cut to 300 characters here. */
	excerpt?: string;
	/** Path inside the app, e.g. /harz/intern/austausch/beitraege/<id>#beitrag-<postId>. */
	url: string;
	record?: { type: string; id: string };
	/** Never notified about their own action. */
	actorId?: string | null;
	/**
	 * The module mails 'immediate' ones itself (meetings: with the .ics), so no generic mail is
	 * queued and they count as mailed. Daily and weekly ones still go into the digest.
	 */
	ownMail?: boolean;
}

export interface Notified {
	notificationId: string;
	userId: string;
	channel: Channel;
}

/**
 * Like notify(), but says who was notified and on which channel, so a module that mails its own
 * message (meetings with their .ics) sends it only to those whose channel is 'immediate'.
 */
export async function notifyEach(tx: Db | Tx, input: NotifyInput): Promise<Notified[]> {
	const def = notificationKind(input.kind);
	if (!def) throw new Error(`notification kind ${input.kind} is not registered`);
	if (!input.url.startsWith('/') || input.url.startsWith('//')) throw new Error('notification url must be a path inside the app');
	const wanted = [...new Set(input.userIds)].filter((id) => id && id !== input.actorId);
	if (!wanted.length) return [];

	// Only people still in the network's working area, with an account that was not deleted.
	const recipients = await tx
		.select({ userId: memberships.userId })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(
			and(
				eq(memberships.networkId, input.networkId),
				inArray(memberships.userId, wanted),
				inArray(memberships.role, [...WORKING_AREA_ROLES]),
				isNull(users.deletedAt)
			)
		);
	if (!recipients.length) return [];
	const ids = recipients.map((r) => r.userId);

	const prefs = await tx
		.select({ userId: notificationPreferences.userId, channel: notificationPreferences.channel })
		.from(notificationPreferences)
		.where(and(eq(notificationPreferences.kind, input.kind), inArray(notificationPreferences.userId, ids)));
	const chosen = new Map(prefs.map((p) => [p.userId, p.channel]));

	const rows = await tx
		.insert(notifications)
		.values(
			ids.map((userId) => ({
				networkId: input.networkId,
				userId,
				kind: input.kind,
				title: cut(input.title, 300),
				excerpt: cut(input.excerpt ?? '', 300),
				url: input.url,
				recordType: input.record?.type ?? null,
				recordId: input.record?.id ?? null,
				actorId: input.actorId ?? null,
				channel: chosen.get(userId) ?? def.defaultChannel,
				mailedAt: input.ownMail && (chosen.get(userId) ?? def.defaultChannel) === 'immediate' ? new Date() : null
			}))
		)
		.returning({ notificationId: notifications.id, userId: notifications.userId, channel: notifications.channel });

	for (const r of rows) {
		if (r.channel === 'immediate' && !input.ownMail) {
			await enqueue(MAIL_JOB, { notificationId: r.notificationId }, { uniqueKey: `${MAIL_JOB}:${r.notificationId}` }, tx);
		}
	}
	return rows;
}

/**
 * Inside the caller's transaction: one notification per person who is still a coordinator, member
 * or partner of the network (duplicates removed, the actor skipped); the channel comes from their
 * preference for the kind; 'immediate' queues a mail. Returns the number of people notified.
 */
export async function notify(tx: Db | Tx, input: NotifyInput): Promise<number> {
	return (await notifyEach(tx, input)).length;
}

/** The person's channel for a kind: their preference, else the kind's default. */
export async function channelFor(tx: Db | Tx, userId: string, kind: string): Promise<Channel> {
	const [p] = await tx
		.select({ channel: notificationPreferences.channel })
		.from(notificationPreferences)
		.where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.kind, kind)));
	return p?.channel ?? notificationKind(kind)?.defaultChannel ?? 'immediate';
}

/**
 * The record a notification was about was hidden or deleted (a moderated post, say): its text must
 * not go out later in a digest or stay in people's lists. Inside the caller's transaction: pending
 * notifications about it are removed, already mailed ones keep their title but lose the excerpt.
 */
export async function withdrawNotifications(tx: Db | Tx, record: { type: string; id: string }): Promise<void> {
	const about = and(eq(notifications.recordType, record.type), eq(notifications.recordId, record.id));
	await tx.delete(notifications).where(and(about, isNull(notifications.mailedAt)));
	await tx.update(notifications).set({ excerpt: '' }).where(about);
}
