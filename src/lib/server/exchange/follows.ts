// Following a thread: the asker and everyone who replies follow it automatically, unless they
// unfollowed it on purpose (following = false stays: replying again does not re-follow).
import { and, eq } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import type { Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { recordChange } from '../audit/service';
import { exchangeThreadFollows } from './schema';
import { canExchange } from './permissions';
import { readableThread, type Reader } from './shared';

/** Starts following, unless the person has a row already (following or unfollowed on purpose). */
export async function autoFollow(tx: Tx, networkId: string, threadId: string, userId: string | null): Promise<void> {
	if (!userId) return;
	await tx.insert(exchangeThreadFollows).values({ threadId, userId, networkId, following: true }).onConflictDoNothing();
}

/** Who follows a thread (ids). A thread has tens of followers, not thousands. */
export async function followerIds(tx: Reader, threadId: string): Promise<string[]> {
	const rows = await tx
		.select({ userId: exchangeThreadFollows.userId })
		.from(exchangeThreadFollows)
		.where(and(eq(exchangeThreadFollows.threadId, threadId), eq(exchangeThreadFollows.following, true)))
		.limit(10000);
	return rows.map((r) => r.userId);
}

export async function isFollowing(actor: Actor, threadId: string): Promise<boolean> {
	if (!actor.userId) return false;
	const [r] = await db()
		.select({ following: exchangeThreadFollows.following })
		.from(exchangeThreadFollows)
		.where(and(eq(exchangeThreadFollows.threadId, threadId), eq(exchangeThreadFollows.userId, actor.userId)));
	return !!r?.following;
}

/** The follow button: follow or unfollow (an unfollow is remembered, see autoFollow). */
export async function setFollowing(actor: Actor, networkId: string, threadId: string, following: boolean): Promise<void> {
	const t = await readableThread(actor, networkId, threadId);
	if (!canExchange(actor, 'exchange.follow', { networkId }) || !actor.userId) throw new ForbiddenError();
	const userId = actor.userId;
	await db().transaction(async (tx) => {
		await tx
			.insert(exchangeThreadFollows)
			.values({ threadId: t.id, userId, networkId, following })
			.onConflictDoUpdate({ target: [exchangeThreadFollows.threadId, exchangeThreadFollows.userId], set: { following } });
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'exchange_follow', recordId: t.id, after: { following } });
	});
}
