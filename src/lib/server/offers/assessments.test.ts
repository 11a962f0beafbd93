import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../audit/schema';
import { offerAssessments } from './schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { assessOffer, assessmentAsForm, assessmentForm, currentAssessments, currentOf, listAssessments, parseAssessment, partnerOrgOf } from './assessments';
import { aggregatesFor } from './aggregates';
import { setOfferArchived } from './offers';
import { todayIso } from '../network/directory-shared';
import { assess, assessmentInput, makeOffer, offerWorld, type OfferWorld } from './testing';

useTestDb();

let w: OfferWorld;
beforeAll(async () => {
	w = await offerWorld();
});

const count = async (offerId: string) => (await db().select().from(offerAssessments).where(eq(offerAssessments.offerId, offerId))).length;

describe('parseAssessment', () => {
	const errs = (over: Record<string, string>) => {
		try {
			parseAssessment(assessmentInput(over), '2024-06-01');
		} catch (e) {
			return (e as { fieldErrors: Record<string, string> }).fieldErrors;
		}
		return {};
	};
	it('accepts ratings 1–5, a grouped cost, a date up to today', () => {
		expect(parseAssessment(assessmentInput({ effort: '1', benefit: '5', costEur: '12.500', assessedOn: '1.6.2024' }), '2024-06-01')).toMatchObject({
			effort: 1,
			benefit: 5,
			costEur: 12500,
			assessedOn: '2024-06-01'
		});
		expect(parseAssessment(assessmentInput({ costEur: '' }), '2024-06-01').costEur).toBeNull();
	});
	it.each([
		[{ effort: '0' }, { effort: 'offers.assess.rating' }],
		[{ benefit: '6' }, { benefit: 'offers.assess.rating' }],
		[{ benefit: '2,5' }, { benefit: 'offers.assess.rating' }],
		[{ effort: '' }, { effort: 'offers.assess.rating' }],
		[{ costEur: '-100' }, { costEur: 'offers.assess.cost' }],
		[{ costEur: 'billig' }, { costEur: 'offers.assess.cost' }],
		[{ recommend: 'maybe' }, { recommend: 'validation.choice' }],
		[{ assessedOn: '2024-06-02' }, { assessedOn: 'offers.assess.dateFuture' }],
		[{ assessedOn: '' }, { assessedOn: 'offers.assess.dateRequired' }],
		[{ assessedOn: '31.02.2024' }, { assessedOn: 'dir.date' }],
		[{ experience: 'x'.repeat(10_001) }, { experience: 'offers.assess.experienceTooLong' }]
	])('refuses bad field %#', (over, expected) => {
		expect(errs(over)).toEqual(expected);
	});
});

