// Moderation of ideas by the members of the idea's municipality and the coordinators.
//
// States and the moves between them (TRANSITIONS):
//   pending   → published | rejected (with a reason) | merged | measure
//   published → rejected | merged | measure
//   rejected  → published (a second look)
//   merged, measure: final — only a coordinator reopens them (→ published), e.g. after a wrong
//   merge or when the measure was deleted; reopening clears the link.
// Merging keeps the supports on both ideas (they were given to different texts); the merged idea
// shows a link to the idea it was merged into, and that one lists it. Ideas already merged into
// the merged idea are re-pointed to the new target, so there are no chains and never a cycle
// (a merged idea is never a target).
// Every move: one transaction with moderated_by/at, an audit entry, a mail to the author (queued)
// and, for ideas others could follow, a notice to the followers.
// A published idea that others were merged into is never rejected: they point at it and say
// "dort geht es weiter". Ideas become only public measures: what residents read (mails, the idea
// page) never carries the title of an internal one.
import { and, asc, desc, eq, ilike, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, concepts, fieldsOfAction, measures, users } from '../db/schema';
import { membershipIn, type Actor } from '../auth/actor';
import { ForbiddenError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { enqueue } from '../jobs';
import { layout } from '../mail/templates';
import type { Mail } from '../mail';
import { config } from '../config';
import { isUuid, likePattern, pageOpts, parseFields } from '../network/directory-shared';
import { createMeasure } from '../measures/measures';
import { canMeasure } from '../measures/permissions';
import { moderatedBodyIds } from './permissions';
import { notifyFollowers } from './notify';
import { ideas } from './schema';
import { canModerateIdea, ideaColumns, IDEA_STATES, isVisibleState, loadIdea, networkSlug, type Idea, type IdeaState } from './ideas';

export type ModerationAction = 'publish' | 'reject' | 'merge' | 'measure' | 'reopen';

/** Allowed moves; reopening merged/measure ideas is the coordinator's (see reopenIdea). */
export const TRANSITIONS: Record<IdeaState, readonly IdeaState[]> = {
	pending: ['published', 'rejected', 'merged', 'measure'],
	published: ['rejected', 'merged', 'measure'],
	rejected: ['published'],
	merged: [],
	measure: []
};

const REOPENABLE: readonly IdeaState[] = ['merged', 'measure'];

export function canTransition(from: IdeaState, to: IdeaState): boolean {
	return TRANSITIONS[from].includes(to);
}

function isCoordinator(actor: Actor, networkId: string) {
	return membershipIn(actor, networkId)?.role === 'coordinator';
}

/** The moves the actor may make on this idea now (for the moderation page). */
export function availableActions(actor: Actor, idea: Idea): ModerationAction[] {
	if (!canModerateIdea(actor, idea)) return [];
	const out: ModerationAction[] = [];
	const to = TRANSITIONS[idea.state];
	if (to.includes('published')) out.push('publish');
	if (to.includes('rejected')) out.push('reject');
	if (to.includes('merged')) out.push('merge');
	if (to.includes('measure')) out.push('measure');
	if (REOPENABLE.includes(idea.state) && isCoordinator(actor, idea.networkId)) out.push('reopen');
	return out;
}

// ---- mails --------------------------------------------------------------------------------

/** `removed`: rejected after it was on the portal (published → rejected), `rejected` before. */
type Decided = 'published' | 'rejected' | 'removed' | 'merged' | 'measure';

/** The author hears what moderation decided about their idea. */
export function ideaStateMail(
	to: string,
	c: { title: string; state: Decided; url: string; reason?: string; mergedInto?: string; measure?: string }
): Mail {
	const texts: Record<Decided, { subject: string; paragraphs: string[] }> = {
		published: {
			subject: `Ihre Idee ist veröffentlicht: ${c.title}`,
			paragraphs: [`Ihre Idee „${c.title}“ ist jetzt im Beteiligungsportal zu sehen.`, 'Andere können sie nun lesen, unterstützen und kommentieren.']
		},
		rejected: {
			subject: `Ihre Idee wurde nicht veröffentlicht: ${c.title}`,
			paragraphs: [`Ihre Idee „${c.title}“ wurde nicht veröffentlicht.`, `Die Begründung: ${c.reason ?? ''}`]
		},
		removed: {
			subject: `Ihre Idee wurde aus dem Portal entfernt: ${c.title}`,
			paragraphs: [
				`Ihre Idee „${c.title}“ war im Beteiligungsportal veröffentlicht. Die Moderation hat sie wieder entfernt. Andere können sie jetzt nicht mehr sehen.`,
				`Die Begründung: ${c.reason ?? ''}`,
				'Sie selbst sehen Ihre Idee weiterhin über den Link unten.'
			]
		},
		merged: {
			subject: `Ihre Idee wurde zusammengeführt: ${c.title}`,
			paragraphs: [
				`Es gibt eine sehr ähnliche Idee: „${c.mergedInto ?? ''}“. Ihre Idee „${c.title}“ wurde deshalb mit ihr zusammengeführt.`,
				'Ihre Idee bleibt sichtbar und verweist auf die andere Idee. Dort geht es weiter.'
			]
		},
		measure: {
			subject: 'Aus Ihrer Idee ist eine Maßnahme geworden',
			paragraphs: [
				`Gute Nachricht: Aus Ihrer Idee „${c.title}“ ist eine Maßnahme der Kommune geworden${c.measure ? `: „${c.measure}“` : ''}.`,
				'Auf der Seite Ihrer Idee sehen Sie, wie weit die Maßnahme ist.'
			]
		}
	};
	const t = texts[c.state];
	return layout(to, t.subject, {
		greeting: 'Guten Tag,',
		paragraphs: t.paragraphs,
		action: { label: 'Idee ansehen', url: c.url },
		footer: 'Sie bekommen diese Nachricht, weil Sie diese Idee im Beteiligungsportal eingereicht haben.'
	});
}

/** What followers read about the change. */
function followerText(state: IdeaState, c: { mergedInto?: string; measure?: string }): string {
	switch (state) {
		case 'published':
			return 'Die Idee ist wieder im Portal veröffentlicht.';
		case 'rejected':
			// The idea's page is gone for them: the mail's button leads to the idea list instead.
			return 'Die Moderation hat die Idee aus dem Portal entfernt. Sie ist nicht mehr öffentlich zu sehen. Über den Link unten kommen Sie zu den anderen Ideen im Portal.';
		case 'merged':
			return `Die Idee wurde mit der Idee „${c.mergedInto ?? ''}“ zusammengeführt.`;
		case 'measure':
			return `Aus der Idee ist eine Maßnahme geworden${c.measure ? `: „${c.measure}“` : ''}.`;
		default:
			return 'Der Stand der Idee hat sich geändert.';
	}
}

// ---- the one write path -------------------------------------------------------------------

interface Move {
	to: IdeaState;
	reason?: string;
	mergedIntoId?: string | null;
	measureId?: string | null;
	/** For texts: the target's title. */
	mergedIntoTitle?: string;
	measureTitle?: string;
	/** Reopen: allowed outside TRANSITIONS for coordinators. */
	reopen?: boolean;
}

/** Loads an idea the actor moderates: 404 outside the network, 403 when not theirs to moderate. */
export async function loadModeratedIdea(actor: Actor, networkId: string, ideaId: string, tx: Tx | ReturnType<typeof db> = db()): Promise<Idea> {
	const idea = await loadIdea(tx, networkId, ideaId);
	if (!canModerateIdea(actor, idea)) throw new ForbiddenError();
	return idea;
}

function checkMove(actor: Actor, idea: Idea, move: Move) {
	const ok = move.reopen ? REOPENABLE.includes(idea.state) && isCoordinator(actor, idea.networkId) : canTransition(idea.state, move.to);
	if (!ok) throw new ValidationError({ _form: 'ideas.mod.notAllowed' });
}

/** Ideas merged into this one: they point at it, so it stays on the portal. */
async function hasMergedIdeas(tx: Tx, networkId: string, ideaId: string): Promise<boolean> {
	const [one] = await tx
		.select({ id: ideas.id })
		.from(ideas)
		.where(and(eq(ideas.networkId, networkId), eq(ideas.mergedIntoId, ideaId)))
		.limit(1);
	return !!one;
}

/**
 * `extra` runs under the idea's lock before the update and may add to the move (a target's title).
 * `outer`: the caller's transaction (which may hold the idea's lock already), else its own.
 */
async function applyMove(
	actor: Actor,
	networkId: string,
	ideaId: string,
	planned: Move,
	extra?: (tx: Tx, before: Idea) => Promise<Partial<Move> | void>,
	outer?: Tx
): Promise<Idea> {
	const run = async (tx: Tx) => {
		const slug = await networkSlug(networkId, tx);
		const before = await loadIdea(tx, networkId, ideaId, true);
		if (!canModerateIdea(actor, before)) throw new ForbiddenError();
		// Checked again under the lock: someone may have moderated it meanwhile.
		checkMove(actor, before, planned);
		if (planned.to === 'rejected' && (await hasMergedIdeas(tx, networkId, ideaId))) throw new ValidationError({ _form: 'ideas.mod.rejectMergeTarget' });
		const move: Move = { ...planned, ...((await extra?.(tx, before)) ?? {}) };
		const now = new Date();
		const [after] = await tx
			.update(ideas)
			.set({
				state: move.to,
				stateReason: move.to === 'rejected' ? (move.reason ?? '') : '',
				mergedIntoId: move.to === 'merged' ? (move.mergedIntoId ?? null) : null,
				measureId: move.to === 'measure' ? (move.measureId ?? null) : null,
				moderatedBy: actor.userId,
				moderatedAt: now,
				// The first publication dates the idea on the portal; later moves keep that date.
				publishedAt: before.publishedAt ?? (isVisibleState(move.to) ? now : null),
				updatedAt: now
			})
			.where(eq(ideas.id, ideaId))
			.returning(ideaColumns);
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'idea', recordId: ideaId, before, after });

		const path = `/${slug}/ideen/${ideaId}`;
		const texts = { mergedInto: move.mergedIntoTitle, measure: move.measureTitle };
		const wasPublic = isVisibleState(before.state);
		if (before.authorId && before.authorId !== actor.userId && move.to !== 'pending') {
			const [author] = await tx
				.select({ email: users.email, deletedAt: users.deletedAt })
				.from(users)
				.where(eq(users.id, before.authorId));
			if (author && !author.deletedAt && author.email) {
				const mail = ideaStateMail(author.email, {
					title: after.title,
					state: move.to === 'rejected' && wasPublic ? 'removed' : (move.to as Decided),
					url: new URL(path, config.origin).toString(),
					reason: move.reason,
					...texts
				});
				await enqueue('mail.send', mail, {}, tx);
			}
		}
		// Only ideas others could see can have followers; an idea they can no longer see sends them
		// to the idea list rather than to a page that answers 404.
		if (wasPublic) {
			const shown = isVisibleState(move.to) ? path : `/${slug}/ideen`;
			await notifyFollowers(tx, { type: 'idea', id: ideaId, networkId }, { title: after.title, what: followerText(move.to, texts), path: shown, byUserId: actor.userId });
		}
		return after;
	};
	return outer ? run(outer) : db().transaction(run);
}

