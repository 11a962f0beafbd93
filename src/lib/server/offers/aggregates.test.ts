import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeBody, makeNetwork } from '../testing/factories';
import { db } from '../db/client';
import { partners } from '../network/schema';
import { offerAssessments, offers } from './schema';
import { DISAGREEMENT_SPREAD, aggregatesFor, isFlagged, ratingStats, type Rating } from './aggregates';

useTestDb();

describe('ratingStats (pure)', () => {
	it('is empty for no ratings', () => {
		const s = ratingStats([]);
		expect(s.count).toBe(0);
		expect(s.effortMean).toBeNull();
		expect(s.benefitSpread).toBeNull();
		expect(s.costMean).toBeNull();
		expect(s.recommend).toEqual({ yes: 0, no: 0, reservations: 0 });
	});

	it('computes means, ranges, spreads, mean cost and recommendations', () => {
		const r: Rating[] = [
			{ effort: 2, benefit: 1, costEur: 1000, recommend: 'no' },
			{ effort: 4, benefit: 4, costEur: null, recommend: 'yes' },
			{ effort: 3, benefit: 5, costEur: 3000, recommend: 'yes' }
		];
		const s = ratingStats(r);
		expect(s.count).toBe(3);
		expect(s.effortMean).toBe(3);
		expect(s.benefitMean).toBeCloseTo(10 / 3);
		expect([s.effortMin, s.effortMax, s.effortSpread]).toEqual([2, 4, 2]);
		expect([s.benefitMin, s.benefitMax, s.benefitSpread]).toEqual([1, 5, 4]);
		expect(s.costMean).toBe(2000);
		expect(s.recommend).toEqual({ yes: 2, no: 1, reservations: 0 });
	});

	it('a single rating has spread 0', () => {
		const s = ratingStats([{ effort: 5, benefit: 3, costEur: 0, recommend: 'reservations' }]);
		expect(s.benefitSpread).toBe(0);
		expect(s.costMean).toBe(0);
		expect(s.recommend.reservations).toBe(1);
	});
});

describe('isFlagged (pure)', () => {
	const d = (s: string) => new Date(s);
	it.each([
		[null, null, null, false],
		[0, null, d('2024-01-01'), false],
		[1, null, d('2024-01-01'), false],
		[DISAGREEMENT_SPREAD, null, d('2024-01-01'), true],
		[4, null, d('2024-01-01'), true],
		// discussed after the last assessment: not flagged
		[3, d('2024-02-01'), d('2024-01-01'), false],
		// a new assessment after the discussion flags again
		[3, d('2024-02-01'), d('2024-03-01'), true],
		[3, d('2024-02-01'), null, false],
		[1, d('2024-02-01'), d('2024-03-01'), false]
	] as [number | null, Date | null, Date | null, boolean][])('spread %s, discussed %s, last %s → %s', (spread, discussed, last, flagged) => {
		expect(isFlagged(spread, discussed, last)).toBe(flagged);
	});
});

async function world() {
	const network = await makeNetwork();
	const a = await makeBody(network.id, 'Wernigerode');
	const b = await makeBody(network.id, 'Blankenburg (Harz)');
	const c = await makeBody(network.id, 'Halberstadt');
	const [partner] = await db().insert(partners).values({ networkId: network.id, name: 'Energieagentur' }).returning();
	const [offer] = await db()
		.insert(offers)
		.values({ networkId: network.id, title: 'Energieberatung', provider: 'Beratung GmbH', kind: 'consultancy', priceModel: 'one_off' })
		.returning();
	const [quiet] = await db()
		.insert(offers)
		.values({ networkId: network.id, title: 'Unbewertet', provider: 'X', kind: 'software', priceModel: 'per_year' })
		.returning();
	return { network, a, b, c, partner, offer, quiet };
}

type Ins = typeof offerAssessments.$inferInsert;
const rate = (over: Partial<Ins> & Pick<Ins, 'networkId' | 'offerId'>) =>
	db()
		.insert(offerAssessments)
		.values({ effort: 3, benefit: 3, recommend: 'yes', assessedOn: '2024-05-01', ...over })
		.returning()
		.then((r) => r[0]);

