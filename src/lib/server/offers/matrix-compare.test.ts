import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { db } from '../db/client';
import { partners } from '../network/schema';
import { ForbiddenError } from '../errors';
import { VISITOR } from '../auth/actor';
import { offerAssessments, offers } from './schema';
import { CHOICES_PAGE_SIZE, compareChoices, compareIds, compareOffers } from './matrix-compare';

useTestDb();

async function world() {
	const network = await makeNetwork();
	const a = await makeBody(network.id, 'Wernigerode');
	const b = await makeBody(network.id, 'Halberstadt');
	const [partner] = await db().insert(partners).values({ networkId: network.id, name: 'Energieagentur' }).returning();
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [a.id]);
	const partnerUser = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const offer = (title: string, over: Partial<typeof offers.$inferInsert> = {}) =>
		db()
			.insert(offers)
			.values({ networkId: network.id, title, provider: 'Anbieter', kind: 'consultancy', priceModel: 'one_off', ...over })
			.returning()
			.then((r) => r[0]);
	const rate = (offerId: string, over: Partial<typeof offerAssessments.$inferInsert>) =>
		db()
			.insert(offerAssessments)
			.values({ networkId: network.id, offerId, effort: 3, benefit: 3, recommend: 'yes', assessedOn: '2024-05-01', ...over });
	return { network, a, b, partner, coordinator, member, partnerUser, citizen, offer, rate };
}

describe('compareOffers', () => {
	it('returns the offers in the order asked, with the towns’ and partners’ figures apart', async () => {
		const w = await world();
		const x = await w.offer('Energieberatung', { provider: 'Beratung GmbH', costMin: 2000, costMax: 8000, themes: ['energy'], url: 'https://example.org' });
		const y = await w.offer('Klima-App', { kind: 'software', priceModel: 'per_year', archivedAt: new Date() });
		const z = await w.offer('Kampagne', { kind: 'campaign', priceModel: 'free' });
		await w.rate(x.id, { bodyId: w.a.id, effort: 2, benefit: 5, costEur: 3000, recommend: 'yes' });
		await w.rate(x.id, { bodyId: w.b.id, effort: 4, benefit: 2, costEur: 5000, recommend: 'reservations' });
		await w.rate(x.id, { partnerId: w.partner.id, effort: 1, benefit: 4, recommend: 'no' });
		await w.rate(y.id, { bodyId: w.a.id, effort: 1, benefit: 1, isCurrent: false, supersededAt: new Date() });
		await w.rate(y.id, { bodyId: w.a.id, effort: 3, benefit: 4 });

		for (const actor of [w.coordinator, w.member, w.partnerUser]) {
			const r = await compareOffers(actor, w.network.id, [z.id, x.id, y.id]);
			expect(r.map((o) => o.title)).toEqual(['Kampagne', 'Energieberatung', 'Klima-App']);
		}
		const [cz, cx, cy] = await compareOffers(w.member, w.network.id, [z.id, x.id.toUpperCase(), ` ${y.id} `]);
		expect(cx).toMatchObject({ provider: 'Beratung GmbH', kind: 'consultancy', priceModel: 'one_off', costMin: 2000, costMax: 8000, themes: ['energy'], url: 'https://example.org', archived: false });
		expect(cx.aggregate.towns).toMatchObject({ count: 2, effortMean: 3, benefitMean: 3.5, benefitSpread: 3, costMean: 4000, recommend: { yes: 1, no: 0, reservations: 1 } });
		expect(cx.aggregate.partners).toMatchObject({ count: 1, benefitMean: 4, recommend: { yes: 0, no: 1, reservations: 0 } });
		expect(cx.aggregate.townNames).toEqual(['Halberstadt', 'Wernigerode']);
		expect(cx.aggregate.flagged).toBe(true);
		// Archived offers stay comparable; only current assessments count.
		expect(cy.archived).toBe(true);
		expect(cy.aggregate.towns).toMatchObject({ count: 1, effortMean: 3, benefitMean: 4 });
		expect(cz.aggregate.towns.count).toBe(0);
		expect(cz.aggregate.towns.effortMean).toBeNull();
	});

	it.each([
		[[], 'offerViews.compare.tooFew'],
		[['A'], 'offerViews.compare.tooFew'],
		// The same offer twice is one offer.
		[['A', 'A'], 'offerViews.compare.tooFew'],
		[['A', ' '], 'offerViews.compare.tooFew'],
		[['A', 'B', 'C', 'D', 'E'], 'offerViews.compare.tooMany'],
		[Array(5000).fill('A'), 'offerViews.compare.tooMany'],
		[['A', 'nicht-uuid'], 'offerViews.compare.malformed'],
		[['A', "'; drop table offers; --"], 'offerViews.compare.malformed'],
		[['A', '<script>alert(1)</script>'], 'offerViews.compare.malformed'],
		[['A', 'B\u0000'], 'offerViews.compare.malformed'],
		[['A', 'x'.repeat(1_000_000)], 'offerViews.compare.malformed'],
		[['A', 'UNKNOWN'], 'offerViews.compare.notFound'],
		[['A', 'FOREIGN'], 'offerViews.compare.notFound']
	] as [string[], string][])('refuses %#', async (input, key) => {
		const w = await world();
		const v = await world();
		const a = await w.offer('Eins');
		const b = await w.offer('Zwei');
		const c = await w.offer('Drei');
		const d = await w.offer('Vier');
		const e = await w.offer('Fünf');
		const foreign = await v.offer('Fremd');
		const names: Record<string, string> = { A: a.id, B: b.id, C: c.id, D: d.id, E: e.id, UNKNOWN: randomUUID(), FOREIGN: foreign.id };
		const ids = input.map((s) => names[s] ?? s.replace('B', b.id));
		expect(await fieldErrors(compareOffers(w.coordinator, w.network.id, ids))).toEqual({ id: key });
	});

	it('accepts two and four', async () => {
		const w = await world();
		const os = await Promise.all(['Eins', 'Zwei', 'Drei', 'Vier'].map((t) => w.offer(t)));
		expect(await compareOffers(w.coordinator, w.network.id, os.slice(0, 2).map((o) => o.id))).toHaveLength(2);
		expect(await compareOffers(w.coordinator, w.network.id, os.map((o) => o.id))).toHaveLength(4);
	});

	it('never shows another network’s offers and lets only the working area read', async () => {
		const w = await world();
		const v = await world();
		const a = await w.offer('Eins');
		const b = await w.offer('Zwei');
		const theirs = await v.offer('Fremd');
		// Asking through the own network with the other's id: not found, like an unknown id.
		expect(await fieldErrors(compareOffers(v.coordinator, v.network.id, [a.id, theirs.id]))).toEqual({ id: 'offerViews.compare.notFound' });
		await expect(compareOffers(v.coordinator, w.network.id, [a.id, b.id])).rejects.toThrow(ForbiddenError);
		await expect(compareOffers(w.citizen, w.network.id, [a.id, b.id])).rejects.toThrow(ForbiddenError);
		await expect(compareOffers(VISITOR, w.network.id, [a.id, b.id])).rejects.toThrow(ForbiddenError);
	});

	it('reads ids: trimmed, lower case, each once, empty ones dropped', () => {
		expect(compareIds([' A ', 'a', '', 'b'])).toEqual(['a', 'b']);
	});
});