// ---- commands -----------------------------------------------------------------------------

export async function publishIdea(actor: Actor, networkId: string, ideaId: string): Promise<Idea> {
	const idea = await loadModeratedIdea(actor, networkId, ideaId);
	checkMove(actor, idea, { to: 'published' });
	return applyMove(actor, networkId, ideaId, { to: 'published' });
}

export const REASON_MAX = 2000;

/** `tx`: inside the caller's transaction (resolving a report rejects and closes the report in one). */
export async function rejectIdea(actor: Actor, networkId: string, ideaId: string, input: unknown, tx?: Tx): Promise<Idea> {
	const idea = await loadModeratedIdea(actor, networkId, ideaId, tx);
	checkMove(actor, idea, { to: 'rejected' });
	const { reason } = parseFields(
		{
			reason: z
				.string()
				.trim()
				.min(1, { error: 'ideas.mod.reasonRequired' })
				.max(REASON_MAX, { error: 'dir.tooLong2000' })
		},
		input
	);
	return applyMove(actor, networkId, ideaId, { to: 'rejected', reason }, undefined, tx);
}

export async function mergeIdea(actor: Actor, networkId: string, ideaId: string, input: unknown): Promise<Idea> {
	const idea = await loadModeratedIdea(actor, networkId, ideaId);
	checkMove(actor, idea, { to: 'merged' });
	const targetId = String((input as Record<string, unknown> | null)?.targetId ?? '').trim();
	if (!targetId) throw new ValidationError({ targetId: 'ideas.mod.targetRequired' });
	if (!isUuid(targetId) || targetId === ideaId) throw new ValidationError({ targetId: 'ideas.mod.targetInvalid' });
	return applyMove(actor, networkId, ideaId, { to: 'merged', mergedIntoId: targetId }, async (tx) => {
		const [target] = await tx
			.select({ id: ideas.id, title: ideas.title, state: ideas.state })
			.from(ideas)
			.where(and(eq(ideas.id, targetId), eq(ideas.networkId, networkId)))
			.for('update');
		// Only a published idea is a target: never a merged one (no cycles, no chains), never itself.
		if (!target || target.state !== 'published') throw new ValidationError({ targetId: 'ideas.mod.targetInvalid' });
		// Ideas merged into this one now point at the new target directly.
		await tx.update(ideas).set({ mergedIntoId: targetId, updatedAt: new Date() }).where(and(eq(ideas.mergedIntoId, ideaId), eq(ideas.networkId, networkId)));
		return { mergedIntoTitle: target.title };
	});
}

