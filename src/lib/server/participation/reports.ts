// Reports of ideas and comments. Anyone may report, visitors too (then only the rate limit per
// address holds them back); an account has one open report per target. Reports land in the
// moderation queue of the target's municipality: its members and the coordinators see them and
// hide the comment, reject the idea, or dismiss the report. Every step is audited.
import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Db, type Tx } from '../db/client';
import { comments, ideas, networks, reports } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { isUuid, parseFields } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { canParticipation, moderatedBodyIds, moderatesAny } from './permissions';
import { checkHoneypot, limitPosting } from './abuse';
import { hideComment, loadTarget, type CommentTargetType } from './comments';
import { rejectIdea } from './moderation';
import { isVisibleState } from './ideas';

export const REPORT_REASONS = ['insulting', 'false', 'spam', 'personal', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const REPORT_NOTE_MAX = 1000;
export type ReportTargetType = 'idea' | 'comment';

/** What is being reported, as the report page and the queue show it. */
export interface ReportTarget {
	type: ReportTargetType;
	id: string;
	networkId: string;
	/** The municipality whose moderators handle it. */
	bodyId: string;
	/** Idea title, or the title of the idea/measure a comment is on. */
	title: string;
	authorName: string;
	/** The reported text as written (comments) or the idea's text; shown as plain text. */
	text: string;
	/** idea state or comment state, so the queue offers only what still makes sense. */
	state: string;
	/** Public page where it can be seen (#kommentar-<id> for comments). */
	path: string;
	/** The public sees it now: a published idea, a visible comment on a public idea or measure. */
	isPublic: boolean;
}

/** The first words of a text, for the report page and the queue. */
export function excerpt(text: string, max = 300): string {
	const s = text.replace(/\s+/g, ' ').trim();
	return s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s;
}

/** Loads a report target in its network, without a permission check; null when missing. */
export async function loadReportTarget(networkId: string, type: string, id: string, tx: Db | Tx = db()): Promise<ReportTarget | null> {
	if (!isUuid(id) || !isUuid(networkId)) return null;
	if (type === 'idea') {
		const [r] = await tx
			.select({ i: ideas, slug: networks.slug })
			.from(ideas)
			.innerJoin(networks, eq(networks.id, ideas.networkId))
			.where(and(eq(ideas.id, id), eq(ideas.networkId, networkId)));
		if (!r) return null;
		return { type, id, networkId, bodyId: r.i.bodyId, title: r.i.title, authorName: r.i.authorName, text: r.i.body, state: r.i.state, path: `/${r.slug}/ideen/${id}`, isPublic: isVisibleState(r.i.state) };
	}
	if (type === 'comment') {
		const [c] = await tx
			.select()
			.from(comments)
			.where(and(eq(comments.id, id), eq(comments.networkId, networkId)));
		if (!c) return null;
		const on = await loadTarget({ type: c.targetType as CommentTargetType, id: c.targetId, networkId }, tx);
		if (!on) return null;
		return { type, id, networkId, bodyId: on.bodyId, title: on.title, authorName: c.authorName, text: c.body, state: c.state, path: `${on.path}#kommentar-${id}`, isPublic: on.isPublic && c.state === 'visible' };
	}
	return null;
}

/** A target the public may report: a visible idea, or a visible comment on a public idea or measure. */
async function reportableTarget(networkId: string, type: string, id: string, tx: Db | Tx = db()): Promise<ReportTarget> {
	const t = await loadReportTarget(networkId, type, id, tx);
	if (!t || !t.isPublic) throw new NotFoundError();
	return t;
}

/** For the report page: what is being reported (404 for what the public can't see). */
export async function reportPage(actor: Actor, networkId: string, type: string, id: string) {
	const t = await reportableTarget(networkId, type, id);
	return {
		target: { type: t.type, id: t.id, title: t.title, authorName: t.authorName, excerpt: excerpt(t.text), path: t.path },
		/** An account that already reported this sees a note instead of the form. */
		alreadyReported: actor.userId ? await hasOpenReport(db(), actor.userId, t.type, t.id) : false
	};
}

async function hasOpenReport(tx: Db | Tx, userId: string, type: string, id: string) {
	const [r] = await tx
		.select({ id: reports.id })
		.from(reports)
		.where(and(eq(reports.reporterId, userId), eq(reports.targetType, type as ReportTargetType), eq(reports.targetId, id), eq(reports.state, 'open')))
		.limit(1);
	return !!r;
}

/** The reason as stored: the code, then the person's own words after a line break. */
export function encodeReason(reason: ReportReason, note: string): string {
	return note ? `${reason}\n${note}` : reason;
}

export function decodeReason(stored: string): { reason: ReportReason | 'other'; note: string } {
	const [code, ...rest] = stored.split('\n');
	const known = (REPORT_REASONS as readonly string[]).includes(code);
	return known ? { reason: code as ReportReason, note: rest.join('\n') } : { reason: 'other', note: stored };
}

const reportShape = () => ({
	typ: z.enum(['idea', 'comment'], { error: 'reports.error.target' }),
	id: z.string().refine(isUuid, { error: 'reports.error.target' }),
	reason: z.enum(REPORT_REASONS, { error: 'reports.error.reason' }),
	note: z.string().trim().max(REPORT_NOTE_MAX, { error: 'reports.error.noteTooLong' })
});

/** A report by an account or a visitor (form fields typ, id, reason, note, honeypot). */
export async function createReport(actor: Actor, networkId: string, input: FormData | Record<string, unknown>, ctx: { ip: string }) {
	const obj = input instanceof FormData ? Object.fromEntries(input) : input;
	checkHoneypot(obj);
	const data = parseFields(reportShape(), obj, (d, errors) => {
		if (d.reason === 'other' && !d.note) errors.note = 'reports.error.noteRequired';
	});
	await limitPosting('report', { userId: actor.userId, ip: ctx.ip });
	return db().transaction(async (tx) => {
		const t = await reportableTarget(networkId, data.typ, data.id, tx);
		if (actor.userId && (await hasOpenReport(tx, actor.userId, t.type, t.id))) throw new ValidationError({ _form: 'reports.error.duplicate' });
		const [r] = await tx
			.insert(reports)
			.values({ networkId, targetType: t.type, targetId: t.id, reporterId: actor.userId, reason: encodeReason(data.reason, data.note) })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'report', recordId: r.id, after: { targetType: r.targetType, targetId: r.targetId, reason: r.reason } });
		/** `path`: where the reported text is, for the way back. */
		return { ...r, path: t.path };
	});
}

