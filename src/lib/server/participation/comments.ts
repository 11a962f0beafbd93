// Comments on ideas and public measures, with one level of replies. Citizens with consent post;
// authors delete their own (softly: replies stay readable); moderators of the target's
// municipality hide and unhide with a reason. Each change is audited and followers hear of new
// comments (without the text, which may still be hidden by the moderation).
import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Db, type Tx } from '../db/client';
import { comments, ideas, measures, networks } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { isUuid, parseFields } from '../network/directory-shared';
import { pageOpts, pageParam } from '../paging';
import { renderMarkdown } from '../markdown';
import { registerRecordType } from '../registry';
import { canParticipation } from './permissions';
import { participantState, requireParticipant, shownName, type ParticipantState } from './participant';
import { checkHoneypot, limitPosting, linkError } from './abuse';
import { notifyFollowers } from './notify';
import { isVisibleState } from './ideas';

export type CommentTargetType = 'idea' | 'measure';

export interface CommentTarget {
	type: CommentTargetType;
	id: string;
	networkId: string;
}

/** What a comment is attached to, as far as comments need to know. */
export interface TargetInfo extends CommentTarget {
	bodyId: string;
	title: string;
	/** Public page of the target (ideas: /<slug>/ideen/<id>, measures: /<slug>/massnahmen/<id>). */
	path: string;
	/** Readable by visitors at all (a published idea, a public measure). */
	isPublic: boolean;
	/** Takes new comments: a published, merged or realised idea; a public measure. */
	open: boolean;
}

export const COMMENT_PAGE_PARAM = 'kommentare';
export const COMMENT_PAGE_SIZE = 20;
export const COMMENT_MIN = 2;
export const COMMENT_MAX = 3000;
export const HIDE_REASON_MAX = 500;

/** Loads the target in its network (no permission check); null when missing or in another network. */
export async function loadTarget(target: CommentTarget, tx: Db | Tx = db()): Promise<TargetInfo | null> {
	if (!isUuid(target.id) || !isUuid(target.networkId)) return null;
	if (target.type === 'idea') {
		const [r] = await tx
			.select({ id: ideas.id, networkId: ideas.networkId, bodyId: ideas.bodyId, title: ideas.title, state: ideas.state, slug: networks.slug })
			.from(ideas)
			.innerJoin(networks, eq(networks.id, ideas.networkId))
			.where(and(eq(ideas.id, target.id), eq(ideas.networkId, target.networkId)));
		if (!r) return null;
		// Everything the public sees of an idea takes comments; pending and rejected ideas neither.
		const open = isVisibleState(r.state);
		return { type: 'idea', id: r.id, networkId: r.networkId, bodyId: r.bodyId, title: r.title, path: `/${r.slug}/ideen/${r.id}`, isPublic: open, open };
	}
	if (target.type === 'measure') {
		const [r] = await tx
			.select({ id: measures.id, networkId: measures.networkId, bodyId: measures.bodyId, title: measures.title, isPublic: measures.isPublic, slug: networks.slug })
			.from(measures)
			.innerJoin(networks, eq(networks.id, measures.networkId))
			.where(and(eq(measures.id, target.id), eq(measures.networkId, target.networkId)));
		if (!r) return null;
		return { type: 'measure', id: r.id, networkId: r.networkId, bodyId: r.bodyId, title: r.title, path: `/${r.slug}/massnahmen/${r.id}`, isPublic: r.isPublic, open: r.isPublic };
	}
	return null;
}

const moderates = (actor: Actor, t: { networkId: string; bodyId: string }) =>
	canParticipation(actor, 'participation.moderate', { networkId: t.networkId, bodyId: t.bodyId });

// ---------------------------------------------------------------------------------------------
// Reading

export interface CommentView {
	id: string;
	authorName: string;
	createdAt: Date;
	state: 'visible' | 'hidden' | 'deleted';
	/** Rendered Markdown of a visible comment; '' otherwise. */
	html: string;
	/** Why the moderation hid it (shown in place of the text). */
	hiddenReason: string;
	/** The hidden text, for moderators only (so they can decide to show it again). */
	moderatorHtml: string;
	canDelete: boolean;
	canModerate: boolean;
	/** Replies may be written to it (a visible top-level comment, the actor may post). */
	canReply: boolean;
	replies: CommentView[];
}

