import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, indicatorValues } from '../db/schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR, type Actor } from '../auth/actor';
import {
	addValue,
	attachableMeasures,
	attachMeasure,
	canCreateIndicator,
	createIndicator,
	deleteGoal,
	deleteIndicator,
	deleteValue,
	detachMeasure,
	editableBodies,
	getIndicator,
	indicatorFormValues,
	indicatorsForMeasure,
	listIndicators,
	setGoal,
	updateIndicator,
	updateValue
} from './indicators';
import { makeMeasure, measureWorld } from './testing';

useTestDb();

const TODAY = '2026-03-15';


const pv = { name: 'Installierte PV-Leistung', unit: 'kWp', description: 'Alle Anlagen im Gemeindegebiet' };

describe('indicators', () => {
	it('create, read, update and delete, each with an audit entry', async () => {
		const w = await measureWorld();
		const i = await createIndicator(w.member, w.network.id, w.town.id, { ...pv, isPublic: 'on' });
		expect(i).toMatchObject({ name: pv.name, unit: 'kWp', isPublic: true, bodyId: w.town.id, networkId: w.network.id });
		const detail = await getIndicator(w.member, w.network.id, i.id);
		expect(detail).toMatchObject({ bodyName: 'Wernigerode', values: [], goals: [], measures: [], canEdit: true });
		const { values } = await indicatorFormValues(w.member, w.network.id, i.id);
		expect(values).toEqual({ name: pv.name, unit: 'kWp', description: pv.description, isPublic: 'on' });
		await updateIndicator(w.member, w.network.id, i.id, { ...values, unit: 'MWp', isPublic: '' });
		expect(await getIndicator(w.member, w.network.id, i.id)).toMatchObject({ unit: 'MWp', isPublic: false });
		await addValue(w.member, w.network.id, i.id, { observedOn: '2024-12-31', value: '1.234,5' }, { today: TODAY });
		await deleteIndicator(w.member, w.network.id, i.id);
		await expect(getIndicator(w.member, w.network.id, i.id)).rejects.toBeInstanceOf(NotFoundError);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordId, i.id), eq(auditLog.recordType, 'indicator')));
		expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete', 'update']);
		// The deleted indicator's values stay readable in the log.
		expect(JSON.stringify(audit.find((a) => a.action === 'delete')!.before)).toContain('1234.5');
		expect(await db().select().from(indicatorValues).where(eq(indicatorValues.indicatorId, i.id))).toEqual([]);
	});

	it('refuses missing name and unit, and a body of another network or none', async () => {
		const w = await measureWorld();
		const foreign = await measureWorld();
		expect(await fieldErrors(createIndicator(w.member, w.network.id, w.town.id, { name: ' ', unit: '' }))).toEqual({
			name: 'validation.required',
			unit: 'validation.required'
		});
		expect(await fieldErrors(createIndicator(w.coordinator, w.network.id, '', pv))).toEqual({ bodyId: 'indicator.bodyRequired' });
		expect(await fieldErrors(createIndicator(w.coordinator, w.network.id, foreign.town.id, pv))).toEqual({ bodyId: 'indicator.bodyUnknown' });
		expect((await listIndicators(w.coordinator, w.network.id)).total).toBe(0);
	});

	it('values: German numbers, ordered by date, one per date, none in the future', async () => {
		const w = await measureWorld();
		const i = await createIndicator(w.member, w.network.id, w.town.id, pv);
		const add = (observedOn: string, value: string, note = '') => addValue(w.member, w.network.id, i.id, { observedOn, value, note }, { today: TODAY });
		await add('2024-12-31', '1.234,5', 'Marktstammdatenregister');
		await add('31.12.2022', '-12,25');
		const zero = await add('2023-12-31', '0');
		expect(await fieldErrors(add('2023-12-31', '7'))).toEqual({ observedOn: 'indicator.dateTaken' });
		expect(await fieldErrors(add('2025-01-01', '12,3,4'))).toEqual({ value: 'indicator.valueInvalid' });
		expect(await fieldErrors(add('2025-01-01', 'viel'))).toEqual({ value: 'indicator.valueInvalid' });
		expect(await fieldErrors(add('', ''))).toEqual({ observedOn: 'validation.required', value: 'validation.required' });
		expect(await fieldErrors(add('2026-03-16', '1'))).toEqual({ observedOn: 'indicator.dateFuture' });
		expect(await fieldErrors(add('2025-02-30', '1'))).toEqual({ observedOn: 'dir.date' });
		// Today itself is fine.
		await add(TODAY, '1.500');
		const d = await getIndicator(w.partner, w.network.id, i.id);
		expect(d.values.map((v) => [v.observedOn, v.value])).toEqual([
			['2022-12-31', -12.25],
			['2023-12-31', 0],
			['2024-12-31', 1234.5],
			[TODAY, 1500]
		]);
		expect(d.values[2].note).toBe('Marktstammdatenregister');
		// Moving a value onto a taken date is refused; onto its own date or a free one is fine.
		expect(await fieldErrors(updateValue(w.member, w.network.id, zero.id, { observedOn: '2024-12-31', value: '1' }, { today: TODAY }))).toEqual({
			observedOn: 'indicator.dateTaken'
		});
		await updateValue(w.member, w.network.id, zero.id, { observedOn: '2023-12-31', value: '2,5' }, { today: TODAY });
		await updateValue(w.member, w.network.id, zero.id, { observedOn: '2023-06-30', value: '2,5' }, { today: TODAY });
		await deleteValue(w.member, w.network.id, d.values[0].id);
		const after = await getIndicator(w.member, w.network.id, i.id);
		expect(after.values.map((v) => [v.observedOn, v.value])).toEqual([
			['2023-06-30', 2.5],
			['2024-12-31', 1234.5],
			[TODAY, 1500]
		]);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordType, 'indicator_value'));
		expect(audit.filter((a) => a.networkId === w.network.id)).toHaveLength(4 + 2 + 1);
	});

	it('reads numbers as a German user types them: "1.500" is fifteen hundred, "1.5" one and a half', async () => {
		const w = await measureWorld();
		const i = await createIndicator(w.member, w.network.id, w.town.id, pv);
		const cases: [string, number][] = [['1.500', 1500], ['1.5', 1.5], ['1.234.567,8', 1234567.8], ['-0,5', -0.5], [' 12 345 ', 12345], ['86.72', 86.72]];
		for (const [k, [typed, expected]] of cases.entries()) {
			const v = await addValue(w.member, w.network.id, i.id, { observedOn: `2020-01-0${k + 1}`, value: typed }, { today: TODAY });
			expect([typed, v.value]).toEqual([typed, expected]);
		}
		expect(await fieldErrors(addValue(w.member, w.network.id, i.id, { observedOn: '2021-01-01', value: '1e400' }, { today: TODAY }))).toEqual({ value: 'indicator.valueInvalid' });
	});

	it('goals: one per year (setting again replaces), year 2000–2100', async () => {
		const w = await measureWorld();
		const i = await createIndicator(w.member, w.network.id, w.town.id, pv);
		await setGoal(w.member, w.network.id, i.id, { year: '2040', value: '20.000' });
		const g = await setGoal(w.member, w.network.id, i.id, { year: '2030', value: '5000' });
		await setGoal(w.member, w.network.id, i.id, { year: '2030', value: '6.000,5' });
		expect(await fieldErrors(setGoal(w.member, w.network.id, i.id, { year: '1999', value: '1' }))).toEqual({ year: 'indicator.goalYear' });
		expect(await fieldErrors(setGoal(w.member, w.network.id, i.id, { year: '2101', value: '1' }))).toEqual({ year: 'indicator.goalYear' });
		expect(await fieldErrors(setGoal(w.member, w.network.id, i.id, { year: '2030,5', value: 'x' }))).toEqual({
			year: 'indicator.goalYear',
			value: 'indicator.valueInvalid'
		});
		expect(await fieldErrors(setGoal(w.member, w.network.id, i.id, { year: '', value: '' }))).toEqual({ year: 'validation.required', value: 'validation.required' });
		let d = await getIndicator(w.member, w.network.id, i.id);
		expect(d.goals.map((x) => [x.year, x.value])).toEqual([
			[2030, 6000.5],
			[2040, 20000]
		]);
		expect(d.goals[0].id).toBe(g.id);
		const list = await listIndicators(w.member, w.network.id, { today: '2035-01-01' });
		expect(list.items[0].goal).toEqual({ year: 2040, value: 20000 });
		expect((await listIndicators(w.member, w.network.id, { today: '2050-01-01' })).items[0].goal).toEqual({ year: 2040, value: 20000 });
		expect((await listIndicators(w.member, w.network.id, { today: '2026-01-01' })).items[0].goal).toEqual({ year: 2030, value: 6000.5 });
		await expect(deleteGoal(w.otherMember, w.network.id, g.id)).rejects.toBeInstanceOf(ForbiddenError);
		await deleteGoal(w.member, w.network.id, g.id);
		d = await getIndicator(w.member, w.network.id, i.id);
		expect(d.goals.map((x) => x.year)).toEqual([2040]);
	});

	it('lists by body, then name, paginated, with latest value; ?kommune filters by AGS', async () => {
		const w = await measureWorld();
		for (const n of ['C', 'A', 'B']) await createIndicator(w.member, w.network.id, w.town.id, { name: `Indikator ${n}`, unit: 't' });
		const h = await createIndicator(w.otherMember, w.network.id, w.other.id, { name: 'Radverkehrsanteil', unit: '%' });
		await addValue(w.otherMember, w.network.id, h.id, { observedOn: '2020-01-01', value: '12' }, { today: TODAY });
		await addValue(w.otherMember, w.network.id, h.id, { observedOn: '2024-01-01', value: '17,5' }, { today: TODAY });
		const all = await listIndicators(w.partner, w.network.id, { pageSize: 3 });
		expect(all.total).toBe(4);
		// Halberstadt before Wernigerode.
		expect(all.items.map((x) => x.name)).toEqual(['Radverkehrsanteil', 'Indikator A', 'Indikator B']);
		expect(all.items[0]).toMatchObject({ valueCount: 2, latest: { value: 17.5, observedOn: '2024-01-01' }, bodyAgs: w.other.ags });
		expect((await listIndicators(w.partner, w.network.id, { pageSize: 3, page: 2 })).items.map((x) => x.name)).toEqual(['Indikator C']);
		expect((await listIndicators(w.partner, w.network.id, { ags: w.other.ags })).items.map((x) => x.name)).toEqual(['Radverkehrsanteil']);
		expect((await listIndicators(w.partner, w.network.id, { ags: '00000000' })).total).toBe(0);
	});

	it('network isolation: another network sees nothing and changes nothing', async () => {
		const w = await measureWorld();
		const foreign = await measureWorld();
		const i = await createIndicator(w.member, w.network.id, w.town.id, pv);
		const v = await addValue(w.member, w.network.id, i.id, { observedOn: '2024-01-01', value: '1' }, { today: TODAY });
		const g = await setGoal(w.member, w.network.id, i.id, { year: '2030', value: '2' });
		const fc = foreign.coordinator;
		expect((await listIndicators(fc, w.network.id)).items).toEqual([]);
		expect((await listIndicators(fc, foreign.network.id)).items).toEqual([]);
		await expect(getIndicator(fc, w.network.id, i.id)).rejects.toBeInstanceOf(NotFoundError);
		// Their own network's id with our row's id: the row is not found there.
		await expect(getIndicator(fc, foreign.network.id, i.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(updateIndicator(fc, foreign.network.id, i.id, pv)).rejects.toBeInstanceOf(NotFoundError);
		await expect(deleteIndicator(fc, foreign.network.id, i.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(addValue(fc, foreign.network.id, i.id, { observedOn: '2024-02-01', value: '1' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(updateValue(fc, foreign.network.id, v.id, { observedOn: '2024-02-01', value: '1' })).rejects.toBeInstanceOf(NotFoundError);
		await expect(deleteValue(fc, foreign.network.id, v.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(deleteGoal(fc, foreign.network.id, g.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(deleteIndicator(fc, w.network.id, i.id)).rejects.toBeInstanceOf(NotFoundError);
		expect((await getIndicator(w.member, w.network.id, i.id)).values).toHaveLength(1);
	});

	it('measures: attach within the network (idempotent), refuse other networks, detach; indicatorsForMeasure', async () => {
		const w = await measureWorld();
		const foreign = await measureWorld();
		const m1 = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', isPublic: 'on' });
		const m2 = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2' });
		const hm = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1' });
		const fm = await makeMeasure(foreign.member, foreign.network.id, foreign.concept.id, { code: 'F-1' });
		const i = await createIndicator(w.member, w.network.id, w.town.id, { ...pv, isPublic: 'on' });
		const internal = await createIndicator(w.member, w.network.id, w.town.id, { name: 'Interner Wert', unit: 't' });
		expect((await attachableMeasures(w.member, w.network.id, i.id)).map((m) => m.code)).toEqual(['M-1', 'M-2']);
		await attachMeasure(w.member, w.network.id, i.id, m1.id);
		await attachMeasure(w.member, w.network.id, i.id, m1.id);
		// A measure of another body in the same network may be attached (the service allows it).
		await attachMeasure(w.member, w.network.id, i.id, hm.id);
		await attachMeasure(w.member, w.network.id, internal.id, m1.id);
		expect(await fieldErrors(attachMeasure(w.member, w.network.id, i.id, fm.id))).toEqual({ measureId: 'indicator.measureUnknown' });
		expect(await fieldErrors(attachMeasure(w.member, w.network.id, i.id, ''))).toEqual({ measureId: 'indicator.measureRequired' });
		await expect(attachMeasure(w.otherMember, w.network.id, i.id, hm.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(attachMeasure(w.partner, w.network.id, i.id, m2.id)).rejects.toBeInstanceOf(ForbiddenError);
		expect((await attachableMeasures(w.member, w.network.id, i.id)).map((m) => m.code)).toEqual(['M-2']);
		expect((await getIndicator(w.partner, w.network.id, i.id)).measures.map((m) => m.code)).toEqual(['H-1', 'M-1']);
		// Outside the working area only public measures show.
		expect((await getIndicator(VISITOR, w.network.id, i.id)).measures.map((m) => m.code)).toEqual(['M-1']);

		await addValue(w.member, w.network.id, i.id, { observedOn: '2023-01-01', value: '10' }, { today: TODAY });
		await addValue(w.member, w.network.id, i.id, { observedOn: '2025-01-01', value: '12,5' }, { today: TODAY });
		expect(await indicatorsForMeasure(w.partner, w.network.id, m1.id)).toEqual([
			{ id: i.id, name: pv.name, unit: 'kWp', latest: { value: 12.5, observedOn: '2025-01-01' } },
			{ id: internal.id, name: 'Interner Wert', unit: 't', latest: null }
		]);
		// The portal's view of a public measure: public indicators only.
		expect((await indicatorsForMeasure(VISITOR, w.network.id, m1.id)).map((x) => x.id)).toEqual([i.id]);
		await expect(indicatorsForMeasure(VISITOR, w.network.id, m2.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(indicatorsForMeasure(foreign.coordinator, foreign.network.id, m1.id)).rejects.toBeInstanceOf(NotFoundError);
		expect(await indicatorsForMeasure(w.member, w.network.id, m2.id)).toEqual([]);

		await detachMeasure(w.member, w.network.id, i.id, m1.id);
		expect((await getIndicator(w.member, w.network.id, i.id)).measures.map((m) => m.code)).toEqual(['H-1']);
		expect((await indicatorsForMeasure(w.member, w.network.id, m1.id)).map((x) => x.id)).toEqual([internal.id]);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'indicator_measure'), eq(auditLog.networkId, w.network.id)));
		expect(audit.map((a) => a.action).sort()).toEqual(['create', 'create', 'create', 'delete']);
	});
});

type Role = 'coordinator' | 'member' | 'otherMember' | 'partner' | 'citizen' | 'visitor';
const actorOf = (w: Awaited<ReturnType<typeof measureWorld>>, r: Role): Actor => (r === 'visitor' ? VISITOR : w[r]);

describe('indicator permissions (indicator of the member’s town)', () => {
	// read internal, read public, create, edit (values, goals, measures), may create somewhere
	it.each([
		['coordinator', true, true, true, true, true],
		['member', true, true, true, true, true],
		['otherMember', true, true, false, false, true],
		['partner', true, true, false, false, false],
		['citizen', false, true, false, false, false],
		['visitor', false, true, false, false, false]
	] as const)('%s: read internal %s, read public %s, create %s, edit %s, create somewhere %s', async (role, readInternal, readPublic, create, edit, somewhere) => {
		const w = await measureWorld();
		const a = actorOf(w, role);
		const internal = await createIndicator(w.member, w.network.id, w.town.id, pv);
		const pub = await createIndicator(w.member, w.network.id, w.town.id, { ...pv, name: 'Öffentlich', isPublic: 'on' });
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1' });

		const readI = getIndicator(a, w.network.id, internal.id);
		if (readInternal) expect((await readI).canEdit).toBe(edit);
		else await expect(readI).rejects.toBeInstanceOf(NotFoundError);
		const readP = getIndicator(a, w.network.id, pub.id);
		if (readPublic) expect((await readP).canEdit).toBe(edit);
		else await expect(readP).rejects.toBeInstanceOf(NotFoundError);
		expect((await listIndicators(a, w.network.id)).items.map((x) => x.name).sort()).toEqual(readInternal ? [pv.name, 'Öffentlich'] : ['Öffentlich']);

		const created = createIndicator(a, w.network.id, w.town.id, { name: 'Neu', unit: 't' });
		if (create) expect((await created).name).toBe('Neu');
		else await expect(created).rejects.toBeInstanceOf(ForbiddenError);
		expect(canCreateIndicator(a, w.network.id)).toBe(somewhere);
		expect((await editableBodies(a, w.network.id)).length > 0).toBe(somewhere);

		// Edits of the public indicator: refused with 403 (readable) for everyone who may not edit.
		const writes = [
			() => updateIndicator(a, w.network.id, pub.id, { ...pv, unit: 'MWp' }),
			() => addValue(a, w.network.id, pub.id, { observedOn: '2024-01-01', value: '1' }, { today: TODAY }),
			() => setGoal(a, w.network.id, pub.id, { year: '2030', value: '2' }),
			() => attachMeasure(a, w.network.id, pub.id, m.id),
			() => detachMeasure(a, w.network.id, pub.id, m.id)
		];
		for (const write of writes) {
			if (edit) await write();
			else await expect(write()).rejects.toBeInstanceOf(ForbiddenError);
		}
		// The internal one is not even there for those who can't read it.
		const del = deleteIndicator(a, w.network.id, internal.id);
		if (edit) await del;
		else await expect(del).rejects.toBeInstanceOf(readInternal ? ForbiddenError : NotFoundError);
	});
});
