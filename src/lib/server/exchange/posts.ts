// Posts of a thread: reply, read page by page (50 a page), edit one's own (the previous text goes
// into the history, a version guards against lost updates), delete one's own softly, and the
// coordinators' hiding of single posts. Reply count and last activity of the thread follow every
// change. Every write is one transaction with its audit entry.
import { and, asc, count, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { db } from '../db/client';
import { users } from '../auth/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { parseFields } from '../network/directory-shared';
import { parseVersion } from '../validation';
import { pageOpts } from '../paging';
import { renderMarkdown } from '../markdown';
import { exchangePostRevisions, exchangePosts, exchangeThreads } from './schema';
import { canExchange, seesHidden } from './permissions';
import { autoFollow } from './follows';
import { saveMentions } from './mentions';
import { notifyPost, withdrawPostNotifications } from './notifications';
import { auditPost, dropAnswer } from './threads';
import {
	canSeePost,
	loadPost,
	loadThread,
	mustRead,
	networkSlug,
	postBody,
	postColumns,
	postSubject,
	readableThread,
	parseReason,
	refreshThreadStats,
	threadColumns,
	threadSubject,
	threadTitle,
	type Post,
	type Thread
} from './shared';

export const POSTS_PER_PAGE = 50;

export interface ReplyOptions {
	/** Backdates the reply (demo data only). */
	at?: Date;
}

/**
 * Replies in a thread that is neither locked nor hidden. The replier follows the thread (unless they
 * unfollowed it on purpose); followers hear of the reply, mentioned people of their mention.
 */
export async function replyToThread(actor: Actor, networkId: string, threadId: string, input: unknown, opts: ReplyOptions = {}): Promise<Post> {
	await readableThread(actor, networkId, threadId);
	const data = parseFields({ body: postBody }, input);
	return db().transaction(async (tx) => {
		// Locked: two replies at once keep the count right, and a lock that just came in is seen.
		const thread = await loadThread(tx, networkId, threadId, true);
		if (!canExchange(actor, 'exchange.reply', threadSubject(thread))) {
			if (thread.locked) throw new ValidationError({ body: 'exchange.threadLocked' });
			if (thread.hiddenAt) throw new ValidationError({ body: 'exchange.threadHidden' });
			throw new ForbiddenError();
		}
		const at = opts.at ?? new Date();
		const [post] = await tx
			.insert(exchangePosts)
			.values({ networkId, threadId, authorId: actor.userId, body: data.body, createdAt: at, updatedAt: at })
			.returning(postColumns);
		await tx
			.update(exchangeThreads)
			.set({ replyCount: sql`${exchangeThreads.replyCount} + 1`, lastPostAt: sql`greatest(${exchangeThreads.lastPostAt}, ${at.toISOString()}::timestamptz)` })
			.where(eq(exchangeThreads.id, threadId));
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'exchange_post', recordId: post.id, after: auditPost(post) });
		await autoFollow(tx, networkId, threadId, actor.userId);
		const mentions = await saveMentions(tx, networkId, post.id, post.body);
		await notifyPost(tx, { slug: await networkSlug(tx, networkId), thread, post, mentioned: mentions.all, toFollowers: true, actorName: actor.name });
		return post;
	});
}

// ---- reading ----------------------------------------------------------------------------------

export interface PostView {
	id: string;
	isOpening: boolean;
	authorId: string | null;
	authorName: string | null;
	createdAt: Date;
	editedAt: Date | null;
	deleted: boolean;
	hidden: boolean;
	hiddenReason: string;
	/** Sanitised HTML of the text; '' for a deleted post (and a hidden one, for those who can't see it). */
	html: string;
	isAnswer: boolean;
	version: number;
	can: { edit: boolean; delete: boolean; answer: boolean; hide: boolean; history: boolean };
}

/** What readers of the thread see of posts: coordinators everything (hidden ones marked), others no hidden post. */
function visibleTo(actor: Actor, networkId: string): SQL | undefined {
	return seesHidden(actor, networkId) ? undefined : isNull(exchangePosts.hiddenAt);
}