export interface CommentSectionData {
	target: { type: CommentTargetType; id: string };
	/** Path (and query) of the page the section sits on; forms send it back as `back`. */
	back: string;
	/** Comments shown, replies included (deleted ones not counted). */
	total: number;
	/** Pagination of the top-level comments (?kommentare=N). */
	page: number;
	pageSize: number;
	threads: number;
	comments: CommentView[];
	participant: ParticipantState;
	/** The target takes comments at all. */
	open: boolean;
	can: { post: boolean; moderate: boolean };
}

/**
 * Everything the comment section of an idea or public measure page shows. 404 for a target the
 * actor can't read (an internal measure or pending idea for a visitor; another network's record).
 */
export async function loadCommentSection(actor: Actor, target: CommentTarget, url: URL): Promise<CommentSectionData> {
	const info = await loadTarget(target);
	if (!info) throw new NotFoundError();
	const moderator = moderates(actor, info);
	const participant = await participantState(actor);
	const canPost = info.open && participant === 'ok';

	// A deleted comment stays (as "Gelöscht") only while replies hang on it.
	const onTarget = and(eq(comments.networkId, info.networkId), eq(comments.targetType, info.type), eq(comments.targetId, info.id));
	const liveReply = sql`exists (select 1 from comments r where r.parent_id = ${comments.id} and r.state <> 'deleted')`;
	const shownTop = and(onTarget, isNull(comments.parentId), or(ne(comments.state, 'deleted'), liveReply));

	const { page, pageSize, offset } = pageOpts({ page: pageParam(url, COMMENT_PAGE_PARAM), pageSize: COMMENT_PAGE_SIZE }, COMMENT_PAGE_SIZE);
	const [top, [{ threads }], [{ total }]] = await Promise.all([
		db().select().from(comments).where(shownTop).orderBy(desc(comments.createdAt), desc(comments.id)).limit(pageSize).offset(offset),
		db().select({ threads: count() }).from(comments).where(shownTop),
		db()
			.select({ total: count() })
			.from(comments)
			.where(and(onTarget, ne(comments.state, 'deleted')))
	]);
	const replies = top.length
		? await db()
				.select()
				.from(comments)
				.where(and(onTarget, inArray(comments.parentId, top.map((c) => c.id)), ne(comments.state, 'deleted')))
				.orderBy(asc(comments.createdAt), asc(comments.id))
		: [];

	const view = (c: typeof comments.$inferSelect, reps: CommentView[]): CommentView => ({
		id: c.id,
		authorName: c.state === 'deleted' ? '' : c.authorName,
		createdAt: c.createdAt,
		state: c.state,
		html: c.state === 'visible' ? renderMarkdown(c.body) : '',
		hiddenReason: c.state === 'hidden' ? c.stateReason : '',
		moderatorHtml: c.state === 'hidden' && moderator ? renderMarkdown(c.body) : '',
		canDelete: c.state !== 'deleted' && !!actor.userId && c.authorId === actor.userId,
		canModerate: moderator && c.state !== 'deleted',
		canReply: canPost && !c.parentId && c.state === 'visible',
		replies: reps
	});
	const byParent = new Map<string, CommentView[]>();
	for (const r of replies) {
		const list = byParent.get(r.parentId!) ?? [];
		list.push(view(r, []));
		byParent.set(r.parentId!, list);
	}
	return {
		target: { type: info.type, id: info.id },
		back: url.pathname + url.search,
		total,
		page,
		pageSize,
		threads,
		comments: top.map((c) => view(c, byParent.get(c.id) ?? [])),
		participant,
		open: info.open,
		can: { post: canPost, moderate: moderator }
	};
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface PostContext {
	/** Client address, for the rate limit per address. */
	ip: string;
}

const bodyField = () =>
	z
		.string()
		.trim()
		.min(1, { error: 'comments.error.empty' })
		.min(COMMENT_MIN, { error: 'comments.error.tooShort' })
		.max(COMMENT_MAX, { error: 'comments.error.tooLong' })
		.refine((s) => !linkError(s), { error: 'participation.tooManyLinks' });

const targetShape = () => ({
	targetType: z.enum(['idea', 'measure'], { error: 'comments.error.target' }),
	targetId: z.string().refine(isUuid, { error: 'comments.error.target' })
});

type Input = FormData | Record<string, unknown>;
const asObject = (input: Input): Record<string, unknown> => (input instanceof FormData ? Object.fromEntries(input) : input);

/** Loads the target of a new comment: it must exist in this network, be readable and open. */
async function openTarget(tx: Tx, networkId: string, type: CommentTargetType, id: string): Promise<TargetInfo> {
	const info = await loadTarget({ type, id, networkId }, tx);
	if (!info || !info.isPublic) throw new NotFoundError();
	if (!info.open) throw new ValidationError({ _form: 'comments.error.closed' });
	return info;
}

async function insertComment(
	actor: Actor,
	networkId: string,
	input: Input,
	ctx: PostContext,
	withParent: boolean
): Promise<typeof comments.$inferSelect> {
	const obj = asObject(input);
	checkHoneypot(obj);
	const shape = { ...targetShape(), body: bodyField(), ...(withParent ? { parentId: z.string().refine(isUuid, { error: 'comments.error.parent' }) } : {}) };
	// The participant check comes first: a signed-out visitor gets the sign-in hint, not field errors.
	await requireParticipant(actor);
	const data = parseFields(shape, obj) as { targetType: CommentTargetType; targetId: string; body: string; parentId?: string };
	await limitPosting('comment', { userId: actor.userId, ip: ctx.ip });
	return db().transaction(async (tx) => {
		const participant = await requireParticipant(actor, tx);
		const info = await openTarget(tx, networkId, data.targetType, data.targetId);
		let parentId: string | null = null;
		if (withParent) {
			const [parent] = await tx
				.select()
				.from(comments)
				.where(and(eq(comments.id, data.parentId!), eq(comments.networkId, networkId)));
			// One level deep: replies go to visible top-level comments of the same target.
			if (!parent || parent.targetType !== info.type || parent.targetId !== info.id) throw new NotFoundError();
			if (parent.parentId || parent.state !== 'visible') throw new ValidationError({ _form: 'comments.error.parent' });
			parentId = parent.id;
		}
		const [c] = await tx
			.insert(comments)
			.values({ networkId, targetType: info.type, targetId: info.id, parentId, authorId: participant.userId, authorName: shownName(participant), body: data.body })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'comment', recordId: c.id, after: auditView(c) });
		await notifyFollowers(tx, { type: info.type, id: info.id, networkId }, {
			title: info.title,
			what: 'Es gibt einen neuen Kommentar.',
			path: `${info.path}#kommentar-${c.id}`,
			byUserId: actor.userId
		});
		return c;
	});
}

