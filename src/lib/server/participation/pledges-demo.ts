// Demo pledges of the Harz demo network: five pledge actions (entered through the service, as the
// coordinator would) and invented pledges spread over the towns. The pledges go in directly: the
// service's rate limit per address would stop a seed after ten. The network is flagged as a demo,
// so every portal page says the figures are invented.
import { eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies } from '../db/schema';
import { pledgeActions, pledges } from './schema';
import type { Actor } from '../auth/actor';
import { recordChange } from '../audit/service';
import { createPledgeAction } from './pledges';

const ACTIONS = [
	{
		title: 'Ich beziehe Ökostrom',
		description: 'Ich wechsle zu einem Stromtarif aus erneuerbaren Energien (z. B. mit dem Grüner-Strom- oder ok-power-Label).',
		savingsKg: '700',
		theme: 'energy'
	},
	{
		title: 'Kurze Wege mit dem Fahrrad statt mit dem Auto',
		description: 'Wege unter fünf Kilometern – zum Bäcker, zur Arbeit, zum Verein – fahre ich mit dem Rad oder gehe zu Fuß.',
		savingsKg: '250',
		theme: 'mobility'
	},
	{
		title: 'Heizung 1 °C herunter',
		description: 'Ich heize meine Wohnung ein Grad weniger. Das spart etwa sechs Prozent Heizenergie.',
		savingsKg: '300',
		theme: 'buildings'
	},
	{
		title: 'LED statt Glühlampe',
		description: 'Ich ersetze die letzten Glüh- und Halogenlampen in meinem Haushalt durch LED-Lampen.',
		savingsKg: '80',
		theme: 'energy'
	},
	{
		title: 'Regional und saisonal einkaufen',
		description: 'Obst, Gemüse und Milchprodukte kaufe ich möglichst aus dem Harz und der Region – auf dem Wochenmarkt oder im Hofladen.',
		savingsKg: '150',
		theme: 'economy'
	}
];

/** Pledges per town and action: a fixed pattern, so every demo shows the same figures. */
const WEIGHTS: Record<string, number> = {
	Wernigerode: 9,
	Halberstadt: 8,
	Quedlinburg: 6,
	Thale: 5,
	'Blankenburg (Harz)': 4,
	'Ilsenburg (Harz)': 3,
	'Oberharz am Brocken': 2,
	Osterwieck: 2,
	Ballenstedt: 2,
	Harzgerode: 1,
	Nordharz: 1
};

const POSTCODES: Record<string, string> = {
	Wernigerode: '38855',
	Halberstadt: '38820',
	Quedlinburg: '06484',
	Thale: '06502',
	'Blankenburg (Harz)': '38889',
	'Ilsenburg (Harz)': '38871',
	'Oberharz am Brocken': '38875',
	Osterwieck: '38835',
	Ballenstedt: '06493',
	Harzgerode: '06493',
	Nordharz: '38871'
};

/** Loads the demo's pledge actions and pledges; does nothing when the network has actions already. */
export async function seedPledgesDemo(actor: Actor, networkId: string): Promise<{ skipped: boolean; actions: number; pledges: number }> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(pledgeActions).where(eq(pledgeActions.networkId, networkId));
	if (n > 0) return { skipped: true, actions: 0, pledges: 0 };
	const actions = [];
	for (const a of ACTIONS) actions.push(await createPledgeAction(actor, networkId, a));
	const towns = (await db().select({ id: bodies.id, name: bodies.name }).from(bodies).where(eq(bodies.networkId, networkId))).filter((b) => b.name in WEIGHTS);
	const rows: (typeof pledges.$inferInsert)[] = [];
	for (const town of towns) {
		actions.forEach((a, i) => {
			// Green electricity and LED are the easy ones: more pledges; the pattern varies by town.
			const k = Math.max(0, WEIGHTS[town.name] + (i === 0 || i === 3 ? 2 : 0) - ((i + town.name.length) % 3));
			for (let j = 0; j < k; j++) rows.push({ networkId, actionId: a.id, bodyId: town.id, postcode: POSTCODES[town.name] ?? '' });
		});
	}
	await db().transaction(async (tx) => {
		if (rows.length) await tx.insert(pledges).values(rows);
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'pledge', recordId: networkId, after: { demoPledges: rows.length } });
	});
	return { skipped: false, actions: actions.length, pledges: rows.length };
}
