// Threads (Diskussionen): start one with its opening post, list them per topic or across the network
// (newest activity first, filtered), read one, mark the reply that helped, and the coordinators'
// moderation of whole threads (hide with a reason, move to another topic, lock). Every query is
// filtered by network; every write is one transaction with its audit entry.
import { and, desc, eq, exists, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { users } from '../auth/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { parseFields, isUuid } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { exchangePosts, exchangeThreadFollows, exchangeThreads, exchangeTopics } from './schema';
import { canExchange, seesHidden } from './permissions';
import { loadTopic } from './topics';
import { autoFollow, isFollowing } from './follows';
import { saveMentions } from './mentions';
import { notifyPost, withdrawThreadNotifications } from './notifications';
import {
	loadPost,
	loadThread,
	mustRead,
	networkSlug,
	postBody,
	postColumns,
	readableThread,
	parseReason,
	threadColumns,
	threadSubject,
	threadTitle,
	type Post,
	type Thread
} from './shared';

export interface CreateThreadOptions {
	isDemo?: boolean;
	/** Backdates the thread and its opening post (demo data only). */
	at?: Date;
}

const auditThread = (t: Thread) => ({ title: t.title, topicId: t.topicId, locked: t.locked, hidden: !!t.hiddenAt, hiddenReason: t.hiddenReason, answerPostId: t.answerPostId });
export const auditPost = (p: Post) => ({ threadId: p.threadId, body: p.body, isOpening: p.isOpening });

/**
 * Starts a thread in a topic that is not archived: the thread, its opening post, the author follows
 * it, mentioned people are told. The whole input is checked before anything is written.
 */
export async function createThread(actor: Actor, networkId: string, input: unknown, opts: CreateThreadOptions = {}): Promise<{ thread: Thread; post: Post }> {
	mustRead(actor, networkId);
	// The fields in the form's order (Themenfeld, Titel, Text): the error summary lists them so.
	const data = parseFields({ topicId: z.string().trim().refine(isUuid, { error: 'exchange.topicRequired' }), title: threadTitle, body: postBody }, input);
	return db().transaction(async (tx) => {
		const topic = await loadTopic(tx, networkId, data.topicId!).catch(() => {
			throw new ValidationError({ topicId: 'exchange.topicRequired' });
		});
		if (!canExchange(actor, 'exchange.thread.create', { networkId, topicArchived: topic.archived })) {
			if (topic.archived) throw new ValidationError({ topicId: 'exchange.topicArchived' });
			throw new ForbiddenError();
		}
		const at = opts.at ?? new Date();
		const [thread] = await tx
			.insert(exchangeThreads)
			.values({ networkId, topicId: topic.id, title: data.title, authorId: actor.userId, lastPostAt: at, createdAt: at, updatedAt: at, isDemo: !!opts.isDemo })
			.returning(threadColumns);
		const [post] = await tx
			.insert(exchangePosts)
			.values({ networkId, threadId: thread.id, authorId: actor.userId, isOpening: true, body: data.body, createdAt: at, updatedAt: at })
			.returning(postColumns);
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'exchange_thread', recordId: thread.id, after: auditThread(thread) });
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'exchange_post', recordId: post.id, after: auditPost(post) });
		await autoFollow(tx, networkId, thread.id, actor.userId);
		const mentions = await saveMentions(tx, networkId, post.id, post.body);
		await notifyPost(tx, { slug: await networkSlug(tx, networkId), thread, post, mentioned: mentions.all, toFollowers: false, actorName: actor.name });
		return { thread, post };
	});
}

// ---- lists ------------------------------------------------------------------------------------

export const THREAD_FILTERS = ['unanswered', 'mine', 'following'] as const;
export type ThreadFilter = (typeof THREAD_FILTERS)[number];

export interface ThreadListOptions {
	topicId?: string;
	filter?: ThreadFilter | null;
	page?: number;
	pageSize?: number;
}

export interface ThreadListItem {
	id: string;
	title: string;
	topicId: string;
	topicTitle: string;
	authorName: string | null;
	replyCount: number;
	lastPostAt: Date;
	createdAt: Date;
	answered: boolean;
	locked: boolean;
	hidden: boolean;
}

/** ?filter=… → a known filter or null (an old link with another value still opens the list). */
export function threadFilterFromUrl(url: URL): ThreadFilter | null {
	const f = url.searchParams.get('filter');
	return (THREAD_FILTERS as readonly string[]).includes(f ?? '') ? (f as ThreadFilter) : null;
}

