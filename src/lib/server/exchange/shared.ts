// What the exchange's services share: field rules of threads and posts, loading a thread or post of
// a network, the subjects for the permission rules, the addresses of a thread, and keeping a
// thread's reply count and last activity in step with what readers see.
import { and, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Db, type Tx } from '../db/client';
import { networks } from '../db/schema';
import { NotFoundError } from '../errors';
import { isUuid } from '../ids';
import { parseFields } from '../network/directory-shared';
import type { Actor } from '../auth/actor';
import { exchangePosts, exchangeThreads } from './schema';
import { canExchange, seesHidden, type ExchangeSubject } from './permissions';

export type Reader = Db | Tx;

/** A post's text: Markdown, 1–20,000 characters after trimming. */
export const postBody = z
	.string()
	.trim()
	.min(1, { error: 'exchange.bodyRequired' })
	.max(20000, { error: 'exchange.bodyTooLong' });

export const threadTitle = z
	.string()
	.trim()
	.min(1, { error: 'exchange.titleRequired' })
	.max(200, { error: 'exchange.titleTooLong' });

/** A moderation reason (shown to coordinators, kept in the audit log). */
export const reasonText = z.string().trim().max(2000, { error: 'dir.tooLong2000' });

/**
 * A moderation reason as a field: required when hiding; a too long one keeps its own message
 * (the "required" rule only speaks when the reason is really empty).
 */
export function parseReason(input: unknown, required: boolean): string {
	const { reason } = parseFields({ reason: reasonText }, { reason: input }, (d, errors) => {
		if (required && !errors.reason && !d.reason) errors.reason = 'exchange.reasonRequired';
	});
	return reason ?? '';
}

// All columns but the search vectors (derived; they would clutter results and the audit log).
const { search: _ts, ...threadColumns } = getTableColumns(exchangeThreads);
const { search: _ps, ...postColumns } = getTableColumns(exchangePosts);
export { threadColumns, postColumns };
export type Thread = Omit<typeof exchangeThreads.$inferSelect, 'search'>;
export type Post = Omit<typeof exchangePosts.$inferSelect, 'search'>;

export async function loadThread(tx: Reader, networkId: string, threadId: string, lock = false): Promise<Thread> {
	if (!isUuid(threadId)) throw new NotFoundError();
	const q = tx
		.select(threadColumns)
		.from(exchangeThreads)
		.where(and(eq(exchangeThreads.id, threadId), eq(exchangeThreads.networkId, networkId)));
	const [t] = lock ? await q.for('update') : await q;
	if (!t) throw new NotFoundError();
	return t;
}

export async function loadPost(tx: Reader, networkId: string, postId: string, lock = false): Promise<Post> {
	if (!isUuid(postId)) throw new NotFoundError();
	const q = tx
		.select(postColumns)
		.from(exchangePosts)
		.where(and(eq(exchangePosts.id, postId), eq(exchangePosts.networkId, networkId)));
	const [p] = lock ? await q.for('update') : await q;
	if (!p) throw new NotFoundError();
	return p;
}

export function threadSubject(t: Thread): ExchangeSubject {
	return { networkId: t.networkId, threadLocked: t.locked, threadHidden: !!t.hiddenAt, threadAuthorId: t.authorId };
}

export function postSubject(t: Thread, p: Post): ExchangeSubject {
	return { ...threadSubject(t), authorId: p.authorId, postDeleted: !!p.deletedAt, postHidden: !!p.hiddenAt };
}

/** Outsiders (citizens, visitors, other networks) learn nothing: 404. */
export function mustRead(actor: Actor, networkId: string) {
	if (!canExchange(actor, 'exchange.read', { networkId })) throw new NotFoundError();
}

/** A thread the actor may read: hidden ones only for coordinators (404 for everyone else). */
export async function readableThread(actor: Actor, networkId: string, threadId: string, tx?: Reader, lock = false): Promise<Thread> {
	mustRead(actor, networkId);
	const t = await loadThread(tx ?? db(), networkId, threadId, lock);
	if (t.hiddenAt && !seesHidden(actor, networkId)) throw new NotFoundError();
	return t;
}

/** A post of a thread the actor may read; hidden posts only for coordinators. */
export function canSeePost(actor: Actor, p: Post): boolean {
	return !p.hiddenAt || seesHidden(actor, p.networkId);
}

export async function networkSlug(tx: Reader, networkId: string): Promise<string> {
	const [n] = await tx.select({ slug: networks.slug }).from(networks).where(eq(networks.id, networkId));
	if (!n) throw new NotFoundError();
	return n.slug;
}

export const exchangeBase = (slug: string) => `/${slug}/intern/austausch`;
export const threadPath = (slug: string, threadId: string) => `${exchangeBase(slug)}/diskussionen/${threadId}`;
/** The address of one post: the thread page opens on the post's page (?beitrag=) at its anchor. */
export const postPath = (slug: string, threadId: string, postId: string) => `${threadPath(slug, threadId)}?beitrag=${postId}#beitrag-${postId}`;

/**
 * Recounts a thread's visible replies and its last activity after a post was hidden, shown again or
 * deleted: only what every reader sees counts (a hidden or deleted reply does not make a thread
 * look answered or fresh).
 */
export async function refreshThreadStats(tx: Tx, threadId: string): Promise<void> {
	const visible = and(eq(exchangePosts.threadId, threadId), isNull(exchangePosts.deletedAt), isNull(exchangePosts.hiddenAt));
	await tx
		.update(exchangeThreads)
		.set({
			replyCount: sql`(select count(*)::int from ${exchangePosts} where ${visible} and not ${exchangePosts.isOpening})`,
			lastPostAt: sql`coalesce((select max(${exchangePosts.createdAt}) from ${exchangePosts} where ${visible}), ${exchangeThreads.createdAt})`
		})
		.where(eq(exchangeThreads.id, threadId));
}
