// Invitations: one-time, expiring links by which coordinators (and the operator, for a network's
// first coordinator) bring people into a network with a role.
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, invitations, memberships, membershipBodies, networks, people, users } from '../db/schema';
import type { Actor, NetworkRole } from '../auth/actor';
import { canNetwork, canOperate } from './permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { email, optionalText, parseForm } from '../validation';
import { isUuid } from '../ids';
import { pageOpts } from '../paging';
import { config } from '../config';
import { enqueue } from '../jobs';
import { invitationMail } from '../mail/templates';
import { formatDate, translate } from '$lib/i18n';

export const INVITATION_DAYS = 7;

const ROLE_RANK: Record<NetworkRole, number> = { citizen: 0, partner: 1, member: 2, coordinator: 3 };

const invitationSchema = z
	.object({
		email,
		name: optionalText(200),
		role: z.enum(['coordinator', 'member', 'partner'], { error: 'invitation.role' }),
		bodyIds: z
			.union([z.string(), z.array(z.string())])
			.optional()
			.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''))
	})
	.refine((v) => v.role !== 'member' || v.bodyIds.length > 0, {
		path: ['bodyIds'],
		error: 'invitation.bodyRequired'
	});

export function hashToken(token: string) {
	return createHash('sha256').update(token).digest('hex');
}

export function invitationUrl(token: string) {
	return `${config.origin}/einladung/${token}`;
}

export interface CreatedInvitation {
	id: string;
	email: string;
	url: string;
	expiresAt: Date;
}

/** Coordinators invite members and partners; the operator invites a network's coordinators. */
/** `opts.tx`: run inside the caller's transaction (setUpNetwork), else in its own. */
export async function createInvitation(actor: Actor, networkId: string, input: unknown, opts: { tx?: Tx } = {}): Promise<CreatedInvitation> {
	const data = parseForm(invitationSchema, input);
	const allowed =
		canNetwork(actor, 'network.manageMembers', { networkId }) ||
		(data.role === 'coordinator' && canOperate(actor, 'networks.create'));
	if (!allowed) throw new ForbiddenError();
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000);
	const write = async (tx: Tx) => {
		// Locking the network row serialises invitations of one network, so a double submit
		// can't pass the "already pending" check twice.
		const [network] = await tx.select().from(networks).where(eq(networks.id, networkId)).for('update');
		if (!network) throw new NotFoundError();
		if (data.bodyIds.some((id) => !isUuid(id))) throw new ValidationError({ bodyIds: 'invitation.bodyUnknown' });
		if (data.bodyIds.length) {
			const found = await tx
				.select({ id: bodies.id })
				.from(bodies)
				.where(and(eq(bodies.networkId, networkId), inArray(bodies.id, data.bodyIds)));
			if (found.length !== new Set(data.bodyIds).size) throw new ValidationError({ bodyIds: 'invitation.bodyUnknown' });
		}
		const [already] = await tx
			.select({ id: memberships.id, role: memberships.role })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(and(eq(memberships.networkId, networkId), eq(users.email, data.email)));
		if (already && already.role !== 'citizen') throw new ValidationError({ email: 'invitation.alreadyMember' });
		const [pending] = await tx
			.select({ id: invitations.id })
			.from(invitations)
			.where(
				and(
					eq(invitations.networkId, networkId),
					eq(invitations.email, data.email),
					isNull(invitations.acceptedAt),
					isNull(invitations.revokedAt),
					gt(invitations.expiresAt, new Date())
				)
			);
		if (pending) throw new ValidationError({ email: 'invitation.pending' });
		const [inv] = await tx
			.insert(invitations)
			.values({
				networkId,
				email: data.email,
				name: data.name,
				role: data.role,
				bodyIds: data.bodyIds,
				tokenHash: hashToken(token),
				expiresAt,
				invitedBy: actor.userId
			})
			.returning();
		const { tokenHash: _omit, ...safe } = inv;
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'invitation', recordId: inv.id, after: safe });
		// Queued in the same transaction: the mail goes out (with retries) exactly when the
		// invitation exists, and a slow or broken mail server never fails the request.
		await enqueue(
			'mail.send',
			invitationMail(data.email, {
				networkName: network.name,
				roleLabel: translate('de', `role.${data.role}`),
				inviterName: actor.name || 'Die Koordination',
				url: invitationUrl(token),
				expiresOn: formatDate(expiresAt, 'de')
			}),
			{},
			tx
		);
		return { inv, network };
	};
	const created = opts.tx ? await write(opts.tx) : await db().transaction(write);
	return { id: created.inv.id, email: data.email, url: invitationUrl(token), expiresAt };
}

export type InvitationState = 'valid' | 'expired' | 'used' | 'revoked';

export interface InvitationView {
	id: string;
	email: string;
	name: string;
	role: NetworkRole;
	state: InvitationState;
	expiresAt: Date;
	network: { id: string; slug: string; name: string };
}

