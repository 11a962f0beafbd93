// The offer page's data (one read of the offer, no bookkeeping sent to the browser, a paged history)
// and the change log's view of offers and assessments in words.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { ForbiddenError, NotFoundError } from '../errors';
import { listAudit } from '../audit/service';
import { offerPage } from './page';
import { offerAuditWords } from './audit-words';
import { assess, makeOffer, offerWorld, type OfferWorld } from './testing';

useTestDb();

let w: OfferWorld;
beforeAll(async () => {
	w = await offerWorld();
});

describe('offerPage', () => {
	it('sends what the page shows, without user ids or version, and pages the history', async () => {
		const o = await makeOffer(w.member, w.network.id, { description: 'Mit **Bericht** <script>alert(1)</script>' });
		let replaces = '';
		for (let i = 0; i < 23; i++) {
			const a = await assess(w.member, w.network.id, o.id, { bodyId: w.town.id, benefit: String((i % 5) + 1), replaces });
			replaces = a.id;
		}
		await assess(w.partner, w.network.id, o.id, { benefit: '2' });

		const p = await offerPage(w.otherMember, w.network.id, o.id);
		expect(p.offer).not.toHaveProperty('createdBy');
		expect(p.offer).not.toHaveProperty('updatedBy');
		expect(p.offer).not.toHaveProperty('version');
		expect(p.offer).not.toHaveProperty('description');
		expect(JSON.stringify(p)).not.toContain(w.member.userId!);
		expect(p.descriptionHtml).toContain('<strong>Bericht</strong>');
		expect(p.descriptionHtml).not.toContain('<script>');
		expect(p.offer).toMatchObject({ id: o.id, canEdit: false, canArchive: false });
		expect(p.canLink).toBe(false);
		expect(p.current.towns.map((r) => r.id)).toEqual([replaces]);
		expect(p.current.partners).toHaveLength(1);
		expect(p.history).toMatchObject({ total: 24, page: 1, pageSize: 20 });
		expect(p.history.items).toHaveLength(20);
		const second = await offerPage(w.otherMember, w.network.id, o.id, { historyPage: 2 });
		expect(second.history.items).toHaveLength(4);
		expect(new Set([...p.history.items, ...second.history.items].map((r) => r.id)).size).toBe(24);
		// The other town has not assessed: "Bewerten"; the member's town has: "aktualisieren".
		expect(p.assess).toEqual({ update: false });
		expect((await offerPage(w.member, w.network.id, o.id)).assess).toEqual({ update: true });
		expect((await offerPage(w.member, w.network.id, o.id)).canLink).toBe(true);
		expect((await offerPage(w.partner, w.network.id, o.id)).assess).toEqual({ update: true });
		expect((await offerPage(w.partnerNoOrg, w.network.id, o.id)).assess).toEqual({ update: false });
	});

	it('refuses outsiders and other networks', async () => {
		const o = await makeOffer(w.member, w.network.id);
		await expect(offerPage(w.citizen, w.network.id, o.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(offerPage(w.foreignCoordinator, w.foreign.id, o.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(offerPage(w.member, w.network.id, 'kaputt')).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('offerAuditWords', () => {
	it('puts kinds, price models, themes and recommendations into words and names the offer and partner', async () => {
		const o = await makeOffer(w.member, w.network.id, { title: 'Wortprobe', kind: 'software', priceModel: 'per_year', themes: ['energy', 'land_use'] });
		const first = await assess(w.member, w.network.id, o.id, { bodyId: w.town.id, recommend: 'reservations' });
		await assess(w.member, w.network.id, o.id, { bodyId: w.town.id, recommend: 'yes', replaces: first.id });
		await assess(w.partner, w.network.id, o.id, { recommend: 'no' });
		const log = await listAudit(w.coordinator, w.network.id, { pageSize: 100 });
		const words = await offerAuditWords(w.network.id, 'de', log.entries);

		const created = log.entries.find((e) => e.recordType === 'offer' && e.recordId === o.id && e.action === 'create')!;
		expect(words('offer', created.after as Record<string, unknown>)).toMatchObject({ kind: 'Software', priceModel: 'Pro Jahr', themes: 'Energieversorgung, Flächennutzung und Natur', title: 'Wortprobe' });

		const assessed = log.entries.filter((e) => e.recordType === 'offer_assessment' && e.action === 'create' && (e.after as { offerId?: string }).offerId === o.id);
		const views = assessed.map((e) => words('offer_assessment', e.after as Record<string, unknown>)!);
		expect(views.map((v) => v.recommend).sort()).toEqual(['Ja', 'Mit Vorbehalt', 'Nein'].sort());
		for (const v of views) {
			expect(v.offerTitle).toBe('Wortprobe');
			expect(v).not.toHaveProperty('offerId');
		}
		expect(views.find((v) => v.recommend === 'Nein')!.partnerId).toBe('Landesenergieagentur');
		expect(views.filter((v) => v.replaces === 'Ja')).toHaveLength(1);
		// Other record types pass unchanged.
		const other = { kind: 'software' };
		expect(words('measure', other)).toBe(other);
		expect(words('offer', null)).toBeNull();
	});
});