/**
 * Whose measures an idea may become: its own municipality's, and the district's (a district
 * covers its towns: a town without a concept of its own may see its idea taken up by the district).
 */
export async function measureBodyIds(networkId: string, idea: Idea): Promise<string[]> {
	const districts = await db()
		.select({ id: bodies.id })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), eq(bodies.kind, 'landkreis')));
	return [...new Set([idea.bodyId, ...districts.map((d) => d.id)])];
}

/**
 * Links the idea to an existing public measure of its municipality (or of the district). Only
 * public ones: the author's and the followers' mails name the measure, and the idea page links it.
 */
export async function linkIdeaToMeasure(actor: Actor, networkId: string, ideaId: string, input: unknown): Promise<Idea> {
	const idea = await loadModeratedIdea(actor, networkId, ideaId);
	checkMove(actor, idea, { to: 'measure' });
	const measureId = String((input as Record<string, unknown> | null)?.measureId ?? '').trim();
	if (!measureId) throw new ValidationError({ measureId: 'ideas.mod.measureRequired' });
	if (!isUuid(measureId)) throw new ValidationError({ measureId: 'ideas.mod.measureInvalid' });
	const allowed = await measureBodyIds(networkId, idea);
	return applyMove(actor, networkId, ideaId, { to: 'measure', measureId }, async (tx) => {
		// Read under a share lock: the measure can't be deleted or made internal until the link stands.
		const [m] = await tx
			.select({ id: measures.id, title: measures.title, bodyId: measures.bodyId, isPublic: measures.isPublic })
			.from(measures)
			.where(and(eq(measures.id, measureId), eq(measures.networkId, networkId)))
			.for('share');
		if (!m || !allowed.includes(m.bodyId)) throw new ValidationError({ measureId: 'ideas.mod.measureInvalid' });
		if (!m.isPublic) throw new ValidationError({ measureId: 'ideas.mod.measureNotPublic' });
		return { measureTitle: m.title };
	});
}

