// Supports: one per person and idea (the primary key of idea_supports says so, whatever the
// timing of two clicks). ideas.support_count moves in the same transaction, so lists can sort by it.
import { and, eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import type { Actor } from '../auth/actor';
import { ForbiddenError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { limitPosting } from './abuse';
import { requireParticipant } from './participant';
import { ideas, ideaSupports } from './schema';
import { loadIdea, loadVisibleIdea } from './ideas';

/** Supports are collected while an idea is open for discussion (published), not after moderation closed it. */
export async function supportIdea(actor: Actor, networkId: string, ideaId: string, who: { ip: string }): Promise<number> {
	const participant = await requireParticipant(actor);
	const idea = await loadVisibleIdea(actor, networkId, ideaId);
	if (idea.state !== 'published') throw new ValidationError({ _form: 'ideas.support.closed' });
	await limitPosting('support', { userId: participant.userId, ip: who.ip });
	return db().transaction(async (tx) => {
		const added = await tx.insert(ideaSupports).values({ ideaId, userId: participant.userId }).onConflictDoNothing().returning({ ideaId: ideaSupports.ideaId });
		if (!added.length) throw new ValidationError({ _form: 'ideas.support.already' });
		const [row] = await tx
			.update(ideas)
			.set({ supportCount: sql`${ideas.supportCount} + 1` })
			.where(and(eq(ideas.id, ideaId), eq(ideas.networkId, networkId)))
			.returning({ n: ideas.supportCount });
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'idea_support', recordId: ideaId });
		return row.n;
	});
}

/**
 * Withdrawing is always possible for one's own support, whatever became of the idea since (merged,
 * a measure, or rejected after publication, when nobody else sees it any more). Only the idea's
 * network is checked: the support row itself is the permission.
 */
export async function withdrawSupport(actor: Actor, networkId: string, ideaId: string): Promise<number> {
	if (!actor.userId) throw new ForbiddenError('participation.signed_out');
	const userId = actor.userId;
	return db().transaction(async (tx) => {
		// Only that the idea is in this network: not whether the person may still see it.
		await loadIdea(tx, networkId, ideaId);
		const removed = await tx
			.delete(ideaSupports)
			.where(and(eq(ideaSupports.ideaId, ideaId), eq(ideaSupports.userId, userId)))
			.returning({ ideaId: ideaSupports.ideaId });
		if (!removed.length) throw new ValidationError({ _form: 'ideas.support.none' });
		const [row] = await tx
			.update(ideas)
			.set({ supportCount: sql`greatest(${ideas.supportCount} - 1, 0)` })
			.where(and(eq(ideas.id, ideaId), eq(ideas.networkId, networkId)))
			.returning({ n: ideas.supportCount });
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'idea_support', recordId: ideaId });
		return row.n;
	});
}

/** The stored count and the rows agree (for tests and repair). */
export async function countSupports(networkId: string, ideaId: string): Promise<{ stored: number; rows: number }> {
	const idea = await loadIdea(db(), networkId, ideaId);
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(ideaSupports).where(eq(ideaSupports.ideaId, ideaId));
	return { stored: idea.supportCount, rows: n };
}
