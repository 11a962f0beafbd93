// The exchange's notification kinds and who gets what: followers of a thread hear of new replies,
// mentioned people of their mention. A mentioned follower gets the mention only (one message per
// post and person); the author never hears of their own post. Titles are German: notifications are
// stored as text and mailed in German.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { translate } from '$lib/i18n';
import { notify, registerNotificationKind, withdrawNotifications, type NotificationKind } from '../notifications';
import { notifications } from '../notifications/schema';
import { markdownToText } from '../markdown';
import { followerIds } from './follows';
import { exchangePosts } from './schema';
import { postPath, type Post, type Thread } from './shared';

export const REPLY_KIND: NotificationKind = {
	kind: 'exchange.reply',
	labelKey: 'exchange.notify.reply',
	hintKey: 'exchange.notify.replyHint',
	defaultChannel: 'immediate'
};

export const MENTION_KIND: NotificationKind = {
	kind: 'exchange.mention',
	labelKey: 'exchange.notify.mention',
	hintKey: 'exchange.notify.mentionHint',
	defaultChannel: 'immediate'
};

/** The record type exchange notifications carry (one post; its url leads to the post in its thread). */
export const POST_RECORD = 'exchange_post';

export function registerExchangeNotifications() {
	registerNotificationKind(REPLY_KIND);
	registerNotificationKind(MENTION_KIND);
}

/**
 * Raises the notifications of a saved post inside its transaction. `mentioned`: the people to tell
 * about a mention (for an edit: only the newly mentioned); `toFollowers`: a new reply (not an edit).
 */
export async function notifyPost(
	tx: Tx,
	input: { slug: string; thread: Thread; post: Post; mentioned: string[]; toFollowers: boolean; actorName: string }
): Promise<void> {
	const { slug, thread, post, mentioned } = input;
	// Demo threads tell nobody, neither while the demo is loaded nor on later replies: their
	// followers are the invented demo accounts, whose addresses must never be mailed, and a real
	// person should not get mail about invented discussions. In-app only would still put demo
	// content into real people's digests, so nothing at all.
	if (thread.isDemo) return;
	const common = {
		networkId: thread.networkId,
		excerpt: markdownToText(post.body),
		url: postPath(slug, thread.id, post.id),
		// The post, not the thread: hiding or deleting the post withdraws exactly its notifications.
		record: { type: POST_RECORD, id: post.id },
		actorId: post.authorId
	};
	if (mentioned.length) {
		await notify(tx, { ...common, kind: MENTION_KIND.kind, userIds: mentioned, title: translate('de', 'exchange.notify.mentionTitle', { name: input.actorName, title: thread.title }) });
	}
	if (input.toFollowers) {
		const followers = (await followerIds(tx, thread.id)).filter((id) => !mentioned.includes(id));
		if (followers.length) await notify(tx, { ...common, kind: REPLY_KIND.kind, userIds: followers, title: translate('de', 'exchange.notify.replyTitle', { title: thread.title }) });
	}
}

/**
 * A post was hidden or deleted: pending notifications about it go, mailed ones lose their excerpt
 * (notifications/notify.ts withdrawNotifications).
 */
export async function withdrawPostNotifications(tx: Tx, postId: string): Promise<void> {
	await withdrawNotifications(tx, { type: POST_RECORD, id: postId });
}

/**
 * A whole thread was hidden: the same for the notifications of all its posts, in two statements
 * over the thread's post ids (the same rule as withdrawNotifications, which takes one record).
 */
export async function withdrawThreadNotifications(tx: Tx, networkId: string, threadId: string): Promise<void> {
	const postIds = tx
		.select({ id: exchangePosts.id })
		.from(exchangePosts)
		.where(and(eq(exchangePosts.threadId, threadId), eq(exchangePosts.networkId, networkId)));
	const about = and(eq(notifications.networkId, networkId), eq(notifications.recordType, POST_RECORD), inArray(notifications.recordId, postIds));
	await tx.delete(notifications).where(and(about, isNull(notifications.mailedAt)));
	await tx.update(notifications).set({ excerpt: '' }).where(about);
}