/**
 * Creates a public measure from the idea in one of the municipality's concepts (measures service,
 * with its own permission check and audit entry) and links the idea to it, in one transaction that
 * locks the idea first: a second click waits, then finds the idea already a measure and creates
 * nothing.
 */
export async function createMeasureFromIdea(actor: Actor, networkId: string, ideaId: string, input: unknown): Promise<{ idea: Idea; measureId: string }> {
	const idea = await loadModeratedIdea(actor, networkId, ideaId);
	checkMove(actor, idea, { to: 'measure' });
	const obj = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
	const conceptId = String(obj.conceptId ?? '').trim();
	if (!conceptId) throw new ValidationError({ conceptId: 'ideas.mod.conceptRequired' });
	const [concept] = isUuid(conceptId)
		? await db()
				.select({ id: concepts.id, bodyId: concepts.bodyId })
				.from(concepts)
				.where(and(eq(concepts.id, conceptId), eq(concepts.networkId, networkId)))
		: [];
	if (!concept || !(await measureBodyIds(networkId, idea)).includes(concept.bodyId)) throw new ValidationError({ conceptId: 'ideas.mod.conceptInvalid' });
	// The concept's first field of the idea's theme, if it has one.
	const [field] = await db()
		.select({ id: fieldsOfAction.id })
		.from(fieldsOfAction)
		.where(and(eq(fieldsOfAction.conceptId, concept.id), eq(fieldsOfAction.theme, idea.theme)))
		.orderBy(fieldsOfAction.position)
		.limit(1);
	const slug = await networkSlug(networkId);
	const origin = new URL(`/${slug}/ideen/${idea.id}`, config.origin).toString();
	return db().transaction(async (tx) => {
		const locked = await loadIdea(tx, networkId, ideaId, true);
		if (!canModerateIdea(actor, locked)) throw new ForbiddenError();
		checkMove(actor, locked, { to: 'measure' });
		const measure = await createMeasure(
			actor,
			networkId,
			concept.id,
			{
				code: String(obj.code ?? ''),
				title: locked.title,
				description: `${locked.body}\n\nAus einer Idee aus der Bürgerbeteiligung: ${origin}`,
				fieldId: field?.id ?? '',
				status: 'idea',
				priority: 'medium',
				progress: '0',
				isPublic: 'on'
			},
			{ tx }
		);
		const after = await applyMove(actor, networkId, ideaId, { to: 'measure', measureId: measure.id, measureTitle: measure.title }, undefined, tx);
		return { idea: after, measureId: measure.id };
	});
}