describe('aggregatesFor', () => {
	it('counts only current assessments, towns and partners apart, with the towns named in order', async () => {
		const w = await world();
		const base = { networkId: w.network.id, offerId: w.offer.id };
		await rate({ ...base, bodyId: w.a.id, effort: 1, benefit: 5, isCurrent: false, supersededAt: new Date() }); // history
		await rate({ ...base, bodyId: w.a.id, effort: 2, benefit: 2, costEur: 1000, recommend: 'reservations' });
		await rate({ ...base, bodyId: w.b.id, effort: 4, benefit: 3, costEur: 3000, recommend: 'yes' });
		await rate({ ...base, partnerId: w.partner.id, effort: 5, benefit: 5, recommend: 'no' });

		const agg = await aggregatesFor(w.network.id, [w.offer.id, w.quiet.id]);
		const o = agg.get(w.offer.id)!;
		expect(o.towns).toEqual(
			ratingStats([
				{ effort: 2, benefit: 2, costEur: 1000, recommend: 'reservations' },
				{ effort: 4, benefit: 3, costEur: 3000, recommend: 'yes' }
			])
		);
		expect(o.towns.count).toBe(2);
		expect(o.towns.effortMean).toBe(3);
		expect(o.towns.costMean).toBe(2000);
		expect(o.partners.count).toBe(1);
		expect(o.partners.benefitMean).toBe(5);
		expect(o.partners.recommend).toEqual({ yes: 0, no: 1, reservations: 0 });
		expect(o.townNames).toEqual(['Blankenburg (Harz)', 'Wernigerode']);
		expect(o.lastAssessedAt).toBeInstanceOf(Date);
		// towns 2 and 3 agree; the partner's 5 does not make it a disagreement
		expect(o.flagged).toBe(false);

		const q = agg.get(w.quiet.id)!;
		expect(q.towns.count).toBe(0);
		expect(q.partners.count).toBe(0);
		expect(q.townNames).toEqual([]);
		expect(q.lastAssessedAt).toBeNull();
		expect(q.flagged).toBe(false);
	});

	it('flags a benefit spread of 2 or more; discussed clears it; a new town assessment raises it again', async () => {
		const w = await world();
		const base = { networkId: w.network.id, offerId: w.offer.id };
		await rate({ ...base, bodyId: w.a.id, benefit: 1, createdAt: new Date(Date.now() - 60_000) });
		await rate({ ...base, bodyId: w.b.id, benefit: 3, createdAt: new Date(Date.now() - 50_000) });
		let o = (await aggregatesFor(w.network.id, [w.offer.id])).get(w.offer.id)!;
		expect(o.towns.benefitSpread).toBe(2);
		expect(o.flagged).toBe(true);

		await db().update(offers).set({ discussedAt: new Date(Date.now() - 10_000) }).where(eq(offers.id, w.offer.id));
		o = (await aggregatesFor(w.network.id, [w.offer.id])).get(w.offer.id)!;
		expect(o.flagged).toBe(false);

		// a partner's assessment after the discussion does not raise it
		await rate({ ...base, partnerId: w.partner.id, benefit: 5 });
		o = (await aggregatesFor(w.network.id, [w.offer.id])).get(w.offer.id)!;
		expect(o.flagged).toBe(false);

		await rate({ ...base, bodyId: w.c.id, benefit: 2 });
		o = (await aggregatesFor(w.network.id, [w.offer.id])).get(w.offer.id)!;
		expect(o.flagged).toBe(true);
		expect(o.townNames).toEqual(['Blankenburg (Harz)', 'Halberstadt', 'Wernigerode']);
	});

	it('answers nothing for offers of another network or malformed ids', async () => {
		const w = await world();
		const other = await makeNetwork();
		await rate({ networkId: w.network.id, offerId: w.offer.id, bodyId: w.a.id });
		expect((await aggregatesFor(other.id, [w.offer.id])).size).toBe(0);
		expect((await aggregatesFor(w.network.id, ['nicht-uuid', "'; drop table offers; --"])).size).toBe(0);
		expect((await aggregatesFor(w.network.id, [])).size).toBe(0);
	});
});
