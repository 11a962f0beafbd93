// Test fixtures of the balance module: a network with a district and two towns, every role, and
// the example factors of one year. Used by the module's service tests.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies } from '../db/schema';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import type { Actor } from '../auth/actor';
import { saveFactors } from './factors';
import { saveBalance } from './balances';

export async function balanceWorld() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Halberstadt');
	const kreis = await makeBody(network.id, 'Landkreis Harz');
	await db().update(bodies).set({ kind: 'landkreis' }).where(eq(bodies.id, kreis.id));
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const otherMember = await makeActor(network.id, 'member', [other.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	// 2020: electricity 0,5 and natural gas 0,25 kg/kWh, easy to check by hand.
	await saveFactors(coordinator, network.id, 2020, { f_electricity: '0,5', f_natural_gas: '0,25', f_diesel: '0,32' });
	return { network, town, other, kreis, coordinator, member, otherMember, partner, citizen };
}

/** Form input of a balance: 1 000 MWh electricity + 2 000 MWh gas in households = 1 000 t in 2020. */
export function balanceInput(over: Record<string, string> = {}): Record<string, string> {
	return {
		year: '2020',
		inhabitants: '100',
		source: 'Klimaschutz-Planer',
		e_households_electricity_mwh: '1.000',
		e_households_electricity_q: 'B',
		e_households_natural_gas_mwh: '2.000',
		e_households_natural_gas_q: 'C',
		...over
	};
}

export async function makeBalance(actor: Actor, networkId: string, bodyId: string, over: Record<string, string> = {}) {
	return saveBalance(actor, networkId, bodyId, balanceInput(over));
}