// ---------------------------------------------------------------------------------------------
// The queue

export type QueueState = 'open' | 'resolved';

export interface QueueItem {
	id: string;
	createdAt: Date;
	byVisitor: boolean;
	reason: ReportReason | 'other';
	note: string;
	state: QueueState;
	/** How it was handled: the comment hidden or idea rejected (with the reason), or dismissed. */
	resolution: { kind: 'hidden' | 'rejected' | 'dismissed' | ''; reason: string };
	resolvedAt: Date | null;
	/** Open reports on the same idea or comment (this one included). */
	sameTarget: number;
	target: ReportTarget | null;
	can: { hide: boolean; reject: boolean; dismiss: boolean };
}

/** The municipality of a report's target, in SQL (idea → its body; comment → its idea's or measure's body). */
const targetBody = sql<string>`(case when ${reports.targetType} = 'idea'
	then (select i.body_id from ideas i where i.id = ${reports.targetId})
	else (select coalesce(ci.body_id, cm.body_id) from comments c
		left join ideas ci on c.target_type = 'idea' and ci.id = c.target_id
		left join measures cm on c.target_type = 'measure' and cm.id = c.target_id
		where c.id = ${reports.targetId}) end)`;

function queueWhere(actor: Actor, networkId: string, state: QueueState): SQL | undefined {
	const bodies = moderatedBodyIds(actor, networkId);
	return and(
		eq(reports.networkId, networkId),
		eq(reports.state, state),
		bodies === null ? undefined : bodies.length ? inArray(targetBody, bodies) : sql`false`
	);
}

/** The reports the actor moderates: members see their municipalities', coordinators all. */
export async function listReports(actor: Actor, networkId: string, opts: { state?: QueueState; page?: number; pageSize?: number } = {}) {
	if (!moderatesAny(actor, networkId)) throw new ForbiddenError();
	const state = opts.state ?? 'open';
	const { page, pageSize, offset } = pageOpts(opts, 20, 100);
	const where = queueWhere(actor, networkId, state);
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select()
			.from(reports)
			.where(where)
			.orderBy(state === 'open' ? reports.createdAt : desc(reports.resolvedAt), desc(reports.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: count() }).from(reports).where(where)
	]);
	const targetIds = [...new Set(rows.map((x) => x.targetId))];
	const counts = targetIds.length
		? await db()
				.select({ targetId: reports.targetId, n: count() })
				.from(reports)
				.where(and(eq(reports.networkId, networkId), eq(reports.state, 'open'), inArray(reports.targetId, targetIds)))
				.groupBy(reports.targetId)
		: [];
	const countOf = new Map(counts.map((c) => [c.targetId, c.n]));
	const items: QueueItem[] = [];
	for (const r of rows) {
		const target = await loadReportTarget(networkId, r.targetType, r.targetId);
		const mod = !!target && canParticipation(actor, 'participation.moderate', { networkId, bodyId: target.bodyId });
		const open = r.state === 'open';
		const { reason, note } = decodeReason(r.reason);
		items.push({
			id: r.id,
			createdAt: r.createdAt,
			byVisitor: !r.reporterId,
			reason,
			note,
			state: r.state,
			resolution: decodeResolution(r.resolution),
			resolvedAt: r.resolvedAt,
			sameTarget: countOf.get(r.targetId) ?? 0,
			target,
			can: {
				hide: open && mod && target?.type === 'comment' && target.state === 'visible',
				reject: open && mod && target?.type === 'idea' && (target.state === 'pending' || target.state === 'published'),
				dismiss: open && mod
			}
		});
	}
	return { items, total, page, pageSize, state };
}

