import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, emissionFactors } from '../db/schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR, type Actor } from '../auth/actor';
import { copyFactors, listFactors, saveFactors } from './factors';
import { balanceWorld } from './testing';

useTestDb();

type World = Awaited<ReturnType<typeof balanceWorld>>;
const who = (w: World, role: string): Actor => (role === 'visitor' ? VISITOR : (w as unknown as Record<string, Actor>)[role]);
const roles = ['coordinator', 'member', 'otherMember', 'partner', 'citizen', 'visitor'];

async function stored(networkId: string, year: number) {
	const rows = await db()
		.select()
		.from(emissionFactors)
		.where(and(eq(emissionFactors.networkId, networkId), eq(emissionFactors.year, year)));
	return Object.fromEntries(rows.map((r) => [r.carrier, r.kgPerKwh]));
}

describe('emission factors', () => {
	it('lists every carrier of a year, unknown ones as null', async () => {
		const w = await balanceWorld();
		const f = await listFactors(w.member, w.network.id, 2020);
		expect(f.rows).toHaveLength(12);
		expect(f.rows.find((r) => r.carrier === 'electricity')?.kgPerKwh).toBe(0.5);
		expect(f.rows.find((r) => r.carrier === 'coal')?.kgPerKwh).toBeNull();
		expect(f.years).toEqual([2020]);
		expect(f.canEdit).toBe(false);
		expect((await listFactors(w.coordinator, w.network.id, '2020')).canEdit).toBe(true);
	});

	it.each(roles.map((r) => [r, ['coordinator', 'member', 'otherMember', 'partner'].includes(r)] as const))('%s may read them: %s', async (role, allowed) => {
		const w = await balanceWorld();
		const p = listFactors(who(w, role), w.network.id, 2020);
		if (allowed) await expect(p).resolves.toBeTruthy();
		else await expect(p).rejects.toThrow(ForbiddenError);
	});

	it.each(roles.map((r) => [r, r === 'coordinator'] as const))('%s may save them: %s', async (role, allowed) => {
		const w = await balanceWorld();
		const p = saveFactors(who(w, role), w.network.id, 2021, { f_electricity: '0,4' });
		if (allowed) await expect(p).resolves.toBeTruthy();
		else await expect(p).rejects.toThrow(ForbiddenError);
	});

	it('saves German and English decimals, removes emptied ones and writes one audit entry', async () => {
		const w = await balanceWorld();
		await saveFactors(w.coordinator, w.network.id, 2020, { f_electricity: '0,478', f_heating_oil: '0.319', source_heating_oil: 'KEA-BW' });
		expect(await stored(w.network.id, 2020)).toEqual({ electricity: 0.478, heating_oil: 0.319 });
		const audit = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.networkId, w.network.id), eq(auditLog.recordType, 'emission_factors')));
		expect(audit.map((a) => [a.action, a.recordId])).toEqual([
			['update', '2020'],
			['update', '2020']
		]);
		// Only what changed: electricity changed, heating oil added, gas and diesel removed.
		expect(Object.keys(audit[1].before as object).sort()).toEqual(['diesel', 'electricity', 'natural_gas']);
		expect(Object.keys(audit[1].after as object).sort()).toEqual(['electricity', 'heating_oil']);
	});

	it('warns about 50 kg/kWh and saves it only when confirmed', async () => {
		const w = await balanceWorld();
		const errors = await fieldErrors(saveFactors(w.coordinator, w.network.id, 2020, { f_electricity: '50', f_natural_gas: '0,25' }));
		expect(errors).toEqual({ f_electricity: 'balance.factorHigh', confirmHigh: 'balance.factorConfirm' });
		expect((await stored(w.network.id, 2020)).electricity).toBe(0.5);
		await saveFactors(w.coordinator, w.network.id, 2020, { f_electricity: '50', confirmHigh: 'on' });
		expect((await stored(w.network.id, 2020)).electricity).toBe(50);
	});

	it.each([
		['-1', 'balance.factorNegative'],
		['-0,1', 'balance.factorNegative'],
		['abc', 'balance.factorInvalid'],
		['1.000,5', 'balance.factorInvalid'],
		['5000', 'balance.factorInvalid']
	])('refuses %s even when confirmed (%s) and changes nothing', async (value, key) => {
		const w = await balanceWorld();
		const errors = await fieldErrors(saveFactors(w.coordinator, w.network.id, 2020, { f_electricity: value, f_coal: '0,43', confirmHigh: 'on' }));
		expect(errors).toEqual({ f_electricity: key });
		expect(await stored(w.network.id, 2020)).toEqual({ electricity: 0.5, natural_gas: 0.25, diesel: 0.32 });
	});

	it('refuses a year outside 1990 … next year', async () => {
		const w = await balanceWorld();
		await expect(saveFactors(w.coordinator, w.network.id, 1850, { f_electricity: '1' })).rejects.toThrow(NotFoundError);
		await expect(saveFactors(w.coordinator, w.network.id, 2300, { f_electricity: '1' })).rejects.toThrow(NotFoundError);
		await expect(listFactors(w.coordinator, w.network.id, 'x')).rejects.toThrow(NotFoundError);
	});

	it('keeps the example mark only on unchanged rows', async () => {
		const w = await balanceWorld();
		await db().update(emissionFactors).set({ isExample: true, source: 'Beispiel' }).where(eq(emissionFactors.networkId, w.network.id));
		await saveFactors(w.coordinator, w.network.id, 2020, { f_electricity: '0,45', source_electricity: 'Beispiel', f_natural_gas: '0,25', source_natural_gas: 'Beispiel', f_diesel: '0,32', source_diesel: 'Beispiel' });
		const rows = (await listFactors(w.coordinator, w.network.id, 2020)).rows.filter((r) => r.kgPerKwh !== null);
		expect(Object.fromEntries(rows.map((r) => [r.carrier, r.isExample]))).toEqual({ electricity: false, natural_gas: true, diesel: true });
	});

	it('copies a year into another, keeping what the target year has', async () => {
		const w = await balanceWorld();
		await saveFactors(w.coordinator, w.network.id, 2021, { f_electricity: '0,42' });
		expect(await copyFactors(w.coordinator, w.network.id, 2020, 2021)).toEqual({ year: 2021, copied: 2 });
		expect(await stored(w.network.id, 2021)).toEqual({ electricity: 0.42, natural_gas: 0.25, diesel: 0.32 });
		expect(await fieldErrors(copyFactors(w.coordinator, w.network.id, 2019, 2022))).toEqual({ fromYear: 'balance.copyNothing' });
		expect(await fieldErrors(copyFactors(w.coordinator, w.network.id, 2020, 2300))).toEqual({ toYear: 'balance.yearRange' });
		await expect(copyFactors(w.member, w.network.id, 2020, 2022)).rejects.toThrow(ForbiddenError);
	});

	it('returns the validated year, so the page redirects to "2023", not to what the form sent', async () => {
		const w = await balanceWorld();
		expect((await saveFactors(w.coordinator, w.network.id, '2021\r\n', { f_electricity: '0,4' })).year).toBe(2021);
		expect(await copyFactors(w.coordinator, w.network.id, ' 2020 ', '2022\r\n')).toEqual({ year: 2022, copied: 3 });
	});

	it('keeps networks apart', async () => {
		const w = await balanceWorld();
		const v = await balanceWorld();
		await expect(saveFactors(w.coordinator, v.network.id, 2020, { f_electricity: '1' })).rejects.toThrow(ForbiddenError);
		await saveFactors(v.coordinator, v.network.id, 2020, { f_electricity: '0,3' });
		expect((await stored(w.network.id, 2020)).electricity).toBe(0.5);
	});
});
