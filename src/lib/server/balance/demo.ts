// Demo data of the balance module: example emission factors (DOMAIN.md: KEA-BW / GEMIS 4.95, 2016,
// marked as examples to replace) and invented but plausible BISKO balances of Wernigerode,
// Halberstadt and Quedlinburg for 2018, 2020 and 2022 (about 8–9 t CO2e per inhabitant), with
// targets. Entered through the module's services, so every rule and audit entry is as for real input.
import { eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { balances, bodies } from '../db/schema';
import type { Actor } from '../auth/actor';
import { saveFactors, factorField, factorSourceField, factorNoteField } from './factors';
import { saveBalance, cellField } from './balances';
import { saveTarget } from './targets';
import type { Carrier, Quality, Sector } from './compute';

const KEA = 'Beispielwert KEA-BW / GEMIS 4.95 (2016), bitte durch die aktuellen Faktoren ersetzen';
const GUESS = 'Plausibler Beispielwert ohne Quelle, bitte durch die aktuellen Faktoren ersetzen';

/** kg CO2e per kWh. DOMAIN.md's examples; the other carriers have clearly labelled guesses. */
export const EXAMPLE_FACTORS: Record<Carrier, { kg: number; source: string; note?: string }> = {
	electricity: { kg: 0.565, source: KEA, note: 'Bundesstrommix, Wert von 2015' },
	natural_gas: { kg: 0.25, source: KEA },
	heating_oil: { kg: 0.319, source: KEA },
	liquid_gas: { kg: 0.277, source: KEA },
	biomass: { kg: 0.025, source: KEA, note: 'Mittel aus Holzpellets 0,027, Hackschnitzeln 0,024 und Scheitholz 0,019' },
	district_heating: { kg: 0.26, source: GUESS },
	coal: { kg: 0.43, source: GUESS },
	solar_thermal: { kg: 0.025, source: GUESS },
	environmental_heat: { kg: 0, source: GUESS, note: 'Der Strom der Wärmepumpen zählt beim Strom.' },
	petrol: { kg: 0.31, source: GUESS },
	diesel: { kg: 0.32, source: GUESS },
	other: { kg: 0.3, source: GUESS }
};

export const DEMO_YEARS = [2018, 2020, 2022] as const;

/** Final energy in MWh per inhabitant in 2018 and the data quality of each cell (invented, plausible). */
const PROFILE: [Sector, Carrier, number, Quality][] = [
	['households', 'electricity', 1.55, 'B'],
	['households', 'natural_gas', 4.6, 'B'],
	['households', 'heating_oil', 1.9, 'C'],
	['households', 'biomass', 0.8, 'C'],
	['households', 'district_heating', 0.6, 'B'],
	['households', 'solar_thermal', 0.08, 'C'],
	['households', 'environmental_heat', 0.15, 'C'],
	['commerce', 'electricity', 1.3, 'B'],
	['commerce', 'natural_gas', 1.9, 'B'],
	['commerce', 'heating_oil', 0.45, 'C'],
	['industry', 'electricity', 1.9, 'B'],
	['industry', 'natural_gas', 2.9, 'B'],
	['industry', 'coal', 0.25, 'C'],
	['municipal', 'electricity', 0.14, 'A'],
	['municipal', 'natural_gas', 0.3, 'A'],
	['municipal', 'district_heating', 0.1, 'A'],
	['transport', 'petrol', 3.0, 'C'],
	['transport', 'diesel', 3.9, 'C'],
	['transport', 'electricity', 0.04, 'D']
];

/** Change against 2018 by year: 2020 less traffic (pandemic), 2022 less gas (energy crisis), more heat pumps. */
function trend(year: number, sector: Sector, carrier: Carrier): number {
	if (year === 2018) return 1;
	const early = year === 2020;
	if (carrier === 'environmental_heat') return early ? 1.4 : 2.2;
	if (carrier === 'solar_thermal') return early ? 1.15 : 1.35;
	if (sector === 'transport') return early ? 0.88 : 0.95;
	if (carrier === 'natural_gas') return early ? 0.97 : 0.84;
	if (carrier === 'heating_oil' || carrier === 'coal') return early ? 0.93 : 0.85;
	return early ? 0.97 : 0.95;
}

interface DemoTown {
	ags: string;
	inhabitants: Record<(typeof DEMO_YEARS)[number], number>;
	/** The town's sector structure against the profile. */
	weight: Partial<Record<Sector, number>>;
	isPublic: boolean;
	target: Record<string, string>;
}

const TOWNS: DemoTown[] = [
	// Wernigerode: its balances and target are public (the portal shows them).
	{ ags: '15085370', inhabitants: { 2018: 32_840, 2020: 32_570, 2022: 32_280 }, weight: {}, isPublic: true, target: { baseYear: '2018', kind: 'ksg', isPublic: 'on' } },
	// Halberstadt: more industry.
	{ ags: '15085135', inhabitants: { 2018: 40_450, 2020: 40_230, 2022: 40_100 }, weight: { industry: 1.25 }, isPublic: false, target: { baseYear: '2018', kind: 'ksg' } },
	// Quedlinburg: tourism and trade, little industry; an own, earlier target.
	{ ags: '15085235', inhabitants: { 2018: 24_360, 2020: 23_880, 2022: 23_600 }, weight: { industry: 0.6, commerce: 1.15 }, isPublic: false, target: { baseYear: '2018', kind: 'own', neutralYear: '2040' } }
];

const DEMO_NOTE = 'Demo-Daten: erfundene, aber plausible Werte zum Ausprobieren. Keine echte Bilanz der Stadt.';

/** Rounds to whole MWh, as balancing tools report them. */
const mwh = (n: number) => String(Math.round(n)).replace('.', ',');

export function demoBalanceInput(town: DemoTown, year: (typeof DEMO_YEARS)[number]): Record<string, string> {
	const inh = town.inhabitants[year];
	const input: Record<string, string> = {
		year: String(year),
		inhabitants: String(inh),
		source: 'Demo (erfunden), Aufbau wie eine BISKO-Bilanz aus dem Klimaschutz-Planer',
		note: DEMO_NOTE,
		isPublic: town.isPublic ? 'on' : ''
	};
	for (const [sector, carrier, perInhabitant, quality] of PROFILE) {
		input[cellField(sector, carrier, 'mwh')] = mwh(perInhabitant * inh * (town.weight[sector] ?? 1) * trend(year, sector, carrier));
		input[cellField(sector, carrier, 'q')] = quality;
	}
	return input;
}

export interface BalanceDemoSummary {
	skipped: boolean;
	balances: number;
}

/** Loads the demo into a network (the Harz demo); skipped if the network has any balance. */
export async function seedBalanceDemo(actor: Actor, networkId: string): Promise<BalanceDemoSummary> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(balances).where(eq(balances.networkId, networkId));
	if (n > 0) return { skipped: true, balances: 0 };
	const factorInput: Record<string, string> = {};
	for (const [carrier, f] of Object.entries(EXAMPLE_FACTORS) as [Carrier, (typeof EXAMPLE_FACTORS)[Carrier]][]) {
		factorInput[factorField(carrier)] = String(f.kg).replace('.', ',');
		factorInput[factorSourceField(carrier)] = f.source;
		factorInput[factorNoteField(carrier)] = f.note ?? '';
	}
	for (const year of DEMO_YEARS) await saveFactors(actor, networkId, year, factorInput, { asExample: true });
	const bodyByAgs = new Map(
		(await db().select({ id: bodies.id, ags: bodies.ags }).from(bodies).where(eq(bodies.networkId, networkId))).map((b) => [b.ags, b.id])
	);
	let count = 0;
	for (const town of TOWNS) {
		const bodyId = bodyByAgs.get(town.ags);
		if (!bodyId) continue; // a network without this town gets the others
		for (const year of DEMO_YEARS) {
			await saveBalance(actor, networkId, bodyId, demoBalanceInput(town, year), { isDemo: true });
			count++;
		}
		await saveTarget(actor, networkId, bodyId, town.target);
	}
	return { skipped: false, balances: count };
}

export { TOWNS as DEMO_TOWNS };
