import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { bodies } from '../db/schema';
import { VISITOR } from '../auth/actor';
import { SYSTEM } from '../bootstrap';
import { loadHarzDemo } from '../network/demo/harz';
import { makeActor } from '../testing/factories';
import { listFactors } from './factors';
import { bodyBalanceView, districtView } from './views';
import { seedBalanceDemo } from './demo';

useTestDb();

describe('balance demo data', () => {
	it('seeds example factors and plausible balances of three towns with targets; idempotent', async () => {
		const { networkId } = await loadHarzDemo(SYSTEM);
		const coordinator = await makeActor(networkId, 'coordinator');
		expect(await seedBalanceDemo(coordinator, networkId)).toEqual({ skipped: false, balances: 9 });
		expect(await seedBalanceDemo(coordinator, networkId)).toEqual({ skipped: true, balances: 0 });

		const factors = await listFactors(coordinator, networkId, 2020);
		expect(factors.rows.every((r) => r.isExample && r.kgPerKwh !== null && r.source.includes('ersetzen'))).toBe(true);
		expect(factors.rows.find((r) => r.carrier === 'heating_oil')?.kgPerKwh).toBe(0.319);

		const named = async (name: string) => (await db().select().from(bodies).where(eq(bodies.name, name)))[0];
		for (const name of ['Wernigerode', 'Halberstadt', 'Quedlinburg']) {
			const v = await bodyBalanceView(coordinator, networkId, (await named(name)).id);
			expect(v.years.map((y) => y.year)).toEqual([2018, 2020, 2022]);
			for (const y of v.years) {
				expect(y.complete).toBe(true);
				expect(y.isDemo).toBe(true);
				expect(y.perCapitaT).toBeGreaterThan(7);
				expect(y.perCapitaT).toBeLessThan(9.5);
				// Mostly quality classes B and C.
				expect(y.qualityShare.B + y.qualityShare.C).toBeGreaterThan(0.9);
			}
			// Falling over the years, but above the path in 2022 (there is a gap to close).
			expect(v.years[2].totalT).toBeLessThan(v.years[0].totalT);
			expect(v.path).not.toBeNull();
			expect(v.gaps.at(-1)!.gapT).toBeGreaterThan(0);
		}
		const quedlinburg = await bodyBalanceView(coordinator, networkId, (await named('Quedlinburg')).id);
		expect(quedlinburg.target).toMatchObject({ kind: 'own', neutralYear: 2040 });

		// Only Wernigerode is public.
		const portal = await districtView(VISITOR, networkId, 2022);
		expect(portal.towns.filter((t) => t.figures).map((t) => t.body.name)).toEqual(['Wernigerode']);
		expect((await bodyBalanceView(VISITOR, networkId, (await named('Wernigerode')).id)).path).not.toBeNull();
		const internal = await districtView(coordinator, networkId, 2022);
		expect(internal.sum.included).toHaveLength(3);
		expect(internal.sum.missing.length).toBeGreaterThan(0);
	});
});