/** Threads the actor sees, newest activity first, 25 a page; hidden ones for coordinators only. */
export async function listThreads(actor: Actor, networkId: string, opts: ThreadListOptions = {}) {
	mustRead(actor, networkId);
	const { page, pageSize, offset } = pageOpts(opts, 25, 100);
	const me = actor.userId ?? '';
	const where: (SQL | undefined)[] = [eq(exchangeThreads.networkId, networkId)];
	if (!seesHidden(actor, networkId)) where.push(isNull(exchangeThreads.hiddenAt));
	if (opts.topicId) where.push(eq(exchangeThreads.topicId, opts.topicId));
	if (opts.filter === 'unanswered') where.push(isNull(exchangeThreads.answerPostId));
	if (opts.filter === 'mine') where.push(eq(exchangeThreads.authorId, me));
	if (opts.filter === 'following')
		where.push(
			exists(
				db()
					.select({ one: sql`1` })
					.from(exchangeThreadFollows)
					.where(and(eq(exchangeThreadFollows.threadId, exchangeThreads.id), eq(exchangeThreadFollows.userId, me), eq(exchangeThreadFollows.following, true)))
			)
		);
	const cond = and(...where);
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({
				id: exchangeThreads.id,
				title: exchangeThreads.title,
				topicId: exchangeThreads.topicId,
				topicTitle: exchangeTopics.title,
				authorName: sql<string | null>`case when ${users.deletedAt} is null then ${users.name} end`,
				replyCount: exchangeThreads.replyCount,
				lastPostAt: exchangeThreads.lastPostAt,
				createdAt: exchangeThreads.createdAt,
				answerPostId: exchangeThreads.answerPostId,
				locked: exchangeThreads.locked,
				hiddenAt: exchangeThreads.hiddenAt
			})
			.from(exchangeThreads)
			.innerJoin(exchangeTopics, eq(exchangeTopics.id, exchangeThreads.topicId))
			.leftJoin(users, eq(users.id, exchangeThreads.authorId))
			.where(cond)
			.orderBy(desc(exchangeThreads.lastPostAt), desc(exchangeThreads.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(exchangeThreads).where(cond)
	]);
	const items: ThreadListItem[] = rows.map(({ answerPostId, hiddenAt, ...r }) => ({ ...r, answered: !!answerPostId, hidden: !!hiddenAt }));
	return { items, total: Number(total), page, pageSize };
}

// ---- one thread -------------------------------------------------------------------------------

export interface ThreadView extends Thread {
	topic: { id: string; title: string; archived: boolean };
	authorName: string | null;
	hiddenByName: string | null;
	following: boolean;
	/** Hidden replies (not deleted) – counted for coordinators only, who see them; 0 for everyone else. */
	hiddenReplies: number;
	can: { reply: boolean; answer: boolean; moderate: boolean; follow: boolean };
}

async function nameOf(userId: string | null): Promise<string | null> {
	if (!userId) return null;
	const [u] = await db().select({ name: users.name, deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId));
	return u && !u.deletedAt ? u.name : null;
}

/** The thread's hidden, not deleted replies: reply_count leaves them out (it is what every reader sees). */
async function countHiddenReplies(networkId: string, threadId: string): Promise<number> {
	const [{ n }] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(exchangePosts)
		.where(
			and(
				eq(exchangePosts.threadId, threadId),
				eq(exchangePosts.networkId, networkId),
				eq(exchangePosts.isOpening, false),
				isNull(exchangePosts.deletedAt),
				isNotNull(exchangePosts.hiddenAt)
			)
		);
	return Number(n);
}

/** A thread with what its page needs to know; 404 when unreadable (hidden: coordinators only). */
export async function getThread(actor: Actor, networkId: string, threadId: string): Promise<ThreadView> {
	const t = await readableThread(actor, networkId, threadId);
	const [topic, authorName, hiddenByName, following, hiddenReplies] = await Promise.all([
		loadTopic(db(), networkId, t.topicId),
		nameOf(t.authorId),
		t.hiddenAt ? nameOf(t.hiddenBy) : Promise.resolve(null),
		isFollowing(actor, t.id),
		seesHidden(actor, networkId) ? countHiddenReplies(networkId, t.id) : Promise.resolve(0)
	]);
	const s = threadSubject(t);
	return {
		...t,
		topic: { id: topic.id, title: topic.title, archived: topic.archived },
		authorName,
		hiddenByName,
		following,
		hiddenReplies,
		can: {
			reply: canExchange(actor, 'exchange.reply', s),
			answer: canExchange(actor, 'exchange.answer', s),
			moderate: canExchange(actor, 'exchange.moderate', s),
			follow: canExchange(actor, 'exchange.follow', s)
		}
	};
}

// ---- the answer that helped -------------------------------------------------------------------

/**
 * Marks a reply as the answer that helped ("Hat geholfen"), or takes the mark back (postId null):
 * the thread's author and coordinators. Only a visible reply of this thread qualifies.
 */
