// Test fixtures of the funding module: a network with two towns, every role, a programme with two
// windows and a person to name as contact. Used by the module's service tests.
import { db } from '../db/client';
import { people } from '../db/schema';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import type { Actor } from '../auth/actor';
import { addWindow, createProgramme } from './programmes';
import { createApplication } from './applications';

export function programmeInput(over: Record<string, string> = {}): Record<string, string> {
	return {
		title: 'Kommunalrichtlinie – Klimaschutzkonzept',
		funder: 'ZUG',
		measureNumber: '4.1.8',
		ratePercent: '70',
		rateWeakPercent: '90',
		eligibleCosts: 'Personal',
		eligibility: '- Erstvorhaben 24 Monate',
		url: 'https://example.org/krl',
		sourceNote: 'Fassung vom 10.10.2024',
		...over
	};
}

export async function fundingWorld() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Halberstadt');
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const otherMember = await makeActor(network.id, 'member', [other.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const programme = await createProgramme(coordinator, network.id, programmeInput());
	const early = await addWindow(coordinator, network.id, programme.id, { opensOn: '2030-01-01', closesOn: '2030-03-31', note: 'Erstes Fenster' });
	const late = await addWindow(coordinator, network.id, programme.id, { opensOn: '', closesOn: '2030-09-30', note: '' });
	const [contact] = await db().insert(people).values({ networkId: network.id, bodyId: town.id, name: 'Klara Klimaschutz' }).returning();
	return { network, town, other, coordinator, member, otherMember, partner, citizen, programme, early, late, contact };
}

export function applicationInput(programmeId: string, bodyId: string, over: Record<string, string> = {}): Record<string, string> {
	return { programmeId, bodyId, title: 'Erstvorhaben', state: 'considering', windowId: '', requestedEur: '', grantedEur: '', submittedOn: '', decidedOn: '', contactPersonId: '', note: '', ...over };
}

export async function makeApplication(actor: Actor, networkId: string, programmeId: string, bodyId: string, over: Record<string, string> = {}) {
	return createApplication(actor, networkId, applicationInput(programmeId, bodyId, over));
}