/** Coordinator only: a merged idea or one turned into a measure goes back to published. */
export async function reopenIdea(actor: Actor, networkId: string, ideaId: string): Promise<Idea> {
	const idea = await loadModeratedIdea(actor, networkId, ideaId);
	checkMove(actor, idea, { to: 'published', reopen: true });
	return applyMove(actor, networkId, ideaId, { to: 'published', reopen: true });
}

// ---- queue --------------------------------------------------------------------------------

export interface QueueFilter {
	state: IdeaState | null;
	bodyId: string | null;
}

/** ?status=<state>&kommune=<body id>; the queue opens on pending ideas. */
export function queueFilterFromUrl(url: URL): QueueFilter {
	const state = url.searchParams.get('status') ?? 'pending';
	const bodyId = url.searchParams.get('kommune') ?? '';
	return {
		state: (IDEA_STATES as readonly string[]).includes(state) ? (state as IdeaState) : null,
		bodyId: isUuid(bodyId) ? bodyId : null
	};
}

function scope(actor: Actor, networkId: string): SQL | undefined {
	const ids = moderatedBodyIds(actor, networkId);
	if (ids !== null && !ids.length) throw new ForbiddenError();
	return ids === null ? undefined : inArray(ideas.bodyId, ids);
}

/** Ideas of the municipalities the actor moderates, oldest pending first. */
export async function listQueue(actor: Actor, networkId: string, filter: QueueFilter, opts: { page?: number; pageSize?: number } = {}) {
	const own = scope(actor, networkId);
	const { page, pageSize, offset } = pageOpts(opts, 25, 100);
	const cond = and(eq(ideas.networkId, networkId), own, filter.state ? eq(ideas.state, filter.state) : undefined, filter.bodyId ? eq(ideas.bodyId, filter.bodyId) : undefined);
	// Pending ideas wait longest first; decided ones show the latest decision first.
	const order = filter.state === 'pending' ? [asc(ideas.createdAt), asc(ideas.id)] : [desc(ideas.updatedAt), asc(ideas.id)];
	const [items, [{ total }]] = await Promise.all([
		db()
			.select({
				id: ideas.id,
				title: ideas.title,
				state: ideas.state,
				theme: ideas.theme,
				bodyName: bodies.name,
				authorName: ideas.authorName,
				supportCount: ideas.supportCount,
				createdAt: ideas.createdAt,
				hasPhoto: sql<boolean>`${ideas.photoFileId} is not null`
			})
			.from(ideas)
			.innerJoin(bodies, eq(bodies.id, ideas.bodyId))
			.where(cond)
			.orderBy(...order)
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(ideas).where(cond)
	]);
	return { items, total, page, pageSize };
}

