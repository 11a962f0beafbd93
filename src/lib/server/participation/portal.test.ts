import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { ideas } from '../db/schema';
import { NotFoundError } from '../errors';
import { makeMeasure, measureWorld } from '../measures/testing';
import { postStatusUpdate } from '../measures/history';
import { getPublicMeasure, ideasOfMeasure, listPublicMeasures, portalCounts, publicMeasureHistory, recentPublicUpdates } from './portal';

useTestDb();

type IdeaState = (typeof ideas.$inferInsert)['state'];

async function addIdeas(networkId: string, bodyId: string, states: IdeaState[], measureId: string | null = null) {
	await db()
		.insert(ideas)
		.values(states.map((state, i) => ({ networkId, bodyId, state, title: `Idee ${i}`, body: 'Text', measureId: state === 'measure' ? measureId : null })));
}

describe('portal counts', () => {
	it('counts public measures in implementation and completed, ideas received (all but rejected) and turned into measures, per network and town', async () => {
		const w = await measureWorld();
		const b = await measureWorld();
		const pub = { isPublic: 'on' };
		const m1 = await makeMeasure(w.member, w.network.id, w.concept.id, { ...pub, code: 'A1', status: 'implementation', progress: '40' });
		await makeMeasure(w.member, w.network.id, w.concept.id, { ...pub, code: 'A2', status: 'completed', progress: '100' });
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'A3', status: 'implementation' }); // internal: not counted
		await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { ...pub, code: 'B1', status: 'implementation' });
		await makeMeasure(b.member, b.network.id, b.concept.id, { ...pub, code: 'X1', status: 'implementation' }); // other network
		await addIdeas(w.network.id, w.town.id, ['pending', 'published', 'published', 'rejected', 'merged', 'measure'], m1.id);
		await addIdeas(w.network.id, w.other.id, ['published', 'rejected', 'measure'], m1.id);
		await addIdeas(b.network.id, b.town.id, ['published', 'measure', 'measure'], null);

		expect(await portalCounts(w.network.id)).toEqual({ measures: 3, inImplementation: 2, completed: 1, ideasReceived: 7, ideasToMeasures: 2 });
		expect(await portalCounts(w.network.id, w.town.id)).toEqual({ measures: 2, inImplementation: 1, completed: 1, ideasReceived: 5, ideasToMeasures: 1 });
		expect(await portalCounts(b.network.id)).toEqual({ measures: 1, inImplementation: 1, completed: 0, ideasReceived: 3, ideasToMeasures: 2 });
	});

	it('is zero for a network with nothing yet', async () => {
		const w = await measureWorld();
		expect(await portalCounts(w.network.id)).toEqual({ measures: 0, inImplementation: 0, completed: 0, ideasReceived: 0, ideasToMeasures: 0 });
	});
});

