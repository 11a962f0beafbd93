import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { makeBody } from '../testing/factories';
import { NotFoundError } from '../errors';
import { addField, createConcept } from './concepts';
import { similarityQuery, similarMeasures } from './similar';
import { copyMeasure } from './copy';
import { makeMeasure, measureWorld } from './testing';

useTestDb();

const PV = {
	title: 'Photovoltaikanlagen auf den Dächern kommunaler Gebäude',
	description: 'Auf Schulen, Kitas und dem Rathaus werden Photovoltaikanlagen errichtet. Der Strom wird in den Gebäuden selbst genutzt.'
};

async function world() {
	const w = await measureWorld();
	const otherMobility = await addField(w.otherMember, w.network.id, w.otherConcept.id, { name: 'Verkehr', theme: 'mobility', color: '#335577' });
	const third = await makeBody(w.network.id, 'Quedlinburg');
	const thirdConcept = await createConcept(w.coordinator, w.network.id, third.id, { title: 'Maßnahmenplan Quedlinburg', kind: 'other' });
	const thirdEnergy = await addField(w.coordinator, w.network.id, thirdConcept.id, { name: 'Erneuerbare Energien', theme: 'energy', color: '#117733' });
	const source = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'E-1', fieldId: w.energy.id, ...PV });
	return { ...w, otherMobility, third, thirdConcept, thirdEnergy, source };
}

describe('similar measures ("who else does this")', () => {
	it('leaves out copies of the measure and its own original: the page lists those already', async () => {
		const w = await world();
		const copy = await copyMeasure(w.otherMember, w.network.id, w.source.id, w.otherConcept.id, { code: 'H-9', fieldId: w.otherEnergy.id });
		expect((await similarMeasures(w.member, w.network.id, w.source.id)).map((m) => m.id)).not.toContain(copy.id);
		expect((await similarMeasures(w.otherMember, w.network.id, copy.id)).map((m) => m.id)).not.toContain(w.source.id);
	});

	it('ranks the more similar text higher; same body, other themes and unrelated text are left out', async () => {
		const w = await world();
		const close = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, {
			code: 'H-1',
			fieldId: w.otherEnergy.id,
			title: 'Photovoltaik auf kommunalen Dächern',
			description: 'Photovoltaikanlagen auf Schulen und Kitas; der Strom wird in den Gebäuden genutzt.'
		});
		const loose = await makeMeasure(w.coordinator, w.network.id, w.thirdConcept.id, {
			code: 'Q-1',
			fieldId: w.thirdEnergy.id,
			title: 'Energieberatung für Hausbesitzer',
			description: 'Beratung zu Dämmung, Heizung und Photovoltaikanlagen auf dem eigenen Dach.'
		});
		await makeMeasure(w.coordinator, w.network.id, w.thirdConcept.id, {
			code: 'Q-2',
			fieldId: w.thirdEnergy.id,
			title: 'Repowering des Windparks',
			description: 'Ältere Windenergieanlagen werden durch leistungsstärkere ersetzt.'
		});
		// One shared word in the description is noise, not similarity.
		await makeMeasure(w.coordinator, w.network.id, w.thirdConcept.id, {
			code: 'Q-3',
			fieldId: w.thirdEnergy.id,
			title: 'Sanierung der Turnhalle',
			description: 'Die Gebäude werden gedämmt.'
		});
		// Same text, but the same town: not "someone else".
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'E-2', fieldId: w.energy.id, title: PV.title + ' (zweiter Abschnitt)', description: PV.description });
		// Same text, but mobility.
		await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-2', fieldId: w.otherMobility.id, ...PV });

		const list = await similarMeasures(w.member, w.network.id, w.source.id);
		expect(list.map((m) => m.id)).toEqual([close.id, loose.id]);
		expect(list[0]).toMatchObject({ code: 'H-1', bodyName: 'Halberstadt', bodyAgs: w.other.ags, status: 'planned' });
		expect(list[0].rank).toBeGreaterThan(list[1].rank);
		expect(await similarMeasures(w.member, w.network.id, w.source.id, { limit: 1 })).toHaveLength(1);
	});

	it('compares all themes when the source has no field of action', async () => {
		const w = await world();
		const noField = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'X-1', ...PV });
		const mobility = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-2', fieldId: w.otherMobility.id, ...PV });
		const unfiled = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-3', ...PV });
		const ids = (await similarMeasures(w.member, w.network.id, noField.id)).map((m) => m.id);
		expect(ids.sort()).toEqual([mobility.id, unfiled.id].sort());
	});

	it('finds inflected forms on both engines (German stems, prefix matching)', async () => {
		const w = await world();
		const src = await makeMeasure(w.member, w.network.id, w.concept.id, {
			code: 'F-1',
			fieldId: w.energy.id,
			title: 'Sanierung mit Fördermitteln',
			description: 'Antrag auf Zuschüsse'
		});
		const target = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, {
			code: 'F-2',
			fieldId: w.otherEnergy.id,
			title: 'Fördermittel für die Sanierung beantragen',
			description: ''
		});
		expect((await similarMeasures(w.member, w.network.id, src.id)).map((m) => m.id)).toContain(target.id);
		expect((await similarMeasures(w.otherMember, w.network.id, target.id)).map((m) => m.id)).toContain(src.id);
	});

	it('shows citizens public measures only, and only for a public source', async () => {
		const w = await world();
		const internal = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1', fieldId: w.otherEnergy.id, ...PV });
		const open = await makeMeasure(w.coordinator, w.network.id, w.thirdConcept.id, { code: 'Q-1', fieldId: w.thirdEnergy.id, isPublic: 'on', ...PV });
		await expect(similarMeasures(w.citizen, w.network.id, w.source.id)).rejects.toBeInstanceOf(NotFoundError);
		const publicSource = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'E-9', fieldId: w.energy.id, isPublic: 'on', ...PV });
		expect((await similarMeasures(w.citizen, w.network.id, publicSource.id)).map((m) => m.id)).toEqual([open.id]);
		expect((await similarMeasures(w.partner, w.network.id, publicSource.id)).map((m) => m.id).sort()).toEqual([internal.id, open.id].sort());
	});

	it('never shows measures of another network', async () => {
		const w = await world();
		const elsewhere = await measureWorld();
		await makeMeasure(elsewhere.otherMember, elsewhere.network.id, elsewhere.otherConcept.id, { code: 'H-1', fieldId: elsewhere.otherEnergy.id, isPublic: 'on', ...PV });
		expect(await similarMeasures(w.member, w.network.id, w.source.id)).toEqual([]);
		// The source's id in another network's URL is not found.
		await expect(similarMeasures(elsewhere.coordinator, elsewhere.network.id, w.source.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('builds a safe OR query of stem prefixes', () => {
		expect(similarityQuery("PV & Wärme | !x'; drop", 'Fördermitteln')).toBe('wärme:* | drop:* | fördermitteln:* | fördermittel:*');
		expect(similarityQuery('a b', '')).toBeNull();
	});
});
