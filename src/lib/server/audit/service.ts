// The audit log: commands call recordChange inside their transaction; coordinators read it.
import { and, desc, eq, sql } from 'drizzle-orm';
import { db, type Db, type Tx } from '../db/client';
import { auditLog, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canNetwork } from '../network/permissions';
import { ForbiddenError } from '../errors';
import { currentRequestId } from '../log';
import { pageOpts } from '../paging';

export interface Change {
	networkId: string | null;
	action: 'create' | 'update' | 'delete' | string;
	recordType: string;
	recordId: string;
	before?: unknown;
	after?: unknown;
}

/** Keeps only what changed, so the log stays readable; secrets never enter it. */
function diff(before: unknown, after: unknown): { before: unknown; after: unknown } {
	if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return { before, after };
	const b: Record<string, unknown> = {};
	const a: Record<string, unknown> = {};
	const bo = before as Record<string, unknown>;
	const ao = after as Record<string, unknown>;
	for (const k of new Set([...Object.keys(bo), ...Object.keys(ao)])) {
		if (k === 'updatedAt') continue;
		if (JSON.stringify(bo[k]) !== JSON.stringify(ao[k])) {
			b[k] = bo[k];
			a[k] = ao[k];
		}
	}
	return { before: b, after: a };
}

export async function recordChange(tx: Db | Tx, actor: Actor, c: Change) {
	const d = c.action === 'update' ? diff(c.before, c.after) : { before: c.before ?? null, after: c.after ?? null };
	await tx.insert(auditLog).values({
		networkId: c.networkId,
		actorUserId: actor.userId,
		action: c.action,
		recordType: c.recordType,
		recordId: c.recordId,
		before: d.before ?? null,
		after: d.after ?? null,
		requestId: currentRequestId() ?? null
	});
}

export interface AuditEntry {
	id: number;
	action: string;
	recordType: string;
	recordId: string;
	before: unknown;
	after: unknown;
	createdAt: Date;
	/** Null when the account was deleted or the change came from the system. */
	actorName: string | null;
	actorDeleted: boolean;
}

export async function listAudit(
	actor: Actor,
	networkId: string,
	opts: { recordType?: string; recordId?: string; page?: number; pageSize?: number } = {}
): Promise<{ entries: AuditEntry[]; total: number; page: number; pageSize: number }> {
	if (!canNetwork(actor, 'network.readAudit', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(opts, 50, 200);
	const where = and(
		eq(auditLog.networkId, networkId),
		opts.recordType ? eq(auditLog.recordType, opts.recordType) : undefined,
		opts.recordId ? eq(auditLog.recordId, opts.recordId) : undefined
	);
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({
				id: auditLog.id,
				action: auditLog.action,
				recordType: auditLog.recordType,
				recordId: auditLog.recordId,
				before: auditLog.before,
				after: auditLog.after,
				createdAt: auditLog.createdAt,
				actorUserId: auditLog.actorUserId,
				name: users.name,
				deletedAt: users.deletedAt
			})
			.from(auditLog)
			.leftJoin(users, eq(users.id, auditLog.actorUserId))
			.where(where)
			.orderBy(desc(auditLog.createdAt), desc(auditLog.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where)
	]);
	return {
		page,
		pageSize,
		total,
		entries: rows.map((r) => ({
			id: r.id,
			action: r.action,
			recordType: r.recordType,
			recordId: r.recordId,
			before: r.before,
			after: r.after,
			createdAt: r.createdAt,
			actorName: r.deletedAt ? null : (r.name ?? null),
			actorDeleted: !!r.actorUserId && (!r.name || !!r.deletedAt)
		}))
	};
}