describe('public measures', () => {
	it('lists only public measures of the network, filtered by town, theme, status and words, without internal flags', async () => {
		const w = await measureWorld();
		const b = await measureWorld();
		await makeMeasure(w.member, w.network.id, w.concept.id, { isPublic: 'on', code: 'P1', title: 'Photovoltaik auf der Schule', fieldId: w.energy.id, status: 'implementation' });
		await makeMeasure(w.member, w.network.id, w.concept.id, { isPublic: 'on', code: 'P2', title: 'Radweg zum Bahnhof', fieldId: w.mobility.id, status: 'planned' });
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'I1', title: 'Interne Prüfung Photovoltaik' });
		await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { isPublic: 'on', code: 'H1', title: 'Photovoltaik Halberstadt', status: 'implementation' });
		await makeMeasure(b.member, b.network.id, b.concept.id, { isPublic: 'on', code: 'X1', title: 'Photovoltaik anderswo' });

		const all = await listPublicMeasures(w.network.id);
		expect(all.items.map((m) => m.title).sort()).toEqual(['Photovoltaik Halberstadt', 'Photovoltaik auf der Schule', 'Radweg zum Bahnhof']);
		expect(all.total).toBe(3);
		expect(Object.keys(all.items[0])).not.toContain('conflicts');
		expect(Object.keys(all.items[0])).not.toContain('isPublic');

		expect((await listPublicMeasures(w.network.id, { ags: w.town.ags })).items.map((m) => m.title).sort()).toEqual(['Photovoltaik auf der Schule', 'Radweg zum Bahnhof']);
		expect((await listPublicMeasures(w.network.id, { theme: 'mobility' })).items.map((m) => m.title)).toEqual(['Radweg zum Bahnhof']);
		expect((await listPublicMeasures(w.network.id, { status: ['implementation'] })).total).toBe(2);
		expect((await listPublicMeasures(w.network.id, { q: 'Photovoltaik' })).items.map((m) => m.title).sort()).toEqual(['Photovoltaik Halberstadt', 'Photovoltaik auf der Schule']);
		const paged = await listPublicMeasures(w.network.id, { pageSize: 2, page: 2 });
		expect(paged).toMatchObject({ total: 3, page: 2 });
		expect(paged.items).toHaveLength(1);
	});

	it('shows a public measure with its history without authors; internal and other networks’ measures are not found', async () => {
		const w = await measureWorld();
		const b = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { isPublic: 'on', fieldId: w.energy.id, savingsT: '12,5' });
		await postStatusUpdate(w.member, w.network.id, m.id, { status: 'implementation', progress: '30', text: 'Bauarbeiten haben begonnen' });
		const internal = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2' });

		const p = await getPublicMeasure(w.network.id, m.id);
		expect(p).toMatchObject({ title: 'PV auf dem Rathausdach', status: 'implementation', progress: 30, savingsT: 12.5, bodyName: 'Wernigerode', field: { name: 'Energieversorgung' } });
		expect(p).not.toHaveProperty('costEstimate');
		expect(p).not.toHaveProperty('contactPerson');

		const h = await publicMeasureHistory(w.network.id, m.id);
		expect(h.items.map((u) => u.text)).toContain('Bauarbeiten haben begonnen');
		expect(h.items.every((u) => u.authorName === '' && u.authorId === null)).toBe(true);

		await expect(getPublicMeasure(w.network.id, internal.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getPublicMeasure(b.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getPublicMeasure(w.network.id, 'not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
		await expect(publicMeasureHistory(w.network.id, internal.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('recent updates come from public measures of the network (or the town) only', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { isPublic: 'on' });
		const internal = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2' });
		const other = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { isPublic: 'on', code: 'H-1' });
		await postStatusUpdate(w.member, w.network.id, m.id, { text: 'Öffentlich' });
		await postStatusUpdate(w.member, w.network.id, internal.id, { text: 'Geheim' });
		await postStatusUpdate(w.otherMember, w.network.id, other.id, { text: 'Halberstadt' });
		const all = await recentPublicUpdates(w.network.id, { limit: 10 });
		expect(all.map((u) => u.text)).toEqual(expect.arrayContaining(['Öffentlich', 'Halberstadt']));
		expect(all.map((u) => u.text)).not.toContain('Geheim');
		expect(all[0]).not.toHaveProperty('authorName');
		const town = await recentPublicUpdates(w.network.id, { bodyId: w.town.id, limit: 10 });
		expect(town.map((u) => u.measureId).every((id) => id === m.id)).toBe(true);
	});

	it('names the ideas a measure came from (state measure only, same network)', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { isPublic: 'on' });
		await addIdeas(w.network.id, w.town.id, ['measure', 'measure'], m.id);
		await db().insert(ideas).values({ networkId: w.network.id, bodyId: w.town.id, state: 'published', title: 'Noch offen', body: 'x', measureId: m.id });
		const list = await ideasOfMeasure(w.network.id, m.id);
		expect(list).toHaveLength(2);
		expect(list.map((i) => i.title)).not.toContain('Noch offen');
	});
});
