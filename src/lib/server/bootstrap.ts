// First start of an installation: the Harz demo network with a coordinator account, and accounts
// created from the command line. No password exists anywhere: people sign in by one-time link.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { db } from './db/client';
import { memberships, networks, users } from './db/schema';
import { loadActor, type Actor } from './auth/actor';
import { loadHarzDemo } from './network/demo/harz';
import { recordChange } from './audit/service';
import { seedMeasuresDemo } from './measures/demo';
import { seedPledgesDemo } from './participation/pledges-demo';
import { seedIdeasDemo } from './participation/ideas-demo';
import { seedCommentsDemo } from './participation/comments-demo';
import { seedBalanceDemo } from './balance/demo';
import { seedOffersDemo } from './offers/demo';
import { seedFundingDemo } from './funding/demo';
import { seedMeetingsDemo } from './meetings/demo';
import { seedActivitiesDemo } from './activities/demo';
import { seedExchangeDemo } from './exchange/demo';

/** Acts for the installation itself (seed, CLI); audit entries show no person. */
export const SYSTEM: Actor = { userId: null, name: 'Klimanetz', email: '', isOperator: true, memberships: [] };

export const DEMO_COORDINATOR_EMAIL = 'koordination@harz.klimanetz.example';

export async function isEmpty(): Promise<boolean> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(networks);
	return n === 0;
}

/** Creates (or finds) an account by e-mail. Accounts made here have no password. */
export async function ensureUser(email: string, name: string, opts: { isOperator?: boolean } = {}) {
	const normalised = email.trim().toLowerCase();
	const [existing] = await db().select().from(users).where(and(eq(users.email, normalised), isNull(users.deletedAt)));
	if (existing) {
		if (opts.isOperator && !existing.isOperator) await db().update(users).set({ isOperator: true }).where(eq(users.id, existing.id));
		return existing.id;
	}
	const id = randomUUID();
	await db().insert(users).values({ id, email: normalised, name, emailVerified: true, isOperator: !!opts.isOperator });
	return id;
}

/** Loads the Harz demo and makes its coordinator; returns the coordinator's e-mail. */
export async function seedDemo(): Promise<{ email: string; networkSlug: string }> {
	const { networkId } = await loadHarzDemo(SYSTEM);
	// The person who starts a local demo also operates it, so the operator page can be tried.
	const userId = await ensureUser(DEMO_COORDINATOR_EMAIL, 'Koordination Harz (Demo)', { isOperator: true });
	await db().transaction(async (tx) => {
		const [m] = await tx
			.insert(memberships)
			.values({ networkId, userId, role: 'coordinator' })
			.onConflictDoNothing()
			.returning();
		if (m) await recordChange(tx, SYSTEM, { networkId, action: 'create', recordType: 'membership', recordId: m.id, after: { role: 'coordinator' } });
	});
	// Example concepts and measures, entered as the demo coordinator (skipped if concepts exist).
	await seedMeasuresDemo(await loadActor(userId), networkId);
	await seedPledgesDemo(await loadActor(userId), networkId);
	await seedIdeasDemo(await loadActor(userId), networkId);
	await seedCommentsDemo(networkId);
	await seedBalanceDemo(await loadActor(userId), networkId);
	// Offers: example offers with assessments of several towns (skipped if the network has offers).
	await seedOffersDemo(await loadActor(userId), networkId);
	// Funding: the Kommunalrichtlinie 4.1.8, two demo programmes, applications of four towns (after the measures they link to).
	await seedFundingDemo(await loadActor(userId), networkId);
	// Meetings: Halberstadt (April) and Osterwieck (June) with minutes and follow-ups, the next one in Quedlinburg (skipped if demo meetings exist).
	await seedMeetingsDemo(await loadActor(userId), networkId);
	// Joint activities: two of Harz towns with tasks (skipped if the network has demo activities).
	await seedActivitiesDemo(await loadActor(userId), networkId);
	// Exchange: the default topics and four discussions among the demo accounts (skipped if the network has threads).
	await seedExchangeDemo(await loadActor(userId), networkId);
	return { email: DEMO_COORDINATOR_EMAIL, networkSlug: 'harz' };
}