function toView(actor: Actor, thread: Thread, p: Post & { authorName: string | null; authorDeleted: Date | null }): PostView {
	const s = postSubject(thread, p);
	const deleted = !!p.deletedAt;
	return {
		id: p.id,
		isOpening: p.isOpening,
		authorId: p.authorId,
		authorName: p.authorDeleted ? null : p.authorName,
		createdAt: p.createdAt,
		editedAt: p.editedAt,
		deleted,
		hidden: !!p.hiddenAt,
		hiddenReason: p.hiddenReason,
		html: deleted ? '' : renderMarkdown(p.body),
		isAnswer: thread.answerPostId === p.id,
		version: p.version,
		can: {
			edit: canExchange(actor, 'exchange.post.edit', s),
			delete: canExchange(actor, 'exchange.post.delete', s),
			answer: !p.isOpening && !deleted && !p.hiddenAt && canExchange(actor, 'exchange.answer', s),
			hide: canExchange(actor, 'exchange.moderate', s) && !deleted,
			history: !!p.editedAt && mayReadHistory(actor, p)
		}
	};
}

/** Everyone who may read the thread reads a post's history, unless the post was deleted (then its author and coordinators). */
function mayReadHistory(actor: Actor, p: Post): boolean {
	if (!canSeePost(actor, p)) return false;
	if (!p.deletedAt) return true;
	return (!!actor.userId && p.authorId === actor.userId) || seesHidden(actor, p.networkId);
}

const postWithAuthor = { ...postColumns, authorName: users.name, authorDeleted: users.deletedAt };

/** The posts of a thread in order, 50 a page (the opening post first on page 1). */
export async function listPosts(actor: Actor, networkId: string, threadId: string, opts: { page?: number } = {}) {
	const thread = await readableThread(actor, networkId, threadId);
	const { page, pageSize, offset } = pageOpts({ page: opts.page, pageSize: POSTS_PER_PAGE }, POSTS_PER_PAGE, POSTS_PER_PAGE);
	const cond = and(eq(exchangePosts.threadId, thread.id), eq(exchangePosts.networkId, networkId), visibleTo(actor, networkId));
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select(postWithAuthor)
			.from(exchangePosts)
			.leftJoin(users, eq(users.id, exchangePosts.authorId))
			.where(cond)
			.orderBy(desc(exchangePosts.isOpening), asc(exchangePosts.createdAt), asc(exchangePosts.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: count() }).from(exchangePosts).where(cond)
	]);
	return { items: rows.map((r) => toView(actor, thread, r)), total: Number(total), page, pageSize };
}

/** The marked answer, for the box right under the question (null when none or not visible). */
export async function answerOf(actor: Actor, thread: Thread): Promise<PostView | null> {
	if (!thread.answerPostId) return null;
	const [row] = await db()
		.select(postWithAuthor)
		.from(exchangePosts)
		.leftJoin(users, eq(users.id, exchangePosts.authorId))
		.where(and(eq(exchangePosts.id, thread.answerPostId), eq(exchangePosts.networkId, thread.networkId)));
	if (!row || row.deletedAt || !canSeePost(actor, row)) return null;
	return toView(actor, thread, row);
}

/** The page of the thread a post is on (for links to one post); 1 when it is not visible. */
export async function pageOfPost(actor: Actor, networkId: string, threadId: string, postId: string): Promise<number> {
	const thread = await readableThread(actor, networkId, threadId);
	const p = await loadPost(db(), networkId, postId).catch(() => null);
	if (!p || p.threadId !== thread.id || !canSeePost(actor, p) || p.isOpening) return 1;
	const [{ before }] = await db()
		.select({ before: count() })
		.from(exchangePosts)
		.where(
			and(
				eq(exchangePosts.threadId, thread.id),
				visibleTo(actor, networkId),
				or(eq(exchangePosts.isOpening, true), lt(exchangePosts.createdAt, p.createdAt), and(eq(exchangePosts.createdAt, p.createdAt), lt(exchangePosts.id, p.id)))
			)
		);
	return Math.floor(Number(before) / POSTS_PER_PAGE) + 1;
}

// ---- editing and deleting one's own ----------------------------------------------------------