export async function markAnswer(actor: Actor, networkId: string, threadId: string, postId: string | null): Promise<Thread> {
	await readableThread(actor, networkId, threadId);
	return db().transaction(async (tx) => {
		const before = await loadThread(tx, networkId, threadId, true);
		if (!canExchange(actor, 'exchange.answer', threadSubject(before))) throw new ForbiddenError();
		if (postId !== null) {
			const gone = new ValidationError({ _form: 'exchange.answerGone' });
			const p = await loadPost(tx, networkId, postId).catch(() => {
				throw gone;
			});
			if (p.threadId !== threadId || p.isOpening || p.deletedAt || p.hiddenAt) throw gone;
		}
		if (before.answerPostId === postId) return before;
		const [after] = await tx
			.update(exchangeThreads)
			.set({ answerPostId: postId, version: before.version + 1, updatedAt: new Date() })
			.where(eq(exchangeThreads.id, threadId))
			.returning(threadColumns);
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'exchange_thread', recordId: threadId, before: auditThread(before), after: auditThread(after) });
		return after;
	});
}

/**
 * A post stops being readable to everyone (deleted, hidden): if it was the thread's answer, the
 * thread has none any more (audited). `thread` is the row locked in this transaction.
 */
export async function dropAnswer(tx: Tx, actor: Actor, thread: Thread, postId: string): Promise<void> {
	if (thread.answerPostId !== postId) return;
	const [after] = await tx
		.update(exchangeThreads)
		.set({ answerPostId: null, version: thread.version + 1, updatedAt: new Date() })
		.where(eq(exchangeThreads.id, thread.id))
		.returning(threadColumns);
	await recordChange(tx, actor, { networkId: thread.networkId, action: 'update', recordType: 'exchange_thread', recordId: thread.id, before: auditThread(thread), after: auditThread(after) });
}

// ---- moderation of threads (coordinators) -----------------------------------------------------

/**
 * Only coordinators moderate: checked before any input, so a member gets 403 (not a form error).
 * Members must not learn whether a hidden thread exists: 404 before 403.
 */
async function mustModerate(actor: Actor, networkId: string, threadId: string): Promise<void> {
	mustRead(actor, networkId);
	if (!canExchange(actor, 'exchange.moderate', { networkId })) {
		await readableThread(actor, networkId, threadId);
		throw new ForbiddenError();
	}
}

async function moderate(actor: Actor, networkId: string, threadId: string, change: (before: Thread, tx: Tx) => Promise<Partial<typeof exchangeThreads.$inferInsert> | null>): Promise<Thread> {
	await mustModerate(actor, networkId, threadId);
	return db().transaction(async (tx) => {
		const before = await loadThread(tx, networkId, threadId, true);
		const set = await change(before, tx);
		if (!set) return before;
		const [after] = await tx
			.update(exchangeThreads)
			.set({ ...set, version: before.version + 1, updatedAt: new Date() })
			.where(eq(exchangeThreads.id, threadId))
			.returning(threadColumns);
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'exchange_thread', recordId: threadId, before: auditThread(before), after: auditThread(after) });
		return after;
	});
}

/** Hides a thread (a reason is required; only coordinators see it then) or shows it again. */
export async function setThreadHidden(actor: Actor, networkId: string, threadId: string, hidden: boolean, reasonInput: unknown = ''): Promise<Thread> {
	await mustModerate(actor, networkId, threadId);
	const reason = parseReason(reasonInput, hidden);
	return moderate(actor, networkId, threadId, async (before, tx) => {
		if (!!before.hiddenAt === hidden) return null;
		// Notifications about its posts must not keep carrying their text to people's inboxes.
		if (hidden) await withdrawThreadNotifications(tx, networkId, threadId);
		return hidden ? { hiddenAt: new Date(), hiddenBy: actor.userId, hiddenReason: reason } : { hiddenAt: null, hiddenBy: null, hiddenReason: '' };
	});
}

/** Locks a thread (readable, no more replies) or unlocks it. */
export async function setThreadLocked(actor: Actor, networkId: string, threadId: string, locked: boolean): Promise<Thread> {
	return moderate(actor, networkId, threadId, async (before) => (before.locked === locked ? null : { locked }));
}

/**
 * Moves a thread to another open topic of the network. Archived topics take no threads: neither new
 * ones nor moved ones (the form lists open topics only; a forged request gets the same answer).
 */
export async function moveThread(actor: Actor, networkId: string, threadId: string, topicIdInput: unknown): Promise<Thread> {
	await mustModerate(actor, networkId, threadId);
	const topicId = typeof topicIdInput === 'string' ? topicIdInput.trim() : '';
	if (!isUuid(topicId)) throw new ValidationError({ topicId: 'exchange.topicRequired' });
	return moderate(actor, networkId, threadId, async (before, tx) => {
		const topic = await loadTopic(tx, networkId, topicId).catch((e) => {
			if (e instanceof NotFoundError) throw new ValidationError({ topicId: 'exchange.topicRequired' });
			throw e;
		});
		if (before.topicId === topicId) return null;
		if (topic.archived) throw new ValidationError({ topicId: 'exchange.topic.archivedMove' });
		return { topicId };
	});
}
