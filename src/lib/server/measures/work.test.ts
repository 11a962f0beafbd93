// Concepts with their fields of action, tasks, the constraints check and record links: the work
// on a measure after it exists.
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR } from '../auth/actor';
import { addField, createConcept, deleteConcept, deleteField, getConcept, listConcepts, moveField, updateConcept } from './concepts';
import { addTask, deleteTask, listTasks, updateTask } from './tasks';
import { getConstraints, listOpenConflicts, setConstraint } from './constraints';
import { listMeasures } from './list';
import { getMeasure } from './measures';
import { linkByAddress, linkRecords, listLinks, unlinkRecords } from '../links/service';
import { registerAllRecords } from '../records';
import { makeMeasure, measureWorld } from './testing';
import { makeActor } from '../testing/factories';

useTestDb();
registerAllRecords();


describe('concepts and fields of action', () => {
	it('keeps fields ordered, moves them, and refuses to delete what measures still use', async () => {
		const w = await measureWorld();
		const third = await addField(w.member, w.network.id, w.concept.id, { name: 'Gebäude', theme: 'buildings', color: '#123456' });
		await moveField(w.member, w.network.id, third.id, 'up');
		let c = await getConcept(w.member, w.network.id, w.concept.id);
		expect(c.fields.map((f) => f.name)).toEqual(['Energieversorgung', 'Gebäude', 'Mobilität']);
		await moveField(w.member, w.network.id, c.fields[0].id, 'up'); // already first: nothing happens
		c = await getConcept(w.member, w.network.id, w.concept.id);
		expect(c.fields.map((f) => f.position)).toEqual([1, 2, 3]);

		await makeMeasure(w.member, w.network.id, w.concept.id, { fieldId: w.energy.id });
		const counts = Object.fromEntries((await getConcept(w.member, w.network.id, w.concept.id)).fields.map((f) => [f.name, f.measureCount]));
		expect(counts).toEqual({ Energieversorgung: 1, Gebäude: 0, Mobilität: 0 });
		expect(await fieldErrors(deleteField(w.member, w.network.id, w.energy.id))).toEqual({ _form: 'concept.fieldInUse' });
		expect(await fieldErrors(deleteConcept(w.member, w.network.id, w.concept.id))).toEqual({ _form: 'concept.hasMeasures' });
		await deleteField(w.member, w.network.id, third.id);
		expect((await getConcept(w.member, w.network.id, w.concept.id)).fields).toHaveLength(2);
	});

	it('validates concept and field input', async () => {
		const w = await measureWorld();
		expect(await fieldErrors(createConcept(w.member, w.network.id, w.town.id, { title: '', kind: 'integrated', targetYear: '1999', documentUrl: 'javascript:alert(1)' }))).toEqual({
			title: 'validation.required',
			targetYear: 'concept.targetYear',
			documentUrl: 'validation.url'
		});
		expect(await fieldErrors(addField(w.member, w.network.id, w.concept.id, { name: 'X', theme: 'weather', color: 'red' }))).toEqual({
			theme: 'validation.choice',
			color: 'concept.fieldColor'
		});
		const updated = await updateConcept(w.member, w.network.id, w.concept.id, { title: 'Neu', kind: 'heat_planning', adoptedOn: '12.3.2024' });
		expect(updated).toMatchObject({ title: 'Neu', kind: 'heat_planning', adoptedOn: '2024-03-12' });
	});

	it('permissions: members only for their own town; concepts are internal to the working area', async () => {
		const w = await measureWorld();
		await expect(createConcept(w.otherMember, w.network.id, w.town.id, { title: 'X', kind: 'other' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(addField(w.partner, w.network.id, w.concept.id, { name: 'X', theme: 'other', color: '#000000' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listConcepts(w.citizen, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listConcepts(VISITOR, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		expect((await listConcepts(w.partner, w.network.id)).map((c) => [c.title, c.canEdit])).toEqual([
			['Klimaschutzkonzept Halberstadt', false],
			['Integriertes Klimaschutzkonzept', false]
		]);
		const foreign = await measureWorld();
		await expect(getConcept(foreign.coordinator, w.network.id, w.concept.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(getConcept(foreign.coordinator, foreign.network.id, w.concept.id)).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('tasks', () => {
	it('adds, changes and deletes tasks; an open task past its date makes the measure overdue', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id);
		expect(await fieldErrors(addTask(w.member, w.network.id, m.id, { title: '', state: 'later', dueOn: '31.02.2026' }))).toEqual({
			title: 'validation.required',
			state: 'validation.choice',
			dueOn: 'dir.date'
		});
		const task = await addTask(w.member, w.network.id, m.id, { title: 'Statik prüfen', state: 'open', dueOn: '2025-01-31' });
		expect((await listMeasures(w.member, w.network.id, { overdue: true, today: '2026-01-01' })).items.map((i) => i.id)).toEqual([m.id]);
		await updateTask(w.member, w.network.id, task.id, { title: 'Statik prüfen', state: 'done', dueOn: '2025-01-31' });
		expect((await listMeasures(w.member, w.network.id, { overdue: true, today: '2026-01-01' })).total).toBe(0);
		await expect(addTask(w.otherMember, w.network.id, m.id, { title: 'X', state: 'open' })).rejects.toBeInstanceOf(ForbiddenError);
		await deleteTask(w.member, w.network.id, task.id);
		expect(await listTasks(w.member, w.network.id, m.id)).toEqual([]);
		const foreign = await makeActor(null, 'operator');
		await expect(listTasks(foreign, w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('constraints check', () => {
	it('records each aspect, needs a note for a conflict, and lists open conflicts network-wide', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { isPublic: 'on' });
		expect((await getConstraints(w.member, w.network.id, m.id)).map((c) => c.state)).toEqual([null, null, null, null, null]);
		expect(await fieldErrors(setConstraint(w.member, w.network.id, m.id, { aspect: 'monument', state: 'conflict', note: '' }))).toEqual({ note: 'constraint.noteRequired' });
		expect(await fieldErrors(setConstraint(w.member, w.network.id, m.id, { aspect: 'weather', state: 'maybe' }))).toEqual({ aspect: 'validation.choice', state: 'validation.choice' });
		await setConstraint(w.member, w.network.id, m.id, { aspect: 'monument', state: 'conflict', note: 'Rathaus ist Baudenkmal', checkedOn: '2026-03-01' });
		await setConstraint(w.member, w.network.id, m.id, { aspect: 'building', state: 'to_check', note: '' });
		await setConstraint(w.member, w.network.id, m.id, { aspect: 'economic', state: 'cleared', note: 'Amortisation in 9 Jahren' });
		const states = Object.fromEntries((await getConstraints(w.member, w.network.id, m.id)).map((c) => [c.aspect, c.state]));
		expect(states).toEqual({ economic: 'cleared', building: 'to_check', nature: null, monument: 'conflict', other: null });

		const conflicts = await listOpenConflicts(w.partner, w.network.id);
		expect(conflicts.items.map((c) => [c.code, c.aspect, c.note])).toEqual([['M-1', 'monument', 'Rathaus ist Baudenkmal']]);
		expect((await listOpenConflicts(w.partner, w.network.id, { state: 'to_check' })).total).toBe(1);
		const list = await listMeasures(w.member, w.network.id, { constraint: 'conflict' });
		expect(list.items.map((i) => [i.conflicts, i.toCheck])).toEqual([[1, 1]]);
		expect((await listMeasures(w.member, w.network.id, { constraint: 'clear' })).total).toBe(0);

		// Resolving the conflict takes it off the network view.
		await setConstraint(w.member, w.network.id, m.id, { aspect: 'monument', state: 'cleared', note: 'Denkmalbehörde stimmt zu' });
		expect((await listOpenConflicts(w.partner, w.network.id)).total).toBe(0);
		await expect(listOpenConflicts(w.citizen, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(setConstraint(w.partner, w.network.id, m.id, { aspect: 'other', state: 'cleared' })).rejects.toBeInstanceOf(ForbiddenError);
		// The public may read the check of a public measure.
		expect((await getConstraints(VISITOR, w.network.id, m.id)).find((c) => c.aspect === 'monument')?.state).toBe('cleared');
	});
});

describe('record links', () => {
	it('links two measures by address, shows the link on both sides, hides it from those who may not read the other side', async () => {
		const w = await measureWorld();
		const a = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', isPublic: 'on' });
		const b = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1' });
		expect(await fieldErrors(linkByAddress(w.member, { type: 'measure', id: a.id }, 'https://example.org/'))).toEqual({ target: 'link.targetUnknown' });
		expect(await fieldErrors(linkByAddress(w.member, { type: 'measure', id: a.id }, `/${w.network.slug}/intern/massnahmen/${a.id}`))).toEqual({ target: 'link.self' });
		await linkByAddress(w.member, { type: 'measure', id: a.id }, `https://klimanetz.example/${w.network.slug}/intern/massnahmen/${b.id}?x=1#verlauf`, 'gleiche Idee');
		// Linking again changes nothing.
		await linkRecords(w.member, { type: 'measure', id: a.id }, { type: 'measure', id: b.id });
		const fromA = await listLinks(w.member, { type: 'measure', id: a.id });
		const fromB = await listLinks(w.otherMember, { type: 'measure', id: b.id });
		expect(fromA.map((l) => [l.other.id, l.note])).toEqual([[b.id, 'gleiche Idee']]);
		expect(fromB.map((l) => l.other.id)).toEqual([a.id]);
		// A visitor sees the public measure a but not the internal b behind the link.
		expect(await listLinks(VISITOR, { type: 'measure', id: a.id })).toEqual([]);
		// A measure of another network can't be linked.
		const foreign = await measureWorld();
		const f = await makeMeasure(foreign.member, foreign.network.id, foreign.concept.id, { isPublic: 'on' });
		expect(await fieldErrors(linkRecords(w.member, { type: 'measure', id: a.id }, { type: 'measure', id: f.id }))).toEqual({ target: 'link.targetUnknown' });
		await expect(linkRecords(w.partner, { type: 'measure', id: a.id }, { type: 'measure', id: b.id })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(unlinkRecords(w.partner, fromA[0].id)).rejects.toBeInstanceOf(ForbiddenError);
		// The other side's editor alone may not remove it (links/service.test.ts); its maker may.
		await expect(unlinkRecords(w.otherMember, fromA[0].id)).rejects.toBeInstanceOf(ForbiddenError);
		await unlinkRecords(w.member, fromA[0].id);
		expect(await listLinks(w.member, { type: 'measure', id: a.id })).toEqual([]);
		expect((await getMeasure(w.member, w.network.id, a.id)).id).toBe(a.id);
	});
});