/** A post of a thread the actor may read, with its thread; 404 for hidden ones they may not see. */
export async function readablePost(actor: Actor, networkId: string, postId: string): Promise<{ thread: Thread; post: Post }> {
	mustRead(actor, networkId);
	const post = await loadPost(db(), networkId, postId);
	const thread = await readableThread(actor, networkId, post.threadId);
	if (!canSeePost(actor, post)) throw new NotFoundError();
	return { thread, post };
}

/** The post for its edit form: its author only, while it may be edited. */
export async function editablePost(actor: Actor, networkId: string, postId: string): Promise<{ thread: Thread; post: Post }> {
	const r = await readablePost(actor, networkId, postId);
	if (!canExchange(actor, 'exchange.post.edit', postSubject(r.thread, r.post))) throw new ForbiddenError();
	return r;
}

/**
 * Saves an edit of one's own post: the previous text goes into the history, the post shows
 * "bearbeitet". The opening post's form also carries the thread title. `version` must match:
 * otherwise someone saved in between, and the form comes back with the author's text kept.
 * Only people mentioned for the first time are told.
 */
export async function editPost(actor: Actor, networkId: string, postId: string, input: unknown): Promise<Post> {
	const { post: current } = await editablePost(actor, networkId, postId);
	const data: { body: string; title?: string } = current.isOpening ? parseFields({ body: postBody, title: threadTitle }, input) : parseFields({ body: postBody }, input);
	const version = parseVersion(input);
	return db().transaction(async (tx) => {
		const before = await loadPost(tx, networkId, postId, true);
		const thread = await loadThread(tx, networkId, before.threadId, true);
		if (!canExchange(actor, 'exchange.post.edit', postSubject(thread, before))) throw new ForbiddenError();
		if (version === null) throw new ValidationError({ _form: 'exchange.versionMissing' }, { version: String(before.version) });
		if (version !== before.version) throw new ValidationError({ _form: 'exchange.editedMeanwhile' }, { version: String(before.version) });
		let t = thread;
		const title = data.title;
		if (before.isOpening && title !== undefined && title !== thread.title) {
			[t] = await tx
				.update(exchangeThreads)
				.set({ title, version: thread.version + 1, updatedAt: new Date() })
				.where(eq(exchangeThreads.id, thread.id))
				.returning(threadColumns);
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'exchange_thread', recordId: thread.id, before: { title: thread.title }, after: { title } });
		}
		if (data.body === before.body) return before;
		await tx.insert(exchangePostRevisions).values({ postId, body: before.body, editedBy: actor.userId });
		const now = new Date();
		const [after] = await tx
			.update(exchangePosts)
			.set({ body: data.body, editedAt: now, updatedAt: now, version: before.version + 1 })
			.where(eq(exchangePosts.id, postId))
			.returning(postColumns);
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'exchange_post', recordId: postId, before: auditPost(before), after: auditPost(after) });
		const mentions = await saveMentions(tx, networkId, postId, after.body);
		await notifyPost(tx, { slug: await networkSlug(tx, networkId), thread: t, post: after, mentioned: mentions.added, toFollowers: false, actorName: actor.name });
		return after;
	});
}

/**
 * Deletes one's own post softly: it shows as "Dieser Beitrag wurde gelöscht.", its history stays
 * (for its author and coordinators). The opening post goes, the thread and its replies stay.
 * A deleted answer is no longer the answer; notifications about the post are withdrawn.
 */
export async function deletePost(actor: Actor, networkId: string, postId: string): Promise<Post> {
	const r = await readablePost(actor, networkId, postId);
	if (!canExchange(actor, 'exchange.post.delete', postSubject(r.thread, r.post))) throw new ForbiddenError();
	return db().transaction(async (tx) => {
		const thread = await loadThread(tx, networkId, r.thread.id, true);
		const before = await loadPost(tx, networkId, postId, true);
		if (before.deletedAt) return before;
		const now = new Date();
		const [after] = await tx.update(exchangePosts).set({ deletedAt: now, updatedAt: now, version: before.version + 1 }).where(eq(exchangePosts.id, postId)).returning(postColumns);
		await dropAnswer(tx, actor, thread, postId);
		await refreshThreadStats(tx, thread.id);
		await withdrawPostNotifications(tx, postId);
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'exchange_post', recordId: postId, before: auditPost(before) });
		return after;
	});
}

