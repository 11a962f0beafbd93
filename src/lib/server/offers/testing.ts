// Test fixtures of the offers module: a network with three towns, its people in every role (a
// partner user linked to a partner organisation, one without), and a second network.
import { db } from '../db/client';
import { partners, people } from '../network/schema';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import type { Actor } from '../auth/actor';
import { createOffer } from './offers';
import { assessOffer } from './assessments';

export async function offerWorld() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Halberstadt');
	const third = await makeBody(network.id, 'Quedlinburg');
	const [org] = await db().insert(partners).values({ networkId: network.id, name: 'Landesenergieagentur' }).returning();
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const twoTowns = await makeActor(network.id, 'member', [town.id, other.id]);
	const otherMember = await makeActor(network.id, 'member', [other.id]);
	const partner = await makeActor(network.id, 'partner');
	await db().insert(people).values({ networkId: network.id, partnerId: org.id, userId: partner.userId, name: 'Paula Partner' });
	const partnerNoOrg = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const foreign = await makeNetwork();
	const foreignTown = await makeBody(foreign.id, 'Magdeburg');
	const foreignCoordinator = await makeActor(foreign.id, 'coordinator');
	return { network, town, other, third, org, coordinator, member, twoTowns, otherMember, partner, partnerNoOrg, citizen, foreign, foreignTown, foreignCoordinator };
}

export type OfferWorld = Awaited<ReturnType<typeof offerWorld>>;

/** Minimal valid form input for an offer; override what a test is about. */
export function offerInput(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
	return { title: 'Energiesparberatung für Liegenschaften', provider: 'Beratung Harz GmbH', kind: 'consultancy', priceModel: 'one_off', ...over };
}

export async function makeOffer(actor: Actor, networkId: string, over: Record<string, string | string[]> = {}) {
	return createOffer(actor, networkId, offerInput(over));
}

/** Minimal valid assessment form input. */
export function assessmentInput(over: Record<string, string> = {}): Record<string, string> {
	return { effort: '3', benefit: '3', recommend: 'yes', assessedOn: '2024-05-01', replaces: '', ...over };
}

export async function assess(actor: Actor, networkId: string, offerId: string, over: Record<string, string> = {}) {
	return assessOffer(actor, networkId, offerId, assessmentInput(over));
}