const auditView = (c: typeof comments.$inferSelect) => ({
	targetType: c.targetType,
	targetId: c.targetId,
	parentId: c.parentId,
	authorName: c.authorName,
	body: c.body,
	state: c.state,
	stateReason: c.stateReason
});

/** A new top-level comment (form fields targetType, targetId, body, honeypot). */
export function createComment(actor: Actor, networkId: string, input: Input, ctx: PostContext) {
	return insertComment(actor, networkId, input, ctx, false);
}

/** A reply to a visible top-level comment (form fields as createComment plus parentId). */
export function replyToComment(actor: Actor, networkId: string, input: Input, ctx: PostContext) {
	return insertComment(actor, networkId, input, ctx, true);
}

async function loadComment(tx: Tx, networkId: string, id: string) {
	if (!isUuid(id)) throw new NotFoundError();
	const [c] = await tx
		.select()
		.from(comments)
		.where(and(eq(comments.id, id), eq(comments.networkId, networkId)))
		.for('update');
	if (!c) throw new NotFoundError();
	return c;
}

/** The author takes back their comment: its text leaves the page, replies to it stay. */
export async function deleteComment(actor: Actor, networkId: string, commentId: string) {
	return db().transaction(async (tx) => {
		const c = await loadComment(tx, networkId, commentId);
		if (!actor.userId || c.authorId !== actor.userId) throw new ForbiddenError();
		if (c.state === 'deleted') return c;
		const [after] = await tx.update(comments).set({ state: 'deleted', updatedAt: new Date() }).where(eq(comments.id, c.id)).returning();
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'comment', recordId: c.id, before: { state: c.state }, after: { state: after.state } });
		return after;
	});
}

