// Memberships: who has which role in a network, and which bodies a member represents.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../db/client';
import { bodies, memberships, membershipBodies, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canNetwork } from './permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { parseForm } from '../validation';
import { isUuid } from '../ids';
import { pageOpts } from '../paging';
import type { Tx } from '../db/client';

export async function listMembers(actor: Actor, networkId: string, opts: { page?: number; pageSize?: number } = {}) {
	if (!canNetwork(actor, 'network.enter', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(opts, 50);
	const where = and(eq(memberships.networkId, networkId), inArray(memberships.role, ['coordinator', 'member', 'partner']));
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({ id: memberships.id, role: memberships.role, userId: users.id, name: users.name, email: users.email, deletedAt: users.deletedAt })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(where)
			.orderBy(asc(users.name))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(memberships).where(where)
	]);
	const ids = rows.map((r) => r.id);
	const bodyRows = ids.length
		? await db()
				.select({ membershipId: membershipBodies.membershipId, name: bodies.name, id: bodies.id })
				.from(membershipBodies)
				.innerJoin(bodies, eq(bodies.id, membershipBodies.bodyId))
				.where(and(eq(membershipBodies.networkId, networkId), inArray(membershipBodies.membershipId, ids)))
		: [];
	return {
		page,
		pageSize,
		total,
		items: rows.map((r) => ({
			...r,
			bodies: bodyRows.filter((b) => b.membershipId === r.id).map((b) => ({ id: b.id, name: b.name }))
		}))
	};
}

const changeRoleSchema = z.object({ role: z.enum(['coordinator', 'member', 'partner'], { error: 'invitation.role' }) });

export async function changeMemberRole(actor: Actor, networkId: string, membershipId: string, input: unknown) {
	if (!canNetwork(actor, 'network.manageMembers', { networkId })) throw new ForbiddenError();
	const data = parseForm(changeRoleSchema, input);
	if (!isUuid(membershipId)) throw new NotFoundError();
	await db().transaction(async (tx) => {
		const before = await lockMembership(tx, networkId, membershipId);
		if (before.role === 'coordinator' && data.role !== 'coordinator') await ensureAnotherCoordinator(tx, networkId, membershipId);
		const [after] = await tx.update(memberships).set({ role: data.role }).where(eq(memberships.id, membershipId)).returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'membership', recordId: membershipId, before, after });
	});
}

export async function removeMember(actor: Actor, networkId: string, membershipId: string) {
	if (!canNetwork(actor, 'network.manageMembers', { networkId })) throw new ForbiddenError();
	if (!isUuid(membershipId)) throw new NotFoundError();
	await db().transaction(async (tx) => {
		const before = await lockMembership(tx, networkId, membershipId);
		if (before.role === 'coordinator') await ensureAnotherCoordinator(tx, networkId, membershipId);
		await tx.delete(memberships).where(eq(memberships.id, membershipId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'membership', recordId: membershipId, before });
	});
}

/** Loads a membership of this network for update; another network's id is not found. */
async function lockMembership(tx: Tx, networkId: string, membershipId: string) {
	const [row] = await tx
		.select()
		.from(memberships)
		.where(and(eq(memberships.id, membershipId), eq(memberships.networkId, networkId)))
		.for('update');
	if (!row) throw new NotFoundError();
	return row;
}

/** A network must keep at least one coordinator, or nobody could manage it any more. */
export async function ensureAnotherCoordinator(tx: Tx, networkId: string, exceptId: string, errorKey = 'members.lastCoordinator') {
	// Lock every coordinator row first: two coordinators demoting each other at the same moment
	// must not both see the other one still in office.
	const rows = await tx
		.select({ id: memberships.id })
		.from(memberships)
		.where(and(eq(memberships.networkId, networkId), eq(memberships.role, 'coordinator')))
		.for('update');
	const n = rows.filter((r) => r.id !== exceptId).length;
	if (n === 0) throw new ValidationError({ _form: errorKey });
}

/** Bodies to choose from when inviting a member (a district has at most a few hundred). */
export async function bodyChoices(actor: Actor, networkId: string) {
	if (!canNetwork(actor, 'network.manageMembers', { networkId })) throw new ForbiddenError();
	return db()
		.select({ id: bodies.id, name: bodies.name })
		.from(bodies)
		.where(eq(bodies.networkId, networkId))
		.orderBy(asc(bodies.name))
		.limit(1000);
}
