// Who is acting: resolved once per request from the session, passed to every service call.
import { and, eq, isNull } from 'drizzle-orm';
import { db } from '../db/client';
import { memberships, membershipBodies, networks, users } from '../db/schema';

export type NetworkRole = 'coordinator' | 'member' | 'partner' | 'citizen';

/** The roles of a network's working area (everyone but citizens): one list for every module's queries. */
export const WORKING_AREA_ROLES = ['coordinator', 'member', 'partner'] as const satisfies readonly NetworkRole[];

export interface NetworkMembership {
	networkId: string;
	slug: string;
	networkName: string;
	role: NetworkRole;
	/** Bodies (municipalities) a member represents. */
	bodyIds: string[];
}

export interface Actor {
	userId: string | null;
	name: string;
	email: string;
	isOperator: boolean;
	memberships: NetworkMembership[];
}

export const VISITOR: Actor = Object.freeze({
	userId: null,
	name: '',
	email: '',
	isOperator: false,
	memberships: []
}) as Actor;

export function membershipIn(actor: Actor, networkId: string): NetworkMembership | undefined {
	return actor.memberships.find((m) => m.networkId === networkId);
}

/** Loads the actor for a signed-in user id; deleted accounts act as visitors. */
export async function loadActor(userId: string): Promise<Actor> {
	const [u] = await db()
		.select()
		.from(users)
		.where(and(eq(users.id, userId), isNull(users.deletedAt)));
	if (!u) return VISITOR;
	const rows = await db()
		.select({
			id: memberships.id,
			networkId: memberships.networkId,
			slug: networks.slug,
			networkName: networks.name,
			role: memberships.role
		})
		.from(memberships)
		.innerJoin(networks, eq(networks.id, memberships.networkId))
		.where(eq(memberships.userId, userId));
	const bodyRows = rows.length
		? await db()
				.select({ membershipId: membershipBodies.membershipId, bodyId: membershipBodies.bodyId })
				.from(membershipBodies)
				.innerJoin(memberships, eq(memberships.id, membershipBodies.membershipId))
				.where(eq(memberships.userId, userId))
		: [];
	return {
		userId: u.id,
		name: u.name,
		email: u.email,
		isOperator: u.isOperator,
		memberships: rows.map((r) => ({
			networkId: r.networkId,
			slug: r.slug,
			networkName: r.networkName,
			role: r.role,
			bodyIds: bodyRows.filter((b) => b.membershipId === r.id).map((b) => b.bodyId)
		}))
	};
}
