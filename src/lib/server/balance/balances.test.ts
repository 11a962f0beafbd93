import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, balanceEntries, balances, bodies } from '../db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { VISITOR, type Actor } from '../auth/actor';
import { balanceFormValues, deleteBalance, getBalance, listBalanceYears, saveBalance } from './balances';
import { deleteTarget, saveTarget } from './targets';
import { balanceInput, balanceWorld, makeBalance } from './testing';

useTestDb();

type World = Awaited<ReturnType<typeof balanceWorld>>;
const who = (w: World, role: string): Actor => (role === 'visitor' ? VISITOR : (w as unknown as Record<string, Actor>)[role]);
const roles = ['coordinator', 'member', 'otherMember', 'partner', 'citizen', 'visitor'];

async function count(networkId: string) {
	return (await db().select().from(balances).where(eq(balances.networkId, networkId))).length;
}

describe('saving a balance', () => {
	it('stores the table and computes 1 000 × 0,5 + 2 000 × 0,25 = 1 000 t, 10 t per inhabitant', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		expect(b).toMatchObject({ year: 2020, inhabitants: 100, version: 1, isPublic: false, isDemo: false });
		const d = await getBalance(w.member, w.network.id, b.id);
		expect(d.entries).toHaveLength(2);
		expect(d.figures).toMatchObject({ totalT: 1000, energyMwh: 3000, perCapitaT: 10, complete: true });
		expect(d.figures.bySectorT.households).toBe(1000);
		expect(d.inhabitantsSource).toBe('balance');
		expect(d.canEdit).toBe(true);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, b.id));
		expect(audit.map((a) => a.action)).toEqual(['create']);
		expect((audit[0].after as { entries: object }).entries).toEqual({
			'households/electricity': { mwh: 1000, t: null, q: 'B' },
			'households/natural_gas': { mwh: 2000, t: null, q: 'C' }
		});
	});

	it.each(roles.map((r) => [r, ['coordinator', 'member'].includes(r)] as const))('%s may save the town’s balance: %s', async (role, allowed) => {
		const w = await balanceWorld();
		const p = saveBalance(who(w, role), w.network.id, w.town.id, balanceInput());
		if (allowed) await expect(p).resolves.toBeTruthy();
		else await expect(p).rejects.toThrow(ForbiddenError);
	});

	it.each([
		[{ e_households_electricity_mwh: '-5' }, { e_households_electricity_mwh: 'balance.negative' }],
		[{ e_transport_diesel_t: '-1' }, { e_transport_diesel_t: 'balance.negative' }],
		[{ e_households_electricity_mwh: 'viel' }, { e_households_electricity_mwh: 'balance.numberInvalid' }],
		[{ e_households_electricity_mwh: '5.000.000.000' }, { e_households_electricity_mwh: 'balance.tooLarge' }],
		[{ e_households_electricity_q: 'E' }, { e_households_electricity_q: 'balance.qualityInvalid' }],
		[{ year: '1850' }, { year: 'balance.yearRange' }],
		[{ year: '2300' }, { year: 'balance.yearRange' }],
		[{ year: '' }, { year: 'validation.required' }],
		[{ year: '20,20' }, { year: 'balance.yearRange' }],
		[{ inhabitants: '0' }, { inhabitants: 'balance.inhabitantsInvalid' }],
		[{ inhabitants: '12,5' }, { inhabitants: 'balance.inhabitantsInvalid' }],
		[{ e_households_electricity_mwh: '', e_households_natural_gas_mwh: '' }, { _form: 'balance.empty' }],
		[{ e_households_electricity_mwh: '0', e_households_natural_gas_mwh: '-0', e_transport_diesel_t: '0,0' }, { _form: 'balance.empty' }]
	] as [Record<string, string>, Record<string, string>][])('refuses %j with a message beside the field and stores nothing', async (over, expected) => {
		const w = await balanceWorld();
		expect(await fieldErrors(saveBalance(w.member, w.network.id, w.town.id, balanceInput(over)))).toEqual(expected);
		expect(await count(w.network.id)).toBe(0);
	});

	it('reads German numbers with thousands dots and decimal commas; lower-case quality is fine', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id, { e_households_electricity_mwh: '1.234,5', e_households_electricity_q: 'a', e_transport_diesel_t: '12,25' });
		const d = await getBalance(w.member, w.network.id, b.id);
		const cell = (c: string) => d.entries.find((e) => e.carrier === c);
		expect(cell('electricity')).toMatchObject({ energyMwh: 1234.5, quality: 'A' });
		expect(cell('diesel')).toMatchObject({ energyMwh: null, emissionsT: 12.25 });
	});

	it('does not overwrite another balance of the same year silently; saving again with its version replaces it', async () => {
		const w = await balanceWorld();
		const first = await makeBalance(w.member, w.network.id, w.town.id);
		let err: ValidationError | null = null;
		try {
			await saveBalance(w.coordinator, w.network.id, w.town.id, balanceInput({ e_households_electricity_mwh: '500' }));
		} catch (e) {
			err = e as ValidationError;
		}
		expect(err?.fieldErrors).toEqual({ year: 'balance.yearTaken' });
		expect(err?.values).toEqual({ id: first.id, version: '1' });
		const again = await saveBalance(w.coordinator, w.network.id, w.town.id, { ...balanceInput({ e_households_natural_gas_mwh: '' }), ...err!.values });
		expect(again).toMatchObject({ id: first.id, version: 2 });
		const entries = await db().select().from(balanceEntries).where(eq(balanceEntries.balanceId, first.id));
		expect(entries.map((e) => e.carrier)).toEqual(['electricity']);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, first.id));
		expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
		expect(Object.keys((audit[1].after as { entries: object }).entries)).toEqual(['households/electricity']);
	});

	it('refuses a stale version and keeps the input; the current version comes back', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		await saveBalance(w.coordinator, w.network.id, w.town.id, { ...balanceInput({ note: 'Koordination' }), id: b.id, version: '1' });
		try {
			await saveBalance(w.member, w.network.id, w.town.id, { ...balanceInput({ note: 'Mitglied' }), id: b.id, version: '1' });
			expect.unreachable();
		} catch (e) {
			expect((e as ValidationError).fieldErrors).toEqual({ _form: 'balance.editedMeanwhile' });
			expect((e as ValidationError).values).toEqual({ version: '2' });
		}
		expect((await getBalance(w.member, w.network.id, b.id)).balance.note).toBe('Koordination');
	});

	it('refuses an update without a version: it would skip the check', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		for (const version of [undefined, '', ' ', 'x']) {
			const input: Record<string, string | undefined> = { ...balanceInput({ note: 'ohne Version' }), id: b.id, version };
			expect(await fieldErrors(saveBalance(w.member, w.network.id, w.town.id, input))).toEqual({ _form: 'balance.versionMissing' });
		}
		expect((await getBalance(w.member, w.network.id, b.id)).balance).toMatchObject({ version: 1, note: '' });
	});

	it('keeps a zero cell beside others and stores "-0" as 0', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id, { e_transport_diesel_mwh: '-0' });
		const d = await getBalance(w.member, w.network.id, b.id);
		expect(Object.is(d.entries.find((e) => e.carrier === 'diesel')?.energyMwh, 0)).toBe(true);
	});

	it('keeps the target’s base year: that balance can neither move to another year nor be deleted', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2020', kind: 'ksg' });
		expect((await getBalance(w.member, w.network.id, b.id)).isBaseYear).toBe(true);
		expect(await fieldErrors(saveBalance(w.member, w.network.id, w.town.id, { ...balanceInput({ year: '2019' }), id: b.id, version: '1' }))).toEqual({ year: 'balance.isBaseYear' });
		expect(await fieldErrors(deleteBalance(w.member, w.network.id, b.id))).toEqual({ _form: 'balance.isBaseYear' });
		// Same year, new values: fine.
		await saveBalance(w.member, w.network.id, w.town.id, { ...balanceInput({ note: 'neu' }), id: b.id, version: '1' });
		expect(await count(w.network.id)).toBe(1);
		await deleteTarget(w.member, w.network.id, w.town.id);
		expect((await getBalance(w.member, w.network.id, b.id)).isBaseYear).toBe(false);
		await deleteBalance(w.member, w.network.id, b.id);
		expect(await count(w.network.id)).toBe(0);
	});

	it('moves a balance to another year, but not onto an existing one', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		await makeBalance(w.member, w.network.id, w.town.id, { year: '2018' });
		expect(await fieldErrors(saveBalance(w.member, w.network.id, w.town.id, { ...balanceInput({ year: '2018' }), id: b.id, version: '1' }))).toEqual({ year: 'balance.yearOther' });
		const moved = await saveBalance(w.member, w.network.id, w.town.id, { ...balanceInput({ year: '2019' }), id: b.id, version: '1' });
		expect(moved).toMatchObject({ id: b.id, year: 2019 });
	});

	it('overwrites without the check when the import asks, inside its transaction', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		const saved = await db().transaction((tx) => saveBalance(w.member, w.network.id, w.town.id, balanceInput({ note: 'Import' }), { tx, overwrite: true }));
		expect(saved).toMatchObject({ id: b.id, version: 2, note: 'Import' });
	});

	it('keeps networks apart: a body or balance of another network is not found', async () => {
		const w = await balanceWorld();
		const v = await balanceWorld();
		await expect(saveBalance(w.coordinator, w.network.id, v.town.id, balanceInput())).rejects.toThrow(NotFoundError);
		const b = await makeBalance(v.member, v.network.id, v.town.id);
		await expect(getBalance(w.coordinator, w.network.id, b.id)).rejects.toThrow(NotFoundError);
		await expect(getBalance(w.coordinator, v.network.id, b.id)).rejects.toThrow(NotFoundError);
		await expect(deleteBalance(w.coordinator, w.network.id, b.id)).rejects.toThrow(NotFoundError);
		await expect(getBalance(w.coordinator, w.network.id, 'not-a-uuid')).rejects.toThrow(NotFoundError);
	});
});

