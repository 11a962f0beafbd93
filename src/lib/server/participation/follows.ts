// Following ideas and public measures: a participant gets an e-mail when the thing they follow
// changes (see notify.ts). Only what the participant may read can be followed.
import { and, count, desc, eq, inArray, or } from 'drizzle-orm';
import type { Actor } from '../auth/actor';
import { db, type Db, type Tx } from '../db/client';
import { measures } from '../measures/schema';
import { follows, ideas } from './schema';
import { participantState, requireParticipant, type ParticipantState } from './participant';
import { recordChange } from '../audit/service';
import { NotFoundError, ValidationError } from '../errors';
import { pageOpts } from '../paging';
import { networks } from '../network/schema';
import { isUuid } from '../ids';
import type { FollowTarget } from './notify';
import { VISIBLE_STATES } from './ideas';

export interface FollowState {
	target: { type: 'idea' | 'measure'; id: string };
	following: boolean;
	participant: ParticipantState;
}

/** Parses a target from form fields; bad input is a validation error, not a crash. */
export function parseTarget(type: unknown, id: unknown, networkId: string): FollowTarget {
	if ((type !== 'idea' && type !== 'measure') || !isUuid(id)) {
		throw new ValidationError({ _form: 'citizen.follow.badTarget' });
	}
	return { type, id, networkId };
}

/** Throws NotFoundError unless the actor may read the target (within the target's network). */
async function assertReadable(tx: Db | Tx, actor: Actor, t: FollowTarget) {
	if (!isUuid(t.id)) throw new NotFoundError();
	if (t.type === 'measure') {
		const [m] = await tx
			.select({ id: measures.id })
			.from(measures)
			.where(and(eq(measures.id, t.id), eq(measures.networkId, t.networkId), eq(measures.isPublic, true)));
		if (!m) throw new NotFoundError();
		return;
	}
	// Anyone reads the ideas the public sees; the author reads their own idea in any state.
	const visible = inArray(ideas.state, [...VISIBLE_STATES]);
	const readable = actor.userId ? or(visible, eq(ideas.authorId, actor.userId)) : visible;
	const [i] = await tx
		.select({ id: ideas.id })
		.from(ideas)
		.where(and(eq(ideas.id, t.id), eq(ideas.networkId, t.networkId), readable));
	if (!i) throw new NotFoundError();
}

/** What the follow button shows. The page calling it has already checked the target is readable. */
export async function followState(actor: Actor, target: FollowTarget): Promise<FollowState> {
	const participant = await participantState(actor);
	let following = false;
	if (actor.userId) {
		const [row] = await db()
			.select({ userId: follows.userId })
			.from(follows)
			.where(and(eq(follows.userId, actor.userId), eq(follows.targetType, target.type), eq(follows.targetId, target.id)));
		following = !!row;
	}
	return { target: { type: target.type, id: target.id }, following, participant };
}

export async function follow(actor: Actor, target: FollowTarget): Promise<void> {
	await db().transaction(async (tx) => {
		const p = await requireParticipant(actor, tx);
		await assertReadable(tx, actor, target);
		const inserted = await tx
			.insert(follows)
			.values({ userId: p.userId, networkId: target.networkId, targetType: target.type, targetId: target.id })
			.onConflictDoNothing()
			.returning({ userId: follows.userId });
		if (inserted.length) {
			await recordChange(tx, actor, {
				networkId: target.networkId,
				action: 'create',
				recordType: 'follow',
				recordId: target.id,
				after: { targetType: target.type }
			});
		}
	});
}

/**
 * Unfollowing needs a signed-in account only (no consent, no readability): whoever withdrew
 * consent, or follows something that has since been hidden, can still stop the mails.
 */
export async function unfollow(actor: Actor, target: Pick<FollowTarget, 'type' | 'id'>): Promise<void> {
	if (!actor.userId) throw new NotFoundError();
	const userId = actor.userId;
	await db().transaction(async (tx) => {
		const deleted = await tx
			.delete(follows)
			.where(and(eq(follows.userId, userId), eq(follows.targetType, target.type), eq(follows.targetId, target.id)))
			.returning({ networkId: follows.networkId });
		if (deleted.length) {
			await recordChange(tx, actor, {
				networkId: deleted[0].networkId,
				action: 'delete',
				recordType: 'follow',
				recordId: target.id,
				before: { targetType: target.type }
			});
		}
	});
}

export interface FollowedItem {
	type: 'idea' | 'measure';
	id: string;
	title: string;
	networkSlug: string;
	networkName: string;
	since: Date;
}

/** The actor's own follows, newest first, with the title of what they follow (for /konto). */
export async function listMyFollows(actor: Actor, opts: { page?: number; pageSize?: number } = {}) {
	if (!actor.userId) return { items: [] as FollowedItem[], total: 0, page: 1, pageSize: 20 };
	const { page, pageSize, offset } = pageOpts(opts, 20);
	const mine = eq(follows.userId, actor.userId);
	const [{ total }] = await db().select({ total: count() }).from(follows).where(mine);
	const rows = await db()
		.select({
			type: follows.targetType,
			id: follows.targetId,
			since: follows.createdAt,
			ideaTitle: ideas.title,
			measureTitle: measures.title,
			networkSlug: networks.slug,
			networkName: networks.name
		})
		.from(follows)
		.innerJoin(networks, eq(networks.id, follows.networkId))
		.leftJoin(ideas, and(eq(follows.targetType, 'idea'), eq(ideas.id, follows.targetId)))
		.leftJoin(measures, and(eq(follows.targetType, 'measure'), eq(measures.id, follows.targetId)))
		.where(mine)
		.orderBy(desc(follows.createdAt), follows.targetId)
		.limit(pageSize)
		.offset(offset);
	const items: FollowedItem[] = rows.map((r) => ({
		type: r.type === 'measure' ? 'measure' : 'idea',
		id: r.id,
		title: r.ideaTitle ?? r.measureTitle ?? '',
		networkSlug: r.networkSlug,
		networkName: r.networkName,
		since: r.since
	}));
	return { items, total, page, pageSize };
}
