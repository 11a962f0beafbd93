import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../audit/schema';
import { offers } from './schema';
import { ForbiddenError, NotFoundError } from '../errors';
import {
	createOffer,
	getOffer,
	listOffers,
	markDiscussed,
	offerFilterFromUrl,
	offerFilterToQuery,
	offerFormValues,
	parseOffer,
	setOfferArchived,
	updateOffer
} from './offers';
import { assess, makeOffer, offerInput, offerWorld, type OfferWorld } from './testing';

useTestDb();

let w: OfferWorld;
beforeAll(async () => {
	w = await offerWorld();
});

describe('parseOffer', () => {
	it('accepts a full offer with grouped amounts, themes and an https link', () => {
		const d = parseOffer(
			offerInput({ costMin: '2.500', costMax: '12.000,50', url: 'https://beratung.example/angebot', themes: ['municipal', 'buildings'], description: '**fett**' })
		);
		expect(d).toMatchObject({ costMin: 2500, costMax: 12000.5, url: 'https://beratung.example/angebot', themes: ['municipal', 'buildings'], description: '**fett**' });
	});

	it('names every bad field at once', () => {
		const e = (input: Record<string, string | string[]>) => {
			try {
				parseOffer(input);
			} catch (err) {
				return (err as { fieldErrors: Record<string, string> }).fieldErrors;
			}
			throw new Error('expected errors');
		};
		expect(e({})).toMatchObject({ title: 'validation.required', provider: 'validation.required', kind: 'validation.choice', priceModel: 'validation.choice' });
		expect(e(offerInput({ costMin: '-5' }))).toEqual({ costMin: 'offers.cost' });
		expect(e(offerInput({ costMin: 'viel' }))).toEqual({ costMin: 'offers.cost' });
		expect(e(offerInput({ costMin: '5.000', costMax: '1.000' }))).toEqual({ costMax: 'offers.costRange' });
		expect(e(offerInput({ priceModel: 'free', costMin: '100' }))).toEqual({ costMin: 'offers.costFree' });
		expect(e(offerInput({ priceModel: 'free', costMax: '0' }))).toEqual({ costMax: 'offers.costFree' });
		expect(e(offerInput({ url: 'javascript:alert(1)' }))).toEqual({ url: 'validation.url' });
		expect(e(offerInput({ url: 'ftp://x.example' }))).toEqual({ url: 'validation.url' });
		expect(e(offerInput({ themes: ['energy', 'weltraum'] }))).toEqual({ themes: 'validation.choice' });
		expect(e(offerInput({ kind: 'magic' }))).toEqual({ kind: 'validation.choice' });
		expect(e(offerInput({ description: 'x'.repeat(20001) }))).toEqual({ description: 'dir.tooLong20000' });
		expect(e(offerInput({ title: 'x'.repeat(1_000_000) }))).toEqual({ title: 'dir.tooLong200' });
	});

	it('keeps script payloads as plain text and drops NUL bytes', () => {
		const d = parseOffer(offerInput({ title: '<script>alert(1)</script>\u0000', provider: '"><img src=x onerror=alert(1)>' }));
		expect(d.title).toBe('<script>alert(1)</script>');
		expect(d.provider).toBe('"><img src=x onerror=alert(1)>');
	});
});

