// Test data: real rows in the test database, and the Actor the app would load for them.
import { randomUUID } from 'node:crypto';
import { db } from '../db/client';
import { bodies, memberships, membershipBodies, networks, users } from '../db/schema';
import { loadActor, type Actor, type NetworkRole } from '../auth/actor';

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function makeNetwork(slug = `n-${unique()}`) {
	const [n] = await db().insert(networks).values({ slug, name: `Netzwerk ${slug}` }).returning();
	return n;
}

export async function makeBody(networkId: string, name = `Gemeinde ${unique()}`) {
	const ags = String(15000000 + Math.floor(Math.random() * 999999)).padStart(8, '0');
	const [b] = await db().insert(bodies).values({ networkId, ags, name, kind: 'gemeinde' }).returning();
	return b;
}

export async function makeUser(opts: { email?: string; name?: string; isOperator?: boolean } = {}) {
	const id = randomUUID();
	const email = opts.email ?? `p-${unique()}@example.org`;
	await db().insert(users).values({ id, email, name: opts.name ?? `Person ${id.slice(0, 4)}`, emailVerified: true, isOperator: !!opts.isOperator });
	return { id, email };
}

/** A user with a role in a network (and, for members, the given bodies), loaded as the app would. */
export async function makeActor(networkId: string | null, role: NetworkRole | 'operator', bodyIds: string[] = []): Promise<Actor> {
	const u = await makeUser({ isOperator: role === 'operator' });
	if (networkId && role !== 'operator') {
		const [m] = await db().insert(memberships).values({ networkId, userId: u.id, role }).returning();
		if (bodyIds.length) await db().insert(membershipBodies).values(bodyIds.map((bodyId) => ({ membershipId: m.id, bodyId, networkId })));
	}
	return loadActor(u.id);
}