describe('assessOffer', () => {
	it('one current assessment per town: a second without `replaces` is refused, a matching one supersedes (history kept, audited)', async () => {
		const o = await makeOffer(w.member, w.network.id);
		const first = await assess(w.member, w.network.id, o.id, { bodyId: w.town.id, effort: '2', benefit: '4', costEur: '1.200', experience: '<script>alert(1)</script>' });
		expect(first).toMatchObject({ isCurrent: true, bodyId: w.town.id, partnerId: null, costEur: 1200, experience: '<script>alert(1)</script>' });

		// Second current assessment by the same town: a clear message, the current one offered; nothing changes.
		const e = await fieldErrors(assess(w.coordinator, w.network.id, o.id, { bodyId: w.town.id, benefit: '1' }));
		expect(e).toEqual({ bodyId: 'offers.assess.exists' });
		await expect(assess(w.coordinator, w.network.id, o.id, { bodyId: w.town.id, benefit: '1' })).rejects.toMatchObject({ values: { replaces: first.id } });
		const forged = await fieldErrors(assess(w.member, w.network.id, o.id, { bodyId: w.town.id, replaces: 'nicht-uuid' }));
		expect(forged).toEqual({ bodyId: 'offers.assess.exists' });
		expect(await count(o.id)).toBe(1);

		await new Promise((r) => setTimeout(r, 5));
		const second = await assess(w.member, w.network.id, o.id, { bodyId: w.town.id, effort: '3', benefit: '2', replaces: first.id });
		expect(second.isCurrent).toBe(true);
		const history = (await listAssessments(w.partner, w.network.id, o.id)).items;
		expect(history.map((h) => [h.id, h.isCurrent])).toEqual([
			[second.id, true],
			[first.id, false]
		]);
		expect(history[1].supersededAt).toBeInstanceOf(Date);
		expect(history[0]).toMatchObject({ kind: 'body', assessorName: 'Wernigerode', bodyAgs: w.town.ags, createdByName: w.member.name });

		// Replacing an already superseded one (a stale form) is refused too.
		expect(await fieldErrors(assess(w.member, w.network.id, o.id, { bodyId: w.town.id, replaces: first.id }))).toEqual({ bodyId: 'offers.assess.exists' });

		const agg = (await aggregatesFor(w.network.id, [o.id])).get(o.id)!;
		expect(agg.towns.count).toBe(1);
		expect(agg.towns.benefitMean).toBe(2);

		const log = await db().select().from(auditLog).where(eq(auditLog.recordType, 'offer_assessment'));
		expect(log.filter((l) => l.recordId === first.id).map((l) => l.action).sort()).toEqual(['create', 'update']);
		expect(log.filter((l) => l.recordId === second.id).map((l) => l.action)).toEqual(['create']);
	});

	it('refuses every bad input of the issue without changing anything', async () => {
		const o = await makeOffer(w.member, w.network.id);
		expect(await fieldErrors(assess(w.member, w.network.id, o.id, { bodyId: w.town.id, effort: '0' }))).toEqual({ effort: 'offers.assess.rating' });
		expect(await fieldErrors(assess(w.member, w.network.id, o.id, { bodyId: w.town.id, benefit: '6' }))).toEqual({ benefit: 'offers.assess.rating' });
		expect(await fieldErrors(assess(w.member, w.network.id, o.id, { bodyId: w.town.id, costEur: '-1' }))).toEqual({ costEur: 'offers.assess.cost' });
		expect(await fieldErrors(assess(w.member, w.network.id, o.id, { bodyId: w.town.id, assessedOn: todayIso(new Date(Date.now() + 2 * 86_400_000)) }))).toEqual({ assessedOn: 'offers.assess.dateFuture' });
		expect(await fieldErrors(assess(w.coordinator, w.network.id, o.id, {}))).toEqual({ bodyId: 'offers.assess.bodyRequired' });
		expect(await count(o.id)).toBe(0);
	});

	it('permissions: members only for their own bodies, coordinators any body of the network, partners as partner organisation', async () => {
		const o = await makeOffer(w.member, w.network.id);
		await expect(assess(w.member, w.network.id, o.id, { bodyId: w.other.id })).rejects.toBeInstanceOf(ForbiddenError);
		// Forged ids: a body of another network, a made-up uuid, not a uuid at all.
		await expect(assess(w.coordinator, w.network.id, o.id, { bodyId: w.foreignTown.id })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(assess(w.member, w.network.id, o.id, { bodyId: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(assess(w.member, w.network.id, o.id, { bodyId: "x' or 1=1" })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(assess(w.citizen, w.network.id, o.id, { bodyId: w.town.id })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(assess(w.foreignCoordinator, w.foreign.id, o.id, { bodyId: w.foreignTown.id })).rejects.toBeInstanceOf(NotFoundError);

		await assess(w.twoTowns, w.network.id, o.id, { bodyId: w.other.id });
		await assess(w.coordinator, w.network.id, o.id, { bodyId: w.third.id });

		// The partner assesses as its organisation, whatever body id the form carries.
		const p = await assess(w.partner, w.network.id, o.id, { bodyId: w.town.id, benefit: '5' });
		expect(p).toMatchObject({ bodyId: null, partnerId: w.org.id });
		expect(await fieldErrors(assess(w.partner, w.network.id, o.id))).toEqual({ _form: 'offers.assess.existsPartner' });
		expect(await fieldErrors(assess(w.partnerNoOrg, w.network.id, o.id))).toEqual({ _form: 'offers.assess.noPartnerOrg' });
		expect(await partnerOrgOf(w.partner, w.network.id)).toEqual({ id: w.org.id, name: 'Landesenergieagentur' });
		expect(await partnerOrgOf(w.partner, w.foreign.id)).toBeNull();

		const { towns, partners } = await currentAssessments(w.member, w.network.id, o.id);
		expect(currentOf((await listAssessments(w.member, w.network.id, o.id)).items).towns.map((t) => t.id)).toEqual(towns.map((t) => t.id));
		expect(towns.map((t) => t.assessorName)).toEqual(['Halberstadt', 'Quedlinburg']);
		expect(partners.map((t) => t.assessorName)).toEqual(['Landesenergieagentur']);
		const agg = (await aggregatesFor(w.network.id, [o.id])).get(o.id)!;
		expect([agg.towns.count, agg.partners.count]).toEqual([2, 1]);
	});

	it('two saves at once: exactly one wins, the other gets the message', async () => {
		const o = await makeOffer(w.member, w.network.id);
		const results = await Promise.allSettled([
			assess(w.member, w.network.id, o.id, { bodyId: w.town.id, benefit: '1' }),
			assess(w.coordinator, w.network.id, o.id, { bodyId: w.town.id, benefit: '5' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
		const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(rejected.reason.fieldErrors).toEqual({ bodyId: 'offers.assess.exists' });
		expect((await db().select().from(offerAssessments).where(and(eq(offerAssessments.offerId, o.id), eq(offerAssessments.isCurrent, true)))).length).toBe(1);
	});

	it('archived offers are not assessed; network isolation of the history', async () => {
		const o = await makeOffer(w.member, w.network.id);
		await setOfferArchived(w.member, w.network.id, o.id, true);
		expect(await fieldErrors(assess(w.member, w.network.id, o.id, { bodyId: w.town.id }))).toEqual({ _form: 'offers.assess.archived' });
		await expect(listAssessments(w.foreignCoordinator, w.foreign.id, o.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(listAssessments(w.citizen, w.network.id, o.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(assessOffer(w.member, w.network.id, 'kaputt', assessmentInput({ bodyId: w.town.id }))).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('assessmentForm', () => {
	it('offers a member their bodies with current assessments, preselects ?kommune, and prefills an update', async () => {
		const o = await makeOffer(w.member, w.network.id);
		const cur = await assess(w.member, w.network.id, o.id, { bodyId: w.town.id, effort: '4', benefit: '2', costEur: '99,5', recommend: 'reservations' });
		const f = await assessmentForm(w.twoTowns, w.network.id, o.id, { ags: w.other.ags });
		expect(f.mode).toBe('body');
		expect(f.choices.map((c) => c.name)).toEqual(['Halberstadt', 'Wernigerode']);
		expect(f.selectedId).toBe(w.other.id);
		expect(f.choices.find((c) => c.id === w.town.id)!.current!.id).toBe(cur.id);
		expect((await assessmentForm(w.twoTowns, w.network.id, o.id)).selectedId).toBeNull();
		expect((await assessmentForm(w.member, w.network.id, o.id)).selectedId).toBe(w.town.id);
		const coord = await assessmentForm(w.coordinator, w.network.id, o.id, { ags: w.third.ags });
		expect(coord.choices.length).toBe(3);
		expect(coord.selectedId).toBe(w.third.id);

		const values = assessmentAsForm(f.choices.find((c) => c.id === w.town.id)!.current, '2024-07-01');
		expect(values).toEqual({ effort: '4', benefit: '2', costEur: '99,5', recommend: 'reservations', experience: '', assessedOn: '2024-07-01', replaces: cur.id });
		expect(assessmentAsForm(null, '2024-07-01')).toEqual({ assessedOn: '2024-07-01', replaces: '' });

		const p = await assessmentForm(w.partner, w.network.id, o.id);
		expect(p).toMatchObject({ mode: 'partner', selectedId: w.org.id, blocked: null });
		expect((await assessmentForm(w.partnerNoOrg, w.network.id, o.id)).blocked).toBe('noPartnerOrg');
		await expect(assessmentForm(w.citizen, w.network.id, o.id)).rejects.toBeInstanceOf(ForbiddenError);
	});
});