describe('offers CRUD', () => {
	it('a member creates an offer (audited), reads it with creator and themes, edits it with the version guard', async () => {
		const o = await makeOffer(w.member, w.network.id, { themes: ['energy'], costMin: '1.000', costMax: '3.000' });
		expect(o).toMatchObject({ kind: 'consultancy', version: 1, costMin: 1000, costMax: 3000, themes: ['energy'], createdBy: w.member.userId });
		const d = await getOffer(w.partner, w.network.id, o.id);
		expect(d.creatorName).toBe(w.member.name);
		expect(d.canEdit).toBe(false);
		expect(d.aggregate.towns.count).toBe(0);
		expect((await getOffer(w.member, w.network.id, o.id)).canEdit).toBe(true);

		const { values } = await offerFormValues(w.member, w.network.id, o.id);
		expect(values).toMatchObject({ version: '1', costMin: '1000', costMax: '3000' });
		const u = await updateOffer(w.member, w.network.id, o.id, { ...values, title: 'Neuer Titel', themes: ['energy', 'municipal'] });
		expect(u).toMatchObject({ title: 'Neuer Titel', version: 2, themes: ['energy', 'municipal'] });

		// A stale form: refused with the current version put into the form; nothing changes.
		const stale = await fieldErrors(updateOffer(w.member, w.network.id, o.id, { ...values, title: 'Verloren' }));
		expect(stale).toEqual({ _form: 'offers.editedMeanwhile' });
		const noVersion = await fieldErrors(updateOffer(w.member, w.network.id, o.id, { ...values, version: '' }));
		expect(noVersion).toEqual({ _form: 'offers.versionMissing' });
		expect((await getOffer(w.member, w.network.id, o.id)).title).toBe('Neuer Titel');

		const log = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'offer'), eq(auditLog.recordId, o.id)));
		expect(log.map((l) => l.action).sort()).toEqual(['create', 'update']);
	});

	it('refuses bad input without changing anything', async () => {
		const before = await db().select().from(offers).where(eq(offers.networkId, w.network.id));
		expect(await fieldErrors(createOffer(w.member, w.network.id, offerInput({ costMin: '9', costMax: '1' })))).toEqual({ costMax: 'offers.costRange' });
		expect(await fieldErrors(createOffer(w.member, w.network.id, offerInput({ costMin: '-1' })))).toEqual({ costMin: 'offers.cost' });
		const after = await db().select().from(offers).where(eq(offers.networkId, w.network.id));
		expect(after.length).toBe(before.length);
	});

	it('permissions: partners and citizens may not create; only the creator or a coordinator edits and archives', async () => {
		await expect(makeOffer(w.partner, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(makeOffer(w.citizen, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(makeOffer(w.foreignCoordinator, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		const o = await makeOffer(w.member, w.network.id);
		await expect(updateOffer(w.otherMember, w.network.id, o.id, offerInput({ version: '1' }))).rejects.toBeInstanceOf(ForbiddenError);
		await expect(setOfferArchived(w.otherMember, w.network.id, o.id, true)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(getOffer(w.citizen, w.network.id, o.id)).rejects.toBeInstanceOf(ForbiddenError);
		const c = await updateOffer(w.coordinator, w.network.id, o.id, offerInput({ version: '1', title: 'Von der Koordination' }));
		expect(c.title).toBe('Von der Koordination');
	});

	it('network isolation: another network sees 404; malformed ids are 404', async () => {
		const o = await makeOffer(w.member, w.network.id);
		await expect(getOffer(w.foreignCoordinator, w.foreign.id, o.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(updateOffer(w.foreignCoordinator, w.foreign.id, o.id, offerInput({ version: '1' }))).rejects.toBeInstanceOf(NotFoundError);
		await expect(getOffer(w.member, w.network.id, 'nicht-da')).rejects.toBeInstanceOf(NotFoundError);
		await expect(getOffer(w.member, w.network.id, "1' or '1'='1")).rejects.toBeInstanceOf(NotFoundError);
		expect((await listOffers(w.foreignCoordinator, w.foreign.id)).items.find((i) => i.id === o.id)).toBeUndefined();
	});

	it('archives and restores (audited); archived offers stay readable but leave the default list', async () => {
		const o = await makeOffer(w.member, w.network.id, { title: 'Archivtest Angebot' });
		const archived = await setOfferArchived(w.member, w.network.id, o.id, true);
		expect(archived.archivedAt).toBeInstanceOf(Date);
		expect((await getOffer(w.partner, w.network.id, o.id)).archivedAt).toBeInstanceOf(Date);
		expect((await listOffers(w.member, w.network.id, { q: 'Archivtest' })).total).toBe(0);
		expect((await listOffers(w.member, w.network.id, { q: 'Archivtest', archived: true })).total).toBe(1);
		const restored = await setOfferArchived(w.coordinator, w.network.id, o.id, false);
		expect(restored.archivedAt).toBeNull();
		const actions = (await db().select().from(auditLog).where(eq(auditLog.recordId, o.id))).map((l) => l.action);
		expect(actions).toEqual(expect.arrayContaining(['archive', 'unarchive']));
	});
});

describe('mark as discussed', () => {
	it('only coordinators; clears the flag until a town assesses anew', async () => {
		const o = await makeOffer(w.member, w.network.id);
		await assess(w.member, w.network.id, o.id, { bodyId: w.town.id, benefit: '1' });
		await assess(w.otherMember, w.network.id, o.id, { bodyId: w.other.id, benefit: '4' });
		let d = await getOffer(w.member, w.network.id, o.id);
		expect(d.aggregate.flagged).toBe(true);
		expect(d.disagreement).toBe(true);
		expect(d.canDiscuss).toBe(false);
		await expect(markDiscussed(w.member, w.network.id, o.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(markDiscussed(w.partner, w.network.id, o.id)).rejects.toBeInstanceOf(ForbiddenError);

		await markDiscussed(w.coordinator, w.network.id, o.id);
		d = await getOffer(w.coordinator, w.network.id, o.id);
		expect(d.aggregate.flagged).toBe(false);
		expect(d.disagreement).toBe(true);
		expect((await listOffers(w.member, w.network.id, { flagged: true })).items.map((i) => i.id)).not.toContain(o.id);

		// A new town assessment after the discussion raises it again.
		await new Promise((r) => setTimeout(r, 5));
		await assess(w.coordinator, w.network.id, o.id, { bodyId: w.third.id, benefit: '3' });
		d = await getOffer(w.member, w.network.id, o.id);
		expect(d.aggregate.flagged).toBe(true);
		expect((await listOffers(w.member, w.network.id, { flagged: true })).items.map((i) => i.id)).toContain(o.id);
		expect((await db().select().from(auditLog).where(and(eq(auditLog.recordId, o.id), eq(auditLog.action, 'discussed')))).length).toBe(1);
	});
});

describe('listOffers', () => {
	it('filters by text, kind, theme, price model and flag; sorts by title or last assessment; paginates', async () => {
		const n = await offerWorld();
		const net = n.network.id;
		const a = await makeOffer(n.member, net, { title: 'Fördermittelberatung Kommunalrichtlinie', kind: 'consultancy', themes: ['municipal'], priceModel: 'free' });
		const b = await makeOffer(n.member, net, { title: 'Bilanzierungssoftware', provider: 'Software AG', kind: 'software', priceModel: 'per_year', themes: ['energy', 'municipal'] });
		const c = await makeOffer(n.member, net, { title: 'Energiesparmodelle an Schulen', kind: 'campaign', priceModel: 'per_inhabitant', description: 'Fifty-fifty an Grundschulen' });
		const all = await listOffers(n.member, net);
		expect(all.items.map((i) => i.title)).toEqual(['Bilanzierungssoftware', 'Energiesparmodelle an Schulen', 'Fördermittelberatung Kommunalrichtlinie']);
		expect(all.total).toBe(3);

		expect((await listOffers(n.member, net, { q: 'Fördermittel' })).items.map((i) => i.id)).toEqual([a.id]);
		expect((await listOffers(n.member, net, { q: 'grundschule' })).items.map((i) => i.id)).toEqual([c.id]);
		expect((await listOffers(n.member, net, { q: 'Software AG' })).items.map((i) => i.id)).toEqual([b.id]);
		expect((await listOffers(n.member, net, { q: "'); drop table offers; --" })).total).toBe(0);
		expect((await listOffers(n.member, net, { q: '&|!:*()' })).total).toBe(0);
		expect((await listOffers(n.member, net, { kind: 'software' })).items.map((i) => i.id)).toEqual([b.id]);
		expect((await listOffers(n.member, net, { theme: 'municipal' })).items.map((i) => i.id)).toEqual([b.id, a.id]);
		expect((await listOffers(n.member, net, { priceModel: 'free' })).items.map((i) => i.id)).toEqual([a.id]);

		await assess(n.member, net, c.id, { bodyId: n.town.id, benefit: '1' });
		await new Promise((r) => setTimeout(r, 5));
		await assess(n.otherMember, net, c.id, { bodyId: n.other.id, benefit: '5' });
		await new Promise((r) => setTimeout(r, 5));
		await assess(n.member, net, a.id, { bodyId: n.town.id, benefit: '4' });
		expect((await listOffers(n.member, net, { flagged: true })).items.map((i) => i.id)).toEqual([c.id]);
		expect((await listOffers(n.member, net, { sort: 'assessed' })).items.map((i) => i.id)).toEqual([a.id, c.id, b.id]);

		const listed = (await listOffers(n.member, net)).items.find((i) => i.id === c.id)!;
		expect(listed.aggregate.towns.count).toBe(2);
		expect(listed.aggregate.towns.benefitSpread).toBe(4);
		expect(listed.aggregate.townNames).toEqual(['Halberstadt', 'Wernigerode']);
		expect(listed.aggregate.flagged).toBe(true);

		const p1 = await listOffers(n.member, net, { page: 1, pageSize: 2 });
		const p2 = await listOffers(n.member, net, { page: 2, pageSize: 2 });
		expect(p1.items.length).toBe(2);
		expect(p2.items.length).toBe(1);
		expect(p1.total).toBe(3);
		expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(3);
		// Nonsense page numbers are clamped, never thrown at the database.
		expect((await listOffers(n.member, net, { page: -3, pageSize: 1e9 })).page).toBe(1);

		await expect(listOffers(n.citizen, net)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('reads filters from the URL and writes them back; nonsense is ignored', () => {
		const f = offerFilterFromUrl(new URL('http://x/harz/intern/angebote?q=LED%00&art=software&handlungsfeld=energy&preis=free&diskussion=1&archiv=1&sortierung=assessed'));
		expect(f).toEqual({ q: 'LED', kind: 'software', theme: 'energy', priceModel: 'free', flagged: true, archived: true, sort: 'assessed' });
		expect(offerFilterToQuery(f).toString()).toBe('q=LED&art=software&handlungsfeld=energy&preis=free&diskussion=1&archiv=1&sortierung=assessed');
		expect(offerFilterFromUrl(new URL('http://x/?art=rakete&handlungsfeld=%27&preis=1&sortierung=x'))).toEqual({
			q: undefined,
			kind: undefined,
			theme: undefined,
			priceModel: undefined,
			flagged: undefined,
			archived: undefined,
			sort: undefined
		});
	});
});