/** Looks an invitation up by its token; null for unknown tokens. */
export async function findInvitation(token: string): Promise<InvitationView | null> {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const [row] = await db()
		.select({ inv: invitations, network: { id: networks.id, slug: networks.slug, name: networks.name } })
		.from(invitations)
		.innerJoin(networks, eq(networks.id, invitations.networkId))
		.where(eq(invitations.tokenHash, hashToken(token)));
	if (!row) return null;
	const { inv } = row;
	const state: InvitationState = inv.acceptedAt
		? 'used'
		: inv.revokedAt
			? 'revoked'
			: inv.expiresAt.getTime() <= Date.now()
				? 'expired'
				: 'valid';
	return { id: inv.id, email: inv.email, name: inv.name, role: inv.role, state, expiresAt: inv.expiresAt, network: row.network };
}

/**
 * Accepts an invitation for a signed-in user: claims it atomically (so a link works once), then
 * grants the role. A citizen of the network is promoted; bodies are added to a member's list.
 */
export async function acceptInvitation(token: string, userId: string): Promise<{ networkSlug: string }> {
	return db().transaction(async (tx) => {
		const [inv] = await tx
			.update(invitations)
			.set({ acceptedAt: new Date(), acceptedBy: userId })
			.where(
				and(
					eq(invitations.tokenHash, hashToken(token)),
					isNull(invitations.acceptedAt),
					isNull(invitations.revokedAt),
					gt(invitations.expiresAt, new Date())
				)
			)
			.returning();
		if (!inv) throw new ValidationError({ _form: 'invitation.invalid' });
		const [u] = await tx.select().from(users).where(eq(users.id, userId));
		if (!u || u.deletedAt) throw new ValidationError({ _form: 'invitation.invalid' });
		if (u.email.toLowerCase() !== inv.email.toLowerCase()) throw new ValidationError({ _form: 'invitation.otherAccount' });
		const [existing] = await tx
			.select()
			.from(memberships)
			.where(and(eq(memberships.networkId, inv.networkId), eq(memberships.userId, userId)));
		let membershipId: string;
		if (existing) {
			membershipId = existing.id;
			// Accepting raises a role (citizen → member), never lowers one.
			if (ROLE_RANK[inv.role] > ROLE_RANK[existing.role]) {
				await tx.update(memberships).set({ role: inv.role }).where(eq(memberships.id, existing.id));
			}
		} else {
			const [m] = await tx.insert(memberships).values({ networkId: inv.networkId, userId, role: inv.role }).returning();
			membershipId = m.id;
		}
		if (inv.bodyIds.length) {
			await tx
				.insert(membershipBodies)
				.values(inv.bodyIds.map((bodyId) => ({ membershipId, bodyId, networkId: inv.networkId })))
				.onConflictDoNothing();
		}
		if (!u.emailVerified) await tx.update(users).set({ emailVerified: true }).where(eq(users.id, userId));
		// The directory may already list the person (e.g. the seeded managers): link that entry to the
		// new account, so they can keep their own profile up to date.
		const linked = await tx
			.update(people)
			.set({ userId })
			.where(and(eq(people.networkId, inv.networkId), sql`lower(${people.email}) = ${inv.email.toLowerCase()}`, isNull(people.userId)))
			.returning({ id: people.id });
		const actor: Actor = { userId, name: u.name, email: u.email, isOperator: u.isOperator, memberships: [] };
		for (const p of linked) {
			await recordChange(tx, actor, { networkId: inv.networkId, action: 'update', recordType: 'person', recordId: p.id, before: { linkedAccount: false }, after: { linkedAccount: true } });
		}
		await recordChange(tx, actor, {
			networkId: inv.networkId,
			action: existing ? 'update' : 'create',
			recordType: 'membership',
			recordId: membershipId,
			before: existing ? { role: existing.role } : null,
			after: { role: inv.role, bodyIds: inv.bodyIds, invitationId: inv.id }
		});
		const [n] = await tx.select({ slug: networks.slug }).from(networks).where(eq(networks.id, inv.networkId));
		return { networkSlug: n.slug };
	});
}

export async function listInvitations(actor: Actor, networkId: string, opts: { page?: number } = {}) {
	if (!canNetwork(actor, 'network.manageMembers', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(opts, 25);
	const where = eq(invitations.networkId, networkId);
	const [items, [{ total }]] = await Promise.all([
		db()
			.select({
				id: invitations.id,
				email: invitations.email,
				name: invitations.name,
				role: invitations.role,
				expiresAt: invitations.expiresAt,
				acceptedAt: invitations.acceptedAt,
				revokedAt: invitations.revokedAt,
				createdAt: invitations.createdAt
			})
			.from(invitations)
			.where(where)
			.orderBy(desc(invitations.createdAt))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(invitations).where(where)
	]);
	return { items, total, page, pageSize };
}

export async function revokeInvitation(actor: Actor, networkId: string, invitationId: string) {
	if (!canNetwork(actor, 'network.manageMembers', { networkId })) throw new ForbiddenError();
	if (!isUuid(invitationId)) throw new NotFoundError();
	await db().transaction(async (tx) => {
		const [inv] = await tx
			.update(invitations)
			.set({ revokedAt: new Date() })
			.where(and(eq(invitations.id, invitationId), eq(invitations.networkId, networkId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
			.returning({ id: invitations.id });
		if (!inv) throw new NotFoundError();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'invitation', recordId: inv.id, before: { revoked: false }, after: { revoked: true } });
	});
}
