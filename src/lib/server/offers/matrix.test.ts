import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { db } from '../db/client';
import { partners } from '../network/schema';
import { ForbiddenError } from '../errors';
import { VISITOR } from '../auth/actor';
import { offerAssessments, offers } from './schema';
import {
	MATRIX_CAP,
	layoutMatrix,
	matrixData,
	matrixFilterFromUrl,
	matrixInputs,
	pointRadius,
	shortLabel,
	spreadOffsets,
	type MatrixInput,
	type MatrixLayout
} from './matrix';

useTestDb();

const OPTS = { width: 760, height: 520, padding: { top: 24, right: 24, bottom: 56, left: 64 } };

/** A small deterministic random sequence, so the "many points" cases are the same every run. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

const point = (id: string, effort: number, benefit: number, count = 1, flagged = false, title = `Angebot ${id}`): MatrixInput => ({
	id,
	title,
	effort,
	benefit,
	count,
	flagged
});

function expectNoOverlaps(l: MatrixLayout, gap = 0) {
	for (let i = 0; i < l.points.length; i++) {
		const p = l.points[i];
		expect(p.cx - p.r).toBeGreaterThanOrEqual(l.plot.left - 0.1);
		expect(p.cx + p.r).toBeLessThanOrEqual(l.plot.right + 0.1);
		expect(p.cy - p.r).toBeGreaterThanOrEqual(l.plot.top - 0.1);
		expect(p.cy + p.r).toBeLessThanOrEqual(l.plot.bottom + 0.1);
		for (let j = i + 1; j < l.points.length; j++) {
			const q = l.points[j];
			expect(Math.hypot(p.cx - q.cx, p.cy - q.cy), `${p.id} / ${q.id}`).toBeGreaterThanOrEqual(p.r + q.r + gap - 0.3);
		}
	}
}

describe('layoutMatrix (pure)', () => {
	it('maps effort to x and benefit to y (high benefit at the top), with ticks 1–5 and the quadrant borders at 3', () => {
		const l = layoutMatrix([point('a', 1, 5), point('b', 5, 1)], OPTS);
		expect(l.plot).toEqual({ left: 64, right: 736, top: 24, bottom: 464 });
		expect(l.xTicks.map((t) => t.value)).toEqual([1, 2, 3, 4, 5]);
		expect(l.yTicks.map((t) => t.value)).toEqual([1, 2, 3, 4, 5]);
		// Ticks step evenly, x to the right and y upwards; half a step of room at the ends.
		const dx = (l.plot.right - l.plot.left) / 5;
		const dy = (l.plot.bottom - l.plot.top) / 5;
		l.xTicks.forEach((t, i) => expect(t.x).toBeCloseTo(l.plot.left + dx * (i + 0.5), 0));
		l.yTicks.forEach((t, i) => expect(t.y).toBeCloseTo(l.plot.bottom - dy * (i + 0.5), 0));
		expect(l.midX).toBe(l.xTicks[2].x);
		expect(l.midY).toBe(l.yTicks[2].y);
		const a = l.points.find((p) => p.id === 'a')!;
		const b = l.points.find((p) => p.id === 'b')!;
		expect([a.cx, a.cy]).toEqual([l.xTicks[0].x, l.yTicks[4].y]);
		expect([b.cx, b.cy]).toEqual([l.xTicks[4].x, l.yTicks[0].y]);
		expect([a.trueX, a.trueY]).toEqual([a.cx, a.cy]);
		expect(l.quadrants.map((q) => q.key)).toEqual(['highBenefitLowEffort', 'highBenefitHighEffort', 'lowBenefitLowEffort', 'lowBenefitHighEffort']);
		// "High benefit, low effort" is the top left corner.
		const best = l.quadrants[0];
		expect(best.x).toBeLessThan(l.midX);
		expect(best.y).toBeLessThan(l.midY);
	});

	it('places means between the ticks', () => {
		const l = layoutMatrix([point('a', 2.5, 3.75)], OPTS);
		const p = l.points[0];
		expect(p.cx).toBeCloseTo((l.xTicks[1].x + l.xTicks[2].x) / 2, 0);
		expect(p.cy).toBeCloseTo(l.yTicks[2].y + (l.yTicks[3].y - l.yTicks[2].y) * 0.75, 0);
	});

	it('sizes points by area: r² grows with the count, between the minimum and maximum radius', () => {
		expect(pointRadius(12, 12, 7, 20)).toBe(20);
		expect(pointRadius(3, 12, 7, 20) ** 2 / pointRadius(12, 12, 7, 20) ** 2).toBeCloseTo(3 / 12);
		expect(pointRadius(1, 12, 7, 20)).toBe(7);
		// A network of single ratings does not draw them at full size.
		expect(pointRadius(1, 1, 7, 20)).toBeLessThan(10);
		const l = layoutMatrix([point('a', 1, 1, 12), point('b', 5, 5, 6), point('c', 3, 3, 1)], { ...OPTS, minRadius: 8, maxRadius: 24 });
		const r = Object.fromEntries(l.points.map((p) => [p.id, p.r]));
		expect(r.a).toBe(24);
		expect(r.b ** 2 / r.a ** 2).toBeCloseTo(0.5, 1);
		expect(r.c).toBe(8);
		expect(l.sizes).toEqual([
			{ count: 1, r: 8 },
			{ count: 12, r: 24 }
		]);
		expect(layoutMatrix([point('a', 1, 1, 2), point('b', 2, 2, 2)], OPTS).sizes).toHaveLength(1);
		expect(layoutMatrix([], OPTS).sizes).toEqual([]);
	});

	it('spreads points on the same spot around it, every one visible and apart', () => {
		const same = ['a', 'b', 'c'].map((id) => point(id, 4, 4, 2));
		const l = layoutMatrix(same, OPTS);
		expectNoOverlaps(l, 3);
		const x = l.xTicks[3].x;
		const y = l.yTicks[3].y;
		// Centred on the true spot, equally far from it.
		const dists = l.points.map((p) => Math.hypot(p.cx - x, p.cy - y));
		expect(Math.max(...dists) - Math.min(...dists)).toBeLessThan(0.3);
		expect((l.points[0].cx + l.points[1].cx + l.points[2].cx) / 3).toBeCloseTo(x, 0);
		for (const p of l.points) expect([p.trueX, p.trueY]).toEqual([x, y]);
	});

	it('keeps points near each other apart too, and leaves distant points where they are', () => {
		const l = layoutMatrix([point('a', 2, 2), point('b', 2.05, 2), point('c', 5, 5)], OPTS);
		expectNoOverlaps(l, 3);
		const c = l.points.find((p) => p.id === 'c')!;
		expect([c.cx, c.cy]).toEqual([c.trueX, c.trueY]);
		// The point that is further right stays right.
		const a = l.points.find((p) => p.id === 'a')!;
		const b = l.points.find((p) => p.id === 'b')!;
		expect(b.cx).toBeGreaterThan(a.cx);
	});

	it('moves a spread group at the edge inside the plot', () => {
		const l = layoutMatrix(['a', 'b', 'c', 'd'].map((id) => point(id, 1, 5, 6)), OPTS);
		expectNoOverlaps(l, 3);
	});

	it('is the same for any input order', () => {
		const r = rng(7);
		const items = Array.from({ length: 40 }, (_, i) => point(`o${i}`, 1 + Math.round(r() * 8) / 2, 1 + Math.round(r() * 8) / 2, 1 + Math.floor(r() * 5)));
		const shuffled = [...items].reverse();
		const byId = (l: MatrixLayout) => Object.fromEntries(l.points.map((p) => [p.id, p]));
		expect(byId(layoutMatrix(shuffled, OPTS))).toEqual(byId(layoutMatrix(items, OPTS)));
	});

	it('lays out 300 points (many on the same half steps) without overlaps, in a bounded time', () => {
		const r = rng(42);
		const items = Array.from({ length: 300 }, (_, i) => point(`o${i}`, 1 + Math.round(r() * 8) / 2, 1 + Math.round(r() * 8) / 2, 1 + Math.floor(r() ** 3 * 12)));
		const t0 = performance.now();
		const l = layoutMatrix(items, OPTS);
		expect(performance.now() - t0).toBeLessThan(2000);
		expect(l.points).toHaveLength(300);
		expectNoOverlaps(l, 0);
	});

	it('spreads twenty points on one spot in rings', () => {
		const offsets = spreadOffsets(Array(20).fill(7), 3);
		expect(offsets[0]).toEqual({ dx: 0, dy: 0 });
		for (let i = 0; i < offsets.length; i++)
			for (let j = i + 1; j < offsets.length; j++) expect(Math.hypot(offsets[i].dx - offsets[j].dx, offsets[i].dy - offsets[j].dy)).toBeGreaterThanOrEqual(16.8);
		const l = layoutMatrix(Array.from({ length: 20 }, (_, i) => point(`p${i}`, 3, 3)), OPTS);
		expectNoOverlaps(l, 2);
	});

	it('labels points where there is room, never over another point, label or the edge', () => {
		const l = layoutMatrix(
			[point('a', 2, 4, 3, false, 'Energieberatung für Kommunen mit langem Titel'), point('b', 4, 2, 1, true, 'Klimaschutz-App')],
			OPTS
		);
		const a = l.points.find((p) => p.id === 'a')!;
		expect(a.label).toMatchObject({ anchor: 'start', text: 'Energieberatung…' });
		expect(a.label!.x).toBeGreaterThan(a.cx + a.r);
		expect(l.points.find((p) => p.id === 'b')!.label?.text).toBe('Klimaschutz-App');

		// Crowded: fewer labels than points, and none overlapping a point.
		const many = layoutMatrix(
			Array.from({ length: 30 }, (_, i) => point(`p${i}`, 3, 3, 1, false, `Langer Angebotstitel ${i}`)),
			OPTS
		);
		const labelled = many.points.filter((p) => p.label);
		expect(labelled.length).toBeLessThan(30);
		for (const p of labelled) {
			const lb = p.label!;
			const w = lb.text.length * 6.2;
			const x0 = lb.anchor === 'start' ? lb.x : lb.anchor === 'end' ? lb.x - w : lb.x - w / 2;
			expect(x0).toBeGreaterThanOrEqual(many.plot.left);
			expect(x0 + w).toBeLessThanOrEqual(many.plot.right);
			for (const o of many.points) {
				const nx = Math.min(Math.max(o.cx, x0), x0 + w);
				const ny = Math.min(Math.max(o.cy, lb.y - 10), lb.y + 3);
				expect(Math.hypot(nx - o.cx, ny - o.cy)).toBeGreaterThanOrEqual(o.r);
			}
		}
	});

	it('draws nothing for no points and ignores values that are not numbers', () => {
		expect(layoutMatrix([], OPTS).points).toEqual([]);
		expect(layoutMatrix([point('a', NaN, 3), point('b', 3, Infinity)], OPTS).points).toEqual([]);
		// Out-of-range means (cannot happen with checked ratings) stay on the scale.
		const p = layoutMatrix([point('a', 9, -2)], OPTS).points[0];
		expect(p.cx).toBeLessThanOrEqual(OPTS.width - OPTS.padding.right);
		expect(p.cy).toBeLessThanOrEqual(OPTS.height - OPTS.padding.bottom);
	});

	it('shortens titles at a word where it can', () => {
		expect(shortLabel('Kurz', 18)).toBe('Kurz');
		expect(shortLabel('  Energie   beratung  ', 18)).toBe('Energie beratung');
		expect(shortLabel('Energieberatung für Kommunen', 18)).toBe('Energieberatung…');
		expect(shortLabel('Donaudampfschifffahrtsgesellschaft', 18)).toBe('Donaudampfschifff…');
		expect(shortLabel('Donaudampfschifffahrtsgesellschaft', 18)).toHaveLength(18);
	});
});

describe('matrixFilterFromUrl', () => {
	it('reads kind, field and archived; ignores unknown values', () => {
		expect(matrixFilterFromUrl(new URL('http://x/?art=software&handlungsfeld=mobility&archiv=1'))).toEqual({ kind: 'software', theme: 'mobility', includeArchived: true });
		expect(matrixFilterFromUrl(new URL('http://x/?art=%3Cscript%3E&handlungsfeld=x%00&archiv=ja'))).toEqual({ kind: undefined, theme: undefined, includeArchived: false });
	});
});

async function world() {
	const network = await makeNetwork();
	const a = await makeBody(network.id, 'Wernigerode');
	const b = await makeBody(network.id, 'Halberstadt');
	const c = await makeBody(network.id, 'Quedlinburg');
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
	return { network, a, b, c, partner, coordinator, member, partnerUser, citizen, offer, rate };
}

describe('matrixData', () => {
	it('shows the assessed offers with the towns’ current figures, partner-only offers apart, unassessed not at all', async () => {
		const w = await world();
		const beratung = await w.offer('Energieberatung', { themes: ['energy', 'buildings'] });
		const app = await w.offer('Klima-App', { kind: 'software', themes: ['participation'] });
		const onlyPartner = await w.offer('Fachtagung', { kind: 'event' });
		await w.offer('Noch unbewertet');
		await w.rate(beratung.id, { bodyId: w.a.id, effort: 1, benefit: 1, isCurrent: false, supersededAt: new Date() });
		await w.rate(beratung.id, { bodyId: w.a.id, effort: 2, benefit: 5 });
		await w.rate(beratung.id, { bodyId: w.b.id, effort: 3, benefit: 2 });
		await w.rate(beratung.id, { partnerId: w.partner.id, effort: 5, benefit: 1 });
		await w.rate(app.id, { bodyId: w.c.id, effort: 4, benefit: 4 });
		await w.rate(onlyPartner.id, { partnerId: w.partner.id, effort: 2, benefit: 4 });

		for (const actor of [w.coordinator, w.member, w.partnerUser]) {
			const d = await matrixData(actor, w.network.id);
			expect(d.items.map((i) => i.title)).toEqual(['Energieberatung', 'Klima-App']);
			expect(d.total).toBe(2);
			expect(d.capped).toBe(false);
			expect(d.partnerOnly.map((i) => i.title)).toEqual(['Fachtagung']);
			expect(d.partnerOnlyTotal).toBe(1);
		}
		const d = await matrixData(w.member, w.network.id);
		const b = d.items[0];
		expect(b.aggregate.towns).toMatchObject({ count: 2, effortMean: 2.5, benefitMean: 3.5, benefitSpread: 3 });
		expect(b.aggregate.partners.count).toBe(1);
		expect(b.aggregate.flagged).toBe(true);
		expect(b.aggregate.townNames).toEqual(['Halberstadt', 'Wernigerode']);
		expect(matrixInputs(d.items)).toEqual([
			{ id: beratung.id, title: 'Energieberatung', effort: 2.5, benefit: 3.5, count: 2, flagged: true },
			{ id: app.id, title: 'Klima-App', effort: 4, benefit: 4, count: 1, flagged: false }
		]);
		// The partner-only offer is never a point of the matrix.
		expect(matrixInputs(d.partnerOnly)).toEqual([]);
		expect(d.partnerOnly[0].aggregate.partners).toMatchObject({ count: 1, effortMean: 2, benefitMean: 4 });
	});

	it('filters by kind and field; archived offers only when asked', async () => {
		const w = await world();
		const beratung = await w.offer('Energieberatung', { themes: ['energy', 'buildings'] });
		const app = await w.offer('Klima-App', { kind: 'software', themes: ['mobility'] });
		const alt = await w.offer('Alte Beratung', { archivedAt: new Date(), themes: ['energy'] });
		for (const o of [beratung, app, alt]) await w.rate(o.id, { bodyId: w.a.id });

		const titles = async (f: Parameters<typeof matrixData>[2]) => (await matrixData(w.coordinator, w.network.id, f)).items.map((i) => i.title);
		expect(await titles({})).toEqual(['Energieberatung', 'Klima-App']);
		expect(await titles({ includeArchived: true })).toEqual(['Alte Beratung', 'Energieberatung', 'Klima-App']);
		const archived = (await matrixData(w.coordinator, w.network.id, { includeArchived: true })).items.find((i) => i.id === alt.id);
		expect(archived?.archived).toBe(true);
		expect(await titles({ kind: 'software' })).toEqual(['Klima-App']);
		expect(await titles({ kind: 'consultancy', includeArchived: true })).toEqual(['Alte Beratung', 'Energieberatung']);
		expect(await titles({ theme: 'buildings' })).toEqual(['Energieberatung']);
		expect(await titles({ theme: 'energy', includeArchived: true })).toEqual(['Alte Beratung', 'Energieberatung']);
		expect(await titles({ theme: 'adaptation' })).toEqual([]);
		expect(await titles({ kind: 'software', theme: 'energy' })).toEqual([]);
		// Nonsense values (from a hand-made call) are ignored rather than sent to the database.
		expect(await titles({ kind: "x'; drop table offers; --" as never, theme: '<script>' as never })).toEqual(['Energieberatung', 'Klima-App']);
	});

	it('orders by number of town assessments and caps the points, saying how many there are', async () => {
		const w = await world();
		const many = await w.offer('Zuletzt im Alphabet, aber oft bewertet');
		for (const body of [w.a, w.b, w.c]) await w.rate(many.id, { bodyId: body.id });
		const rows = Array.from({ length: MATRIX_CAP + 4 }, (_, i) => ({
			networkId: w.network.id,
			title: `Angebot ${String(i).padStart(3, '0')}`,
			provider: 'P',
			kind: 'product' as const,
			priceModel: 'free' as const
		}));
		const inserted = await db().insert(offers).values(rows).returning({ id: offers.id });
		await db()
			.insert(offerAssessments)
			.values(inserted.map((o) => ({ networkId: w.network.id, offerId: o.id, bodyId: w.a.id, effort: 2, benefit: 4, recommend: 'yes' as const, assessedOn: '2024-01-01' })));
		const d = await matrixData(w.coordinator, w.network.id);
		expect(d.items).toHaveLength(MATRIX_CAP);
		expect(d.total).toBe(MATRIX_CAP + 5);
		expect(d.capped).toBe(true);
		expect(d.items[0].title).toBe('Zuletzt im Alphabet, aber oft bewertet');
		expect(d.items[1].title).toBe('Angebot 000');
		expect(layoutMatrix(matrixInputs(d.items), OPTS).points).toHaveLength(MATRIX_CAP);
	});

	it('keeps networks apart and lets only the working area read', async () => {
		const w = await world();
		const v = await world();
		const mine = await w.offer('Unseres');
		const theirs = await v.offer('Fremdes');
		await w.rate(mine.id, { bodyId: w.a.id });
		await v.rate(theirs.id, { bodyId: v.a.id });
		// An assessment row that claims the other network cannot smuggle an offer in.
		await db().insert(offerAssessments).values({ networkId: w.network.id, offerId: theirs.id, bodyId: w.b.id, effort: 1, benefit: 1, recommend: 'no', assessedOn: '2024-01-01' });
		const d = await matrixData(w.coordinator, w.network.id);
		expect(d.items.map((i) => i.title)).toEqual(['Unseres']);
		expect(d.partnerOnly).toEqual([]);
		// Someone of the other network, a citizen and a visitor are refused.
		await expect(matrixData(v.coordinator, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(matrixData(w.citizen, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(matrixData(VISITOR, w.network.id)).rejects.toThrow(ForbiddenError);
		// The other network's own view does not contain ours.
		expect((await matrixData(v.coordinator, v.network.id)).items.map((i) => i.title)).toEqual(['Fremdes']);
	});

	it('shows an offer again in the default view when it is no longer archived', async () => {
		const w = await world();
		const o = await w.offer('Wieder da', { archivedAt: new Date() });
		await w.rate(o.id, { bodyId: w.a.id });
		expect((await matrixData(w.coordinator, w.network.id)).items).toEqual([]);
		await db().update(offers).set({ archivedAt: null }).where(eq(offers.id, o.id));
		expect((await matrixData(w.coordinator, w.network.id)).items.map((i) => i.title)).toEqual(['Wieder da']);
	});
});