/**
 * Coordinators hide a post (a reason is required; only coordinators see it then) or show it again.
 * Hiding takes the answer mark off it and withdraws notifications about it (showing again does not
 * bring them back).
 */
export async function setPostHidden(actor: Actor, networkId: string, postId: string, hidden: boolean, reasonInput: unknown = ''): Promise<Post> {
	// The post and the right first (404, 403), then the reason: a form error only for a form that exists.
	const r = await readablePost(actor, networkId, postId);
	if (!canExchange(actor, 'exchange.moderate', { networkId })) throw new ForbiddenError();
	const reason = parseReason(reasonInput, hidden);
	return db().transaction(async (tx) => {
		const thread = await loadThread(tx, networkId, r.thread.id, true);
		const before = await loadPost(tx, networkId, postId, true);
		if (!!before.hiddenAt === hidden) return before;
		if (hidden) {
			// A hidden reply is no answer for readers who cannot see it, and its text leaves their inboxes.
			await dropAnswer(tx, actor, thread, postId);
			await withdrawPostNotifications(tx, postId);
		}
		const [after] = await tx
			.update(exchangePosts)
			.set(hidden ? { hiddenAt: new Date(), hiddenBy: actor.userId, hiddenReason: reason } : { hiddenAt: null, hiddenBy: null, hiddenReason: '' })
			.where(eq(exchangePosts.id, postId))
			.returning(postColumns);
		await refreshThreadStats(tx, before.threadId);
		await recordChange(tx, actor, {
			networkId,
			action: 'update',
			recordType: 'exchange_post',
			recordId: postId,
			before: { hidden: !!before.hiddenAt, hiddenReason: before.hiddenReason },
			after: { hidden: !!after.hiddenAt, hiddenReason: after.hiddenReason }
		});
		return after;
	});
}

// ---- history ----------------------------------------------------------------------------------

export interface Revision {
	id: string;
	html: string;
	/** When this text was replaced by the next one. */
	replacedAt: Date;
	editedByName: string | null;
}

export const REVISIONS_PER_PAGE = 10;

/**
 * The earlier texts of a post, newest first, 10 a page (each may be 20,000 characters), with the
 * current one: everyone who may read the thread, except for a deleted post (its author and
 * coordinators only).
 */
export async function listRevisions(actor: Actor, networkId: string, postId: string, opts: { page?: number } = {}) {
	const { thread, post } = await readablePost(actor, networkId, postId);
	if (!mayReadHistory(actor, post)) throw new NotFoundError();
	const { page, pageSize, offset } = pageOpts({ page: opts.page }, REVISIONS_PER_PAGE, REVISIONS_PER_PAGE);
	const cond = eq(exchangePostRevisions.postId, post.id);
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({ id: exchangePostRevisions.id, body: exchangePostRevisions.body, replacedAt: exchangePostRevisions.createdAt, name: users.name, deletedAt: users.deletedAt })
			.from(exchangePostRevisions)
			.leftJoin(users, eq(users.id, exchangePostRevisions.editedBy))
			.where(cond)
			.orderBy(desc(exchangePostRevisions.createdAt), desc(exchangePostRevisions.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: count() }).from(exchangePostRevisions).where(cond)
	]);
	const items: Revision[] = rows.map((r) => ({ id: r.id, html: renderMarkdown(r.body), replacedAt: r.replacedAt, editedByName: r.deletedAt ? null : r.name }));
	return { thread, post: { ...post, html: post.deletedAt ? '' : renderMarkdown(post.body) }, revisions: { items, total: Number(total), page, pageSize } };
}

/** How many earlier texts each post has (for "Verlauf (n)" beside edited posts). */
export async function revisionCounts(postIds: string[]): Promise<Map<string, number>> {
	if (!postIds.length) return new Map();
	const rows = await db()
		.select({ postId: exchangePostRevisions.postId, n: count() })
		.from(exchangePostRevisions)
		.where(inArray(exchangePostRevisions.postId, postIds))
		.groupBy(exchangePostRevisions.postId);
	return new Map(rows.map((r) => [r.postId, Number(r.n)]));
}