describe('reading a balance', () => {
	it.each(roles.map((r) => [r, !['citizen', 'visitor'].includes(r)] as const))('%s reads an internal balance: %s', async (role, allowed) => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		const p = getBalance(who(w, role), w.network.id, b.id);
		if (allowed) await expect(p).resolves.toBeTruthy();
		else await expect(p).rejects.toThrow(NotFoundError);
	});

	it.each(roles)('%s reads a public balance', async (role) => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id, { isPublic: 'on' });
		const d = await getBalance(who(w, role), w.network.id, b.id);
		expect(d.canEdit).toBe(['coordinator', 'member'].includes(role));
	});

	it('lists all years for the working area, the public ones for everyone else', async () => {
		const w = await balanceWorld();
		await makeBalance(w.member, w.network.id, w.town.id, { year: '2020' });
		await makeBalance(w.member, w.network.id, w.town.id, { year: '2018', isPublic: 'on' });
		expect((await listBalanceYears(w.partner, w.network.id, w.town.id)).map((y) => y.year)).toEqual([2018, 2020]);
		expect((await listBalanceYears(VISITOR, w.network.id, w.town.id)).map((y) => y.year)).toEqual([2018]);
		expect((await listBalanceYears(w.citizen, w.network.id, w.town.id)).map((y) => y.year)).toEqual([2018]);
	});

	it('takes the inhabitants from the directory when its year matches, else says they are unknown', async () => {
		const w = await balanceWorld();
		await db().update(bodies).set({ population: 200, populationYear: 2020 }).where(eq(bodies.id, w.town.id));
		const b2020 = await makeBalance(w.member, w.network.id, w.town.id, { inhabitants: '' });
		const b2018 = await makeBalance(w.member, w.network.id, w.town.id, { year: '2018', inhabitants: '' });
		const d2020 = await getBalance(w.member, w.network.id, b2020.id);
		expect(d2020.inhabitantsSource).toBe('directory');
		expect(d2020.figures.perCapitaT).toBe(5);
		const d2018 = await getBalance(w.member, w.network.id, b2018.id);
		expect(d2018.inhabitantsSource).toBe('unknown');
		expect(d2018.figures.perCapitaT).toBeNull();
		// 2018 has no factors at all: nothing is known, the balance says which carriers lack one.
		expect(d2018.figures).toMatchObject({ complete: false, missingFactors: ['electricity', 'natural_gas'], totalT: 0 });
	});

	it('marks a carrier without a factor as missing and counts only the known ones', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id, { e_commerce_heating_oil_mwh: '100' });
		const d = await getBalance(w.member, w.network.id, b.id);
		expect(d.figures).toMatchObject({ totalT: 1000, complete: false, missingFactors: ['heating_oil'] });
	});

	it('gives the edit form its values, with a decimal comma, id and version', async () => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id, { e_households_electricity_mwh: '1.234,5' });
		const f = await balanceFormValues(w.member, w.network.id, b.id);
		expect(f.values).toMatchObject({ id: b.id, version: '1', year: '2020', inhabitants: '100', e_households_electricity_mwh: '1234,5', e_households_electricity_q: 'B', isPublic: '' });
		await expect(balanceFormValues(w.otherMember, w.network.id, b.id)).rejects.toThrow(ForbiddenError);
		await expect(balanceFormValues(w.citizen, w.network.id, b.id)).rejects.toThrow(NotFoundError);
	});
});

describe('deleting a balance', () => {
	it.each(roles.map((r) => [r, ['coordinator', 'member'].includes(r)] as const))('%s may delete the town’s balance: %s', async (role, allowed) => {
		const w = await balanceWorld();
		const b = await makeBalance(w.member, w.network.id, w.town.id);
		const p = deleteBalance(who(w, role), w.network.id, b.id);
		if (allowed) {
			await p;
			expect(await count(w.network.id)).toBe(0);
			const audit = await db()
				.select()
				.from(auditLog)
				.where(and(eq(auditLog.recordId, b.id), eq(auditLog.action, 'delete')));
			expect(audit).toHaveLength(1);
		} else {
			await expect(p).rejects.toThrow(['citizen', 'visitor'].includes(role) ? NotFoundError : ForbiddenError);
			expect(await count(w.network.id)).toBe(1);
		}
	});
});
