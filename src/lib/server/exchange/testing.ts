// Test fixtures of the exchange: a network with the default topics and people in every role (with
// names that can be mentioned), and a second network with its own coordinator and topics.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { users } from '../auth/schema';
import { loadActor, type Actor } from '../auth/actor';
import { makeActor, makeNetwork } from '../testing/factories';
import { SYSTEM } from '../bootstrap';
import { listTopics, seedDefaultTopics } from './topics';
import { createThread } from './threads';

/** A user with a role and a given display name (for mentions). */
export async function makeNamed(networkId: string, role: 'coordinator' | 'member' | 'partner' | 'citizen', name: string): Promise<Actor> {
	const a = await makeActor(networkId, role);
	await db().update(users).set({ name }).where(eq(users.id, a.userId!));
	return loadActor(a.userId!);
}

export async function exchangeWorld() {
	const network = await makeNetwork();
	await db().transaction((tx) => seedDefaultTopics(tx, SYSTEM, network.id));
	const coordinator = await makeNamed(network.id, 'coordinator', 'Karla Koordinatorin');
	const member = await makeNamed(network.id, 'member', 'Anna Maria Schulz');
	const other = await makeNamed(network.id, 'member', 'Anna Maria');
	const partner = await makeNamed(network.id, 'partner', 'Paul Partner');
	const citizen = await makeNamed(network.id, 'citizen', 'Clara Bürgerin');
	const foreign = await makeNetwork();
	await db().transaction((tx) => seedDefaultTopics(tx, SYSTEM, foreign.id));
	const foreignCoordinator = await makeNamed(foreign.id, 'coordinator', 'Fritz Fremd');
	const topics = await listTopics(coordinator, network.id);
	const foreignTopics = await listTopics(foreignCoordinator, foreign.id);
	return { network, coordinator, member, other, partner, citizen, foreign, foreignCoordinator, topic: topics[0], topics, foreignTopic: foreignTopics[0] };
}

export type ExchangeWorld = Awaited<ReturnType<typeof exchangeWorld>>;

export async function makeThread(actor: Actor, networkId: string, topicId: string, over: Record<string, string> = {}) {
	return createThread(actor, networkId, { topicId, title: 'Erfahrungen mit PV auf denkmalgeschützten Dächern?', body: 'Wer hat schon eine Genehmigung bekommen?', ...over });
}
