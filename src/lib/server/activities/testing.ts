// Test fixtures of the activities module: a network with three towns, people in every role (one
// member for two towns), a person of the directory, and a second network with its coordinator.
import { db } from '../db/client';
import { people } from '../network/schema';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import type { Actor } from '../auth/actor';
import { createActivity } from './activities';

export async function activityWorld() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Halberstadt');
	const third = await makeBody(network.id, 'Osterwieck');
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const twoTowns = await makeActor(network.id, 'member', [town.id, other.id]);
	const otherMember = await makeActor(network.id, 'member', [other.id]);
	const thirdMember = await makeActor(network.id, 'member', [third.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const [person] = await db().insert(people).values({ networkId: network.id, bodyId: town.id, name: 'Klara Klimaschutz' }).returning();
	const foreign = await makeNetwork();
	const foreignTown = await makeBody(foreign.id, 'Magdeburg');
	const [foreignPerson] = await db().insert(people).values({ networkId: foreign.id, bodyId: foreignTown.id, name: 'Fremde Person' }).returning();
	const foreignCoordinator = await makeActor(foreign.id, 'coordinator');
	return { network, town, other, third, coordinator, member, twoTowns, otherMember, thirdMember, partner, citizen, person, foreign, foreignTown, foreignPerson, foreignCoordinator };
}

export type ActivityWorld = Awaited<ReturnType<typeof activityWorld>>;

/** Minimal valid form input for an activity; override what a test is about. */
export function activityInput(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
	return { title: 'Gemeinsame Beschaffung von LED-Straßenbeleuchtung', status: 'idea', proposerBodyId: '', ...over };
}

export async function makeActivity(actor: Actor, networkId: string, over: Record<string, string | string[]> = {}) {
	return createActivity(actor, networkId, activityInput(over));
}
