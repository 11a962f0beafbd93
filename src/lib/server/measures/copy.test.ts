import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { ForbiddenError, NotFoundError } from '../errors';
import { getMeasure } from './measures';
import { listUpdates } from './history';
import { copiesOf, copyMeasure, copyTargets } from './copy';
import { makeMeasure, measureWorld } from './testing';

useTestDb();


async function world() {
	const w = await measureWorld();
	const source = await makeMeasure(w.member, w.network.id, w.concept.id, {
		code: 'M-2.1',
		fieldId: w.energy.id,
		title: 'LED-Umrüstung der Straßenbeleuchtung',
		description: 'Alle 2.400 Leuchten werden auf LED umgestellt.',
		status: 'implementation',
		progress: '40',
		priority: 'high',
		term: 'short',
		plannedStart: '2024-01-01',
		plannedEnd: '2026-12-31',
		costEstimate: '480000',
		fundingSource: 'Kommunalrichtlinie (NKI)',
		savingsT: '210,5',
		partnerBodyIds: [w.other.id],
		isPublic: 'on'
	});
	return { ...w, source };
}

describe('copy a measure as template', () => {
	it('copies the content into the own concept as an internal idea and keeps the link', async () => {
		const w = await world();
		const copy = await copyMeasure(w.otherMember, w.network.id, w.source.id, w.otherConcept.id, { code: 'E-7', fieldId: w.otherEnergy.id });
		expect(copy).toMatchObject({
			code: 'E-7',
			conceptId: w.otherConcept.id,
			bodyId: w.other.id,
			fieldId: w.otherEnergy.id,
			title: 'LED-Umrüstung der Straßenbeleuchtung',
			description: 'Alle 2.400 Leuchten werden auf LED umgestellt.',
			priority: 'high',
			term: 'short',
			costEstimate: 480000,
			fundingSource: 'Kommunalrichtlinie (NKI)',
			savingsT: 210.5,
			// Not taken over:
			status: 'idea',
			progress: 0,
			plannedStart: null,
			plannedEnd: null,
			isPublic: false,
			copiedFromId: w.source.id
		});
		const detail = await getMeasure(w.otherMember, w.network.id, copy.id);
		expect(detail.partners).toEqual([]);
		expect(detail.copiedFrom).toMatchObject({ id: w.source.id, code: 'M-2.1', bodyName: 'Wernigerode' });
		expect((await listUpdates(w.otherMember, w.network.id, copy.id)).items.map((u) => u.kind)).toEqual(['created']);
		// The original lists its copies: internal ones only for the working area.
		expect(await copiesOf(w.member, w.network.id, w.source.id)).toEqual([
			{ id: copy.id, code: 'E-7', title: copy.title, status: 'idea', bodyName: 'Halberstadt', bodyAgs: w.other.ags }
		]);
		expect(await copiesOf(w.citizen, w.network.id, w.source.id)).toEqual([]);
	});

	it('a copy without field of action, and the identifier may be the same as the original', async () => {
		const w = await world();
		const copy = await copyMeasure(w.coordinator, w.network.id, w.source.id, w.otherConcept.id, { code: 'M-2.1' });
		expect(copy).toMatchObject({ code: 'M-2.1', fieldId: null, bodyId: w.other.id });
	});

	it('refuses a taken identifier, a field of another concept and a missing target as field errors', async () => {
		const w = await world();
		await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'E-1' });
		expect(await fieldErrors(copyMeasure(w.otherMember, w.network.id, w.source.id, w.otherConcept.id, { code: 'E-1' }))).toEqual({ code: 'measure.codeTaken' });
		expect(await fieldErrors(copyMeasure(w.otherMember, w.network.id, w.source.id, w.otherConcept.id, { code: 'E-2', fieldId: w.energy.id }))).toEqual({
			fieldId: 'copy.fieldNotInConcept'
		});
		expect(await fieldErrors(copyMeasure(w.otherMember, w.network.id, w.source.id, w.otherConcept.id, { code: 'E-2', fieldId: 'kaputt' }))).toEqual({
			fieldId: 'copy.fieldNotInConcept'
		});
		expect(await fieldErrors(copyMeasure(w.otherMember, w.network.id, w.source.id, '', { code: 'E-2' }))).toEqual({ conceptId: 'copy.conceptRequired' });
		expect(await fieldErrors(copyMeasure(w.otherMember, w.network.id, w.source.id, w.otherConcept.id, { code: ' ' }))).toEqual({ code: 'validation.required' });
		expect(await copiesOf(w.member, w.network.id, w.source.id)).toEqual([]);
	});

	it.each([
		['partner', ForbiddenError],
		['citizen', ForbiddenError],
		['member', ForbiddenError]
	] as const)('a %s may not copy into a concept of a body they do not represent', async (role, err) => {
		const w = await world();
		// The town's member copying into Halberstadt's concept; partners and citizens into any.
		await expect(copyMeasure(w[role], w.network.id, w.source.id, w.otherConcept.id, { code: 'X-1' })).rejects.toBeInstanceOf(err);
	});

	it('an internal source is not found for citizens, nor from another network', async () => {
		const w = await world();
		const internal = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-9' });
		await expect(copyMeasure(w.citizen, w.network.id, internal.id, w.otherConcept.id, { code: 'X-1' })).rejects.toBeInstanceOf(NotFoundError);
		const elsewhere = await measureWorld();
		await expect(copyMeasure(elsewhere.coordinator, elsewhere.network.id, w.source.id, elsewhere.concept.id, { code: 'X-1' })).rejects.toBeInstanceOf(NotFoundError);
		// Target concept of another network: not offered, refused as unknown.
		expect(await fieldErrors(copyMeasure(w.coordinator, w.network.id, w.source.id, elsewhere.concept.id, { code: 'X-1' }))).toEqual({ conceptId: 'copy.conceptRequired' });
	});

	it('offers as targets only concepts of bodies the actor may edit', async () => {
		const w = await world();
		expect((await copyTargets(w.otherMember, w.network.id)).map((c) => c.id)).toEqual([w.otherConcept.id]);
		const all = await copyTargets(w.coordinator, w.network.id);
		expect(all.map((c) => c.bodyName)).toEqual(['Halberstadt', 'Wernigerode']);
		expect(all[1].fields.map((f) => f.name)).toEqual(['Energieversorgung', 'Mobilität']);
		expect(await copyTargets(w.partner, w.network.id)).toEqual([]);
		await expect(copyTargets(w.citizen, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
	});
});