async function moderatedComment(tx: Tx, actor: Actor, networkId: string, commentId: string) {
	const c = await loadComment(tx, networkId, commentId);
	const info = await loadTarget({ type: c.targetType as CommentTargetType, id: c.targetId, networkId }, tx);
	if (!info || !moderates(actor, info)) throw new ForbiddenError();
	return c;
}

/**
 * A moderator hides a comment; the reason shows in its place. `tx`: run inside the caller's
 * transaction (resolving a report hides and marks the report done in one).
 */
export async function hideComment(actor: Actor, networkId: string, commentId: string, input: Input, tx?: Tx) {
	const { reason } = parseFields(
		{ reason: z.string().trim().min(1, { error: 'comments.error.reasonRequired' }).max(HIDE_REASON_MAX, { error: 'comments.error.reasonTooLong' }) },
		asObject(input)
	);
	const run = async (tx: Tx) => {
		const c = await moderatedComment(tx, actor, networkId, commentId);
		if (c.state === 'deleted') throw new ValidationError({ _form: 'comments.error.deleted' });
		const [after] = await tx.update(comments).set({ state: 'hidden', stateReason: reason, updatedAt: new Date() }).where(eq(comments.id, c.id)).returning();
		await recordChange(tx, actor, { networkId, action: 'hide', recordType: 'comment', recordId: c.id, before: { state: c.state, stateReason: c.stateReason }, after: { state: after.state, stateReason: reason } });
		return after;
	};
	return tx ? run(tx) : db().transaction(run);
}

/** A moderator shows a hidden comment again. */
export async function unhideComment(actor: Actor, networkId: string, commentId: string) {
	return db().transaction(async (tx) => {
		const c = await moderatedComment(tx, actor, networkId, commentId);
		if (c.state !== 'hidden') return c;
		const [after] = await tx.update(comments).set({ state: 'visible', stateReason: '', updatedAt: new Date() }).where(eq(comments.id, c.id)).returning();
		await recordChange(tx, actor, { networkId, action: 'unhide', recordType: 'comment', recordId: c.id, before: { state: c.state, stateReason: c.stateReason }, after: { state: after.state, stateReason: '' } });
		return after;
	});
}

/** `back` with the comment page parameter dropped, so a new thread (newest first) is on screen. */
export function firstCommentPage(back: string): string {
	const u = new URL(back, 'http://x.invalid');
	u.searchParams.delete(COMMENT_PAGE_PARAM);
	return u.pathname + u.search;
}

// ---------------------------------------------------------------------------------------------
// Registry: comments link to their place on the target's page.

export async function loadCommentRecord(id: string) {
	if (!isUuid(id)) return null;
	const [c] = await db().select().from(comments).where(eq(comments.id, id));
	if (!c) return null;
	const info = await loadTarget({ type: c.targetType as CommentTargetType, id: c.targetId, networkId: c.networkId });
	if (!info) return null;
	const excerpt = c.body.length > 80 ? c.body.slice(0, 79) + '…' : c.body;
	return {
		type: 'comment',
		id,
		networkId: c.networkId,
		title: `${c.authorName}: ${excerpt}`,
		url: `${info.path}#kommentar-${id}`,
		isPublic: info.isPublic && c.state === 'visible',
		bodyId: info.bodyId
	};
}

export function registerCommentRecords() {
	registerRecordType({
		type: 'comment',
		labelKey: 'record.comment',
		load: loadCommentRecord,
		canRead: (actor, r) => r.isPublic || (!!r.networkId && canParticipation(actor, 'participation.moderate', { networkId: r.networkId, bodyId: r.bodyId })),
		canEdit: (actor, r) => !!r.networkId && canParticipation(actor, 'participation.moderate', { networkId: r.networkId, bodyId: r.bodyId })
	});
}

/** A comment form that came back with errors, as the section shows it beside that form. */
export interface CommentFailure {
	/** Which form: 'create', 'reply-<id>' or 'hide-<id>'. */
	key: string;
	errors: Record<string, string>;
	values: Record<string, string>;
}
