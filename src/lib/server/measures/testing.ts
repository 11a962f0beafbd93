// Test fixtures of the measures module: a network with two towns, their members, a coordinator,
// a concept with fields of action. Used by the module's service tests.
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { addField, createConcept } from './concepts';
import { createMeasure } from './measures';
import type { Actor } from '../auth/actor';

export async function measureWorld() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Halberstadt');
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const otherMember = await makeActor(network.id, 'member', [other.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const concept = await createConcept(member, network.id, town.id, { title: 'Integriertes Klimaschutzkonzept', kind: 'integrated', targetYear: '2045' });
	const energy = await addField(member, network.id, concept.id, { name: 'Energieversorgung', theme: 'energy', color: '#1b6e3a' });
	const mobility = await addField(member, network.id, concept.id, { name: 'Mobilität', theme: 'mobility', color: '#8a4a00' });
	const otherConcept = await createConcept(otherMember, network.id, other.id, { title: 'Klimaschutzkonzept Halberstadt', kind: 'integrated' });
	const otherEnergy = await addField(otherMember, network.id, otherConcept.id, { name: 'Energie', theme: 'energy', color: '#225588' });
	return { network, town, other, coordinator, member, otherMember, partner, citizen, concept, energy, mobility, otherConcept, otherEnergy };
}

/** Minimal valid form input for a measure; override what a test is about. */
export function measureInput(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
	return { code: 'M-1', title: 'PV auf dem Rathausdach', status: 'planned', priority: 'medium', progress: '0', ...over };
}

export async function makeMeasure(actor: Actor, networkId: string, conceptId: string, over: Record<string, string | string[]> = {}) {
	return createMeasure(actor, networkId, conceptId, measureInput(over));
}