describe('compareChoices', () => {
	it('lists the current offers by title, searchable, and keeps ticked ones', async () => {
		const w = await world();
		const v = await world();
		const x = await w.offer('Energieberatung', { provider: 'Beratung GmbH' });
		const y = await w.offer('Klima-App', { kind: 'software', description: 'Fördermitteln und Radverkehr' });
		const old = await w.offer('Altes Angebot', { archivedAt: new Date() });
		await v.offer('Fremdes Angebot');
		const all = await compareChoices(w.member, w.network.id);
		expect(all.items.map((i) => i.title)).toEqual(['Energieberatung', 'Klima-App']);
		expect(all.total).toBe(2);
		expect(all.kept).toEqual([]);
		expect((await compareChoices(w.member, w.network.id, { q: 'beratung' })).items.map((i) => i.id)).toEqual([x.id]);
		expect((await compareChoices(w.member, w.network.id, { q: 'Fördermittel' })).items.map((i) => i.id)).toEqual([y.id]);
		expect((await compareChoices(w.member, w.network.id, { q: 'GmbH' })).items.map((i) => i.id)).toEqual([x.id]);
		// Wildcards and script are plain text.
		expect((await compareChoices(w.member, w.network.id, { q: '%' })).items).toEqual([]);
		expect((await compareChoices(w.member, w.network.id, { q: '<script>alert(1)</script>\u0000' })).items).toEqual([]);
		expect((await compareChoices(w.member, w.network.id, { q: 'x'.repeat(1_000_000) })).items).toEqual([]);
		// Ticked offers that the search leaves out (or that are archived) stay as choices; foreign
		// and malformed ones do not.
		const foreign = await v.offer('Noch ein fremdes');
		const kept = await compareChoices(w.member, w.network.id, { q: 'beratung', keep: [x.id, old.id, foreign.id, 'nicht-uuid'] });
		expect(kept.items.map((i) => i.id)).toEqual([x.id]);
		expect(kept.kept).toEqual([{ id: old.id, title: 'Altes Angebot', provider: 'Anbieter', kind: 'consultancy', archived: true }]);
		await expect(compareChoices(w.citizen, w.network.id)).rejects.toThrow(ForbiddenError);
	});

	it('pages', async () => {
		const w = await world();
		await db()
			.insert(offers)
			.values(Array.from({ length: CHOICES_PAGE_SIZE + 3 }, (_, i) => ({ networkId: w.network.id, title: `Angebot ${String(i).padStart(2, '0')}`, provider: 'P', kind: 'product' as const, priceModel: 'free' as const })));
		const first = await compareChoices(w.coordinator, w.network.id);
		expect(first.items).toHaveLength(CHOICES_PAGE_SIZE);
		expect(first.total).toBe(CHOICES_PAGE_SIZE + 3);
		const second = await compareChoices(w.coordinator, w.network.id, { page: 2 });
		expect(second.items.map((i) => i.title)).toEqual([`Angebot ${CHOICES_PAGE_SIZE}`, `Angebot ${CHOICES_PAGE_SIZE + 1}`, `Angebot ${CHOICES_PAGE_SIZE + 2}`]);
		// Paging keeps what was ticked on the first page, more than four too (comparing then says "too many").
		const ticked = first.items.slice(0, 6).map((i) => i.id);
		const kept = await compareChoices(w.coordinator, w.network.id, { page: 2, keep: ticked });
		expect(kept.kept.map((i) => i.id)).toEqual(ticked);
		expect(kept.items).toHaveLength(3);
	});
});