/** Ideas per state in the actor's municipalities (the overview and the queue's filter). */
export async function queueCounts(actor: Actor, networkId: string): Promise<Record<IdeaState, number>> {
	const own = scope(actor, networkId);
	const rows = await db()
		.select({ state: ideas.state, n: sql<number>`count(*)::int` })
		.from(ideas)
		.where(and(eq(ideas.networkId, networkId), own))
		.groupBy(ideas.state);
	const out = Object.fromEntries(IDEA_STATES.map((s) => [s, 0])) as Record<IdeaState, number>;
	for (const r of rows) out[r.state] = r.n;
	return out;
}

/** The bodies the actor moderates (for the queue's town filter). */
export async function moderatedBodies(actor: Actor, networkId: string) {
	const ids = moderatedBodyIds(actor, networkId);
	if (ids !== null && !ids.length) throw new ForbiddenError();
	return db()
		.select({ id: bodies.id, name: bodies.name })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), ids === null ? undefined : inArray(bodies.id, ids)))
		.orderBy(bodies.name)
		.limit(1000);
}

// ---- what the moderation page offers --------------------------------------------------------

/** Published ideas of the network the idea may be merged into (optionally searched by title). */
export async function mergeTargets(actor: Actor, networkId: string, idea: Idea, q = '') {
	if (!canModerateIdea(actor, idea)) throw new ForbiddenError();
	const term = q.trim().slice(0, 100);
	return db()
		.select({ id: ideas.id, title: ideas.title, bodyName: bodies.name, supportCount: ideas.supportCount })
		.from(ideas)
		.innerJoin(bodies, eq(bodies.id, ideas.bodyId))
		.where(
			and(
				eq(ideas.networkId, networkId),
				eq(ideas.state, 'published'),
				ne(ideas.id, idea.id),
				term ? ilike(ideas.title, likePattern(term)) : undefined
			)
		)
		// Ideas of the same town first: that is where duplicates are.
		.orderBy(sql`${ideas.bodyId} = ${idea.bodyId} desc`, desc(ideas.publishedAt), asc(ideas.id))
		.limit(100);
}

/**
 * Measures and concepts the idea may become part of (its municipality's and the district's), for
 * linking or creating a measure. Only public measures to link (see linkIdeaToMeasure); new
 * measures only in concepts the actor may edit.
 */
export async function measureOptions(actor: Actor, networkId: string, idea: Idea) {
	if (!canModerateIdea(actor, idea)) throw new ForbiddenError();
	const ids = await measureBodyIds(networkId, idea);
	const [measureRows, conceptRows] = await Promise.all([
		db()
			.select({ id: measures.id, code: measures.code, title: measures.title, isPublic: measures.isPublic, bodyName: bodies.name })
			.from(measures)
			.innerJoin(bodies, eq(bodies.id, measures.bodyId))
			.where(and(eq(measures.networkId, networkId), inArray(measures.bodyId, ids), eq(measures.isPublic, true)))
			// The idea's own town first.
			.orderBy(sql`${measures.bodyId} = ${idea.bodyId} desc`, measures.code, measures.id)
			.limit(1000),
		db()
			.select({ id: concepts.id, title: concepts.title, bodyId: concepts.bodyId, bodyName: bodies.name })
			.from(concepts)
			.innerJoin(bodies, eq(bodies.id, concepts.bodyId))
			.where(and(eq(concepts.networkId, networkId), inArray(concepts.bodyId, ids)))
			.orderBy(sql`${concepts.bodyId} = ${idea.bodyId} desc`, concepts.title)
			.limit(200)
	]);
	return {
		measures: measureRows,
		concepts: conceptRows.filter((c) => canMeasure(actor, 'measure.edit', { networkId, bodyId: c.bodyId }))
	};
}

/** A free measure code for the form's suggestion: "B-<n>" after the highest B-number in use. */
export async function suggestMeasureCode(networkId: string, conceptId: string | undefined): Promise<string> {
	if (!conceptId) return 'B-1';
	const rows = await db()
		.select({ code: measures.code })
		.from(measures)
		.where(and(eq(measures.networkId, networkId), eq(measures.conceptId, conceptId), ilike(measures.code, 'B-%')))
		.limit(1000);
	const max = rows.reduce((n, r) => Math.max(n, Number(/^B-(\d+)$/i.exec(r.code)?.[1] ?? 0)), 0);
	return `B-${max + 1}`;
}