/** Open reports in the actor's municipalities (for a count beside the queue link). */
export async function openReportCount(actor: Actor, networkId: string): Promise<number> {
	if (!moderatesAny(actor, networkId)) return 0;
	const [{ n }] = await db().select({ n: count() }).from(reports).where(queueWhere(actor, networkId, 'open'));
	return n;
}

function decodeResolution(stored: string): QueueItem['resolution'] {
	const i = stored.indexOf(': ');
	const kind = i < 0 ? stored : stored.slice(0, i);
	const known = ['hidden', 'rejected', 'dismissed'].includes(kind) ? (kind as 'hidden' | 'rejected' | 'dismissed') : '';
	return { kind: known, reason: i < 0 ? '' : stored.slice(i + 2) };
}

export type ResolveAction = 'hide' | 'reject' | 'dismiss';

/**
 * Handles a report: hides the comment or rejects the idea (both with a reason, through their
 * own commands), or dismisses it. All open reports on the same target are resolved with it, since
 * the moderator decided about the text, not about one report. One transaction with the report
 * locked: two moderators (or a double click) resolve it once, and a failed hide or reject leaves
 * the report open.
 */
export async function resolveReport(actor: Actor, networkId: string, reportId: string, action: ResolveAction, input: Record<string, unknown> = {}) {
	if (!isUuid(reportId)) throw new NotFoundError();
	return db().transaction(async (tx) => {
		const [head] = await tx
			.select({ targetType: reports.targetType, targetId: reports.targetId })
			.from(reports)
			.where(and(eq(reports.id, reportId), eq(reports.networkId, networkId)));
		if (!head) throw new NotFoundError();
		// Every report on the same text, locked in one order: two moderators resolving two reports
		// on one comment wait for each other instead of deadlocking over the shared update below.
		const onTarget = await tx
			.select()
			.from(reports)
			.where(and(eq(reports.networkId, networkId), eq(reports.targetType, head.targetType), eq(reports.targetId, head.targetId)))
			.orderBy(reports.id)
			.for('update');
		const r = onTarget.find((x) => x.id === reportId);
		if (!r) throw new NotFoundError();
		const target = await loadReportTarget(networkId, r.targetType, r.targetId, tx);
		if (!target || !canParticipation(actor, 'participation.moderate', { networkId, bodyId: target.bodyId })) throw new ForbiddenError();
		if (r.state !== 'open') throw new ValidationError({ _form: 'reports.error.resolved' });

		let resolution: string;
		if (action === 'hide') {
			if (target.type !== 'comment') throw new ValidationError({ _form: 'reports.error.action' });
			const c = await hideComment(actor, networkId, target.id, input, tx);
			resolution = `hidden: ${c.stateReason}`;
		} else if (action === 'reject') {
			if (target.type !== 'idea') throw new ValidationError({ _form: 'reports.error.action' });
			const idea = await rejectIdea(actor, networkId, target.id, input, tx);
			resolution = `rejected: ${idea.stateReason}`;
		} else if (action === 'dismiss') {
			resolution = 'dismissed';
		} else {
			throw new ValidationError({ _form: 'reports.error.action' });
		}

		const now = new Date();
		const done = await tx
			.update(reports)
			.set({ state: 'resolved', resolvedBy: actor.userId, resolvedAt: now, resolution })
			.where(and(eq(reports.networkId, networkId), eq(reports.targetType, r.targetType), eq(reports.targetId, r.targetId), eq(reports.state, 'open')))
			.returning({ id: reports.id });
		for (const d of done) {
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'report', recordId: d.id, before: { state: 'open' }, after: { state: 'resolved', resolution } });
		}
		return { resolved: done.length, resolution };
	});
}
