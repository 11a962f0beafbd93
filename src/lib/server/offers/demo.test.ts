import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { SYSTEM } from '../bootstrap';
import { loadHarzDemo } from '../network/demo/harz';
import { makeActor } from '../testing/factories';
import { offerAssessments, offers } from './schema';
import { listOffers } from './offers';
import { listAssessments } from './assessments';
import { seedOffersDemo } from './demo';

useTestDb();

describe('offers demo data', () => {
	it('seeds realistic offers with assessments of several Harz towns, one disagreement, a partner and a history; idempotent', async () => {
		const { networkId } = await loadHarzDemo(SYSTEM);
		const coordinator = await makeActor(networkId, 'coordinator');
		const first = await seedOffersDemo(coordinator, networkId);
		expect(first).toMatchObject({ skipped: false, offers: 6 });
		expect(first.assessments).toBeGreaterThanOrEqual(12);
		expect(await seedOffersDemo(coordinator, networkId)).toEqual({ skipped: true, offers: 0, assessments: 0 });

		const all = await db().select().from(offers).where(eq(offers.networkId, networkId));
		expect(all.length).toBe(6);
		expect(all.every((o) => o.isDemo)).toBe(true);
		const rows = await db().select().from(offerAssessments).where(eq(offerAssessments.networkId, networkId));
		expect(rows.every((r) => r.isDemo)).toBe(true);

		const list = await listOffers(coordinator, networkId);
		const towns = new Set(list.items.flatMap((i) => i.aggregate.townNames));
		expect(towns.size).toBeGreaterThanOrEqual(6);
		expect([...towns]).toEqual(expect.arrayContaining(['Wernigerode', 'Halberstadt', 'Quedlinburg', 'Blankenburg (Harz)']));

		// Exactly one offer disagrees (benefit 1 and 4) and is flagged.
		const flagged = (await listOffers(coordinator, networkId, { flagged: true })).items;
		expect(flagged.map((f) => f.title)).toEqual(['LED-Straßenbeleuchtung im Contracting']);
		expect([flagged[0].aggregate.towns.benefitMin, flagged[0].aggregate.towns.benefitMax]).toEqual([1, 4]);

		// One partner assessment, shown apart.
		const withPartner = list.items.filter((i) => i.aggregate.partners.count > 0);
		expect(withPartner.map((i) => i.title)).toEqual(['Software zur THG-Bilanzierung (Abonnement)']);
		expect(withPartner[0].aggregate.towns.count).toBe(2);

		// One history: Quedlinburg's earlier assessment of the software, superseded.
		const history = (await listAssessments(coordinator, networkId, withPartner[0].id)).items;
		const quedlinburg = history.filter((h) => h.assessorName === 'Quedlinburg');
		expect(quedlinburg.map((h) => [h.isCurrent, h.benefit])).toEqual([
			[true, 4],
			[false, 2]
		]);
		expect(quedlinburg[1].supersededAt).toBeInstanceOf(Date);
		const superseded = await db()
			.select()
			.from(offerAssessments)
			.where(and(eq(offerAssessments.networkId, networkId), eq(offerAssessments.isCurrent, false)));
		expect(superseded.length).toBe(1);

		// "Zuletzt bewertet" puts the newest assessment first (Quedlinburg, June 2025).
		expect((await listOffers(coordinator, networkId, { sort: 'assessed' })).items[0].title).toBe('Software zur THG-Bilanzierung (Abonnement)');
	});
});
