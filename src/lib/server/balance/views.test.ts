import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, bodies } from '../db/schema';
import { makeBody } from '../testing/factories';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR, type Actor } from '../auth/actor';
import { deleteTarget, getTarget, saveTarget, targetAsForm } from './targets';
import { bodyBalanceView, districtView, latestYears, perCapitaComparison } from './views';
import { balanceWorld, makeBalance } from './testing';

useTestDb();

type World = Awaited<ReturnType<typeof balanceWorld>>;
const who = (w: World, role: string): Actor => (role === 'visitor' ? VISITOR : (w as unknown as Record<string, Actor>)[role]);
const roles = ['coordinator', 'member', 'otherMember', 'partner', 'citizen', 'visitor'];

/** 2018: 1 000 t entered directly; 2020: 600 × 0,5 + 2 000 × 0,25 = 800 t; 100 inhabitants each. */
async function townHistory(w: World, publicYears: number[] = []) {
	const pub = (y: number) => (publicYears.includes(y) ? 'on' : '');
	await makeBalance(w.member, w.network.id, w.town.id, { year: '2018', e_households_electricity_mwh: '', e_households_natural_gas_mwh: '', e_households_other_t: '1.000', isPublic: pub(2018) });
	await makeBalance(w.member, w.network.id, w.town.id, { year: '2020', e_households_electricity_mwh: '600', isPublic: pub(2020) });
}

describe('targets', () => {
	it.each(roles.map((r) => [r, ['coordinator', 'member'].includes(r)] as const))('%s may set the town’s target: %s', async (role, allowed) => {
		const w = await balanceWorld();
		await townHistory(w);
		const p = saveTarget(who(w, role), w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg' });
		if (allowed) await expect(p).resolves.toMatchObject({ baseYear: 2018, kind: 'ksg', neutralYear: null });
		else await expect(p).rejects.toThrow(ForbiddenError);
	});

	it.each([
		[{ baseYear: '2019', kind: 'ksg' }, { baseYear: 'balance.baseYearNoBalance' }],
		[{ baseYear: '1850', kind: 'ksg' }, { baseYear: 'balance.baseYearRange' }],
		[{ baseYear: '2045', kind: 'ksg' }, { baseYear: 'balance.baseYearRange' }],
		[{ baseYear: '2018', kind: 'own' }, { neutralYear: 'balance.neutralYearRequired' }],
		[{ baseYear: '2018', kind: 'own', neutralYear: '2045' }, { neutralYear: 'balance.neutralYearRange' }],
		[{ baseYear: '2018', kind: 'own', neutralYear: '2018' }, { neutralYear: 'balance.neutralYearRange' }],
		[{ baseYear: '2018', kind: 'irgendwann' }, { kind: 'validation.choice' }],
		[{ baseYear: '2018', kind: 'ksg', reference1990T: '-5' }, { reference1990T: 'balance.referenceInvalid' }]
	] as [Record<string, string>, Record<string, string>][])('refuses %j', async (input, expected) => {
		const w = await balanceWorld();
		await townHistory(w);
		expect(await fieldErrors(saveTarget(w.member, w.network.id, w.town.id, input))).toEqual(expected);
		expect(await getTarget(w.member, w.network.id, w.town.id)).toBeNull();
	});

	it('updates, audits and deletes; an internal target is hidden from the portal', async () => {
		const w = await balanceWorld();
		await townHistory(w);
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg' });
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'own', neutralYear: '2040', reference1990T: '1.250.000', isPublic: '' });
		const t = await getTarget(w.partner, w.network.id, w.town.id);
		expect(t).toMatchObject({ kind: 'own', neutralYear: 2040, reference1990T: 1250000 });
		expect(targetAsForm(t)).toMatchObject({ baseYear: '2018', kind: 'own', neutralYear: '2040', reference1990T: '1250000' });
		expect(await getTarget(VISITOR, w.network.id, w.town.id)).toBeNull();
		// The KSG kind forgets an own year that was typed.
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg', neutralYear: '2040', isPublic: 'on' });
		expect(await getTarget(VISITOR, w.network.id, w.town.id)).toMatchObject({ kind: 'ksg', neutralYear: null });
		await expect(deleteTarget(w.otherMember, w.network.id, w.town.id)).rejects.toThrow(ForbiddenError);
		await deleteTarget(w.member, w.network.id, w.town.id);
		expect(await getTarget(w.member, w.network.id, w.town.id)).toBeNull();
		const audit = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'balance_target'), eq(auditLog.recordId, w.town.id)));
		expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'delete']);
	});

	it('keeps networks apart', async () => {
		const w = await balanceWorld();
		const v = await balanceWorld();
		await expect(saveTarget(w.coordinator, w.network.id, v.town.id, { baseYear: '2018', kind: 'ksg' })).rejects.toThrow(NotFoundError);
		await expect(getTarget(w.coordinator, w.network.id, v.town.id)).rejects.toThrow(NotFoundError);
	});
});

describe('bodyBalanceView', () => {
	it('shows the years against the KSG path with the gap per year', async () => {
		const w = await balanceWorld();
		await townHistory(w);
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg' });
		const v = await bodyBalanceView(w.partner, w.network.id, w.town.id);
		expect(v.years.map((y) => [y.year, y.totalT, y.perCapitaT])).toEqual([
			[2018, 1000, 10],
			[2020, 800, 8]
		]);
		expect(v.baseT).toBe(1000);
		expect(v.path?.referenceIsBaseYear).toBe(true);
		expect(v.path?.points.map((p) => [p.year, p.valueT])).toEqual([
			[2018, 1000],
			[2030, 350],
			[2040, 120],
			[2045, 0]
		]);
		// 2020 on the path: 1 000 + (350 − 1 000) × 2/12 = 891,67 t; the town is 91,67 t below it.
		expect(v.gaps[0]).toEqual({ year: 2018, actualT: 1000, pathT: 1000, gapT: 0 });
		expect(v.gaps[1].pathT).toBeCloseTo(891.6667, 3);
		expect(v.gaps[1].gapT).toBeCloseTo(-91.6667, 3);
		expect(v.inhabitantsSource).toEqual({ 2018: 'balance', 2020: 'balance' });
		expect(v.canEdit).toBe(false);
	});

	it('shows visitors only public balances and a public target; no path while the base year is internal', async () => {
		const w = await balanceWorld();
		await townHistory(w, [2020]);
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg', isPublic: 'on' });
		const v = await bodyBalanceView(VISITOR, w.network.id, w.town.id);
		expect(v.years.map((y) => y.year)).toEqual([2020]);
		// Every path value is a share of the base total: the path would give the internal 1 000 t away.
		expect(v).toMatchObject({ target: { baseYear: 2018 }, path: null, baseT: null, gaps: [], baseIncomplete: false });
		// The coordinator on the portal (publicOnly) sees what the visitor sees.
		const p = await bodyBalanceView(w.coordinator, w.network.id, w.town.id, { publicOnly: true });
		expect(p.years.map((y) => y.year)).toEqual([2020]);
		expect(p).toMatchObject({ path: null, baseT: null, gaps: [] });
		// The working area still sees the path.
		expect((await bodyBalanceView(w.coordinator, w.network.id, w.town.id)).baseT).toBe(1000);
	});

	it('shows the public path once the base year is public too', async () => {
		const w = await balanceWorld();
		await townHistory(w, [2018, 2020]);
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg', isPublic: 'on' });
		const v = await bodyBalanceView(VISITOR, w.network.id, w.town.id);
		expect(v.baseT).toBe(1000);
		expect(v.gaps.map((g) => g.year)).toEqual([2018, 2020]);
	});

	it('flags a base year with a carrier without factor: the path starts too low', async () => {
		const w = await balanceWorld();
		await makeBalance(w.member, w.network.id, w.town.id, { e_commerce_heating_oil_mwh: '100' });
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2020', kind: 'ksg' });
		const v = await bodyBalanceView(w.partner, w.network.id, w.town.id);
		expect(v).toMatchObject({ baseT: 1000, baseIncomplete: true });
		await makeBalance(w.member, w.network.id, w.town.id, { year: '2018', e_households_electricity_mwh: '', e_households_natural_gas_mwh: '', e_households_other_t: '1.000' });
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg' });
		expect((await bodyBalanceView(w.partner, w.network.id, w.town.id)).baseIncomplete).toBe(false);
	});

	it('has no path without a visible target', async () => {
		const w = await balanceWorld();
		await townHistory(w, [2018, 2020]);
		await saveTarget(w.member, w.network.id, w.town.id, { baseYear: '2018', kind: 'ksg' });
		const v = await bodyBalanceView(w.citizen, w.network.id, w.town.id);
		expect(v).toMatchObject({ target: null, path: null, baseT: null, gaps: [] });
		expect(v.years).toHaveLength(2);
	});

	it('is not found for a body of another network', async () => {
		const w = await balanceWorld();
		const v = await balanceWorld();
		await expect(bodyBalanceView(w.coordinator, w.network.id, v.town.id)).rejects.toThrow(NotFoundError);
	});
});

describe('district and comparison', () => {
	it('sums the towns with a balance, names the missing ones and lists the district apart', async () => {
		const w = await balanceWorld();
		await townHistory(w);
		await makeBalance(w.coordinator, w.network.id, w.kreis.id, { year: '2020', inhabitants: '200000', e_households_other_t: '5.000' });
		const d = await districtView(w.partner, w.network.id, 2020);
		expect(d.towns.map((t) => [t.body.name, t.figures?.totalT ?? null])).toEqual([
			['Halberstadt', null],
			['Wernigerode', 800]
		]);
		expect(d.sum).toMatchObject({ totalT: 800, perCapitaT: 8, included: [w.town.id], missing: [w.other.id] });
		expect(d.district?.figures?.totalT).toBe(6000);
	});

	it('counts the members of a Verbandsgemeinde, not the Verbandsgemeinde too; its own balance counts without member balances', async () => {
		const w = await balanceWorld();
		const vg = await makeBody(w.network.id, 'Verbandsgemeinde Vorharz');
		await db().update(bodies).set({ kind: 'verbandsgemeinde' }).where(eq(bodies.id, vg.id));
		await db().update(bodies).set({ verbandsgemeinde: 'Vorharz' }).where(eq(bodies.id, w.town.id));
		await makeBalance(w.coordinator, w.network.id, vg.id, { year: '2018', e_households_electricity_mwh: '', e_households_natural_gas_mwh: '', e_households_other_t: '3.000' });
		await makeBalance(w.coordinator, w.network.id, vg.id, { e_households_other_t: '3.000' });
		await townHistory(w);
		// 2020: Wernigerode (member, 800 t) counts, the Verbandsgemeinde (4 000 t) is listed apart.
		const d = await districtView(w.partner, w.network.id, 2020);
		expect(d.sum).toMatchObject({ totalT: 800, included: [w.town.id], missing: [w.other.id] });
		expect(d.towns.map((t) => t.body.name)).toEqual(['Halberstadt', 'Wernigerode']);
		expect(d.notCounted.map((t) => [t.body.name, t.figures?.totalT])).toEqual([['Verbandsgemeinde Vorharz', 4000]]);
		// Once no member of it has a balance, the Verbandsgemeinde's own counts.
		await db().update(bodies).set({ verbandsgemeinde: null }).where(eq(bodies.id, w.town.id));
		const e = await districtView(w.partner, w.network.id, 2020);
		expect(e.sum).toMatchObject({ totalT: 4800, included: [vg.id, w.town.id] });
		expect(e.notCounted).toEqual([]);
	});

	it('counts only public balances for the portal, and never another network’s', async () => {
		const w = await balanceWorld();
		const v = await balanceWorld();
		await townHistory(w);
		await makeBalance(w.otherMember, w.network.id, w.other.id, { isPublic: 'on' });
		await makeBalance(v.member, v.network.id, v.town.id, { isPublic: 'on' });
		const d = await districtView(VISITOR, w.network.id, '2020');
		expect(d.sum).toMatchObject({ totalT: 1000, included: [w.other.id], missing: [w.town.id] });
		expect(await latestYears(VISITOR, w.network.id)).toEqual([2020]);
		expect(await latestYears(w.partner, w.network.id)).toEqual([2020, 2018]);
		await expect(districtView(w.partner, w.network.id, 1850)).rejects.toThrow(NotFoundError);
	});

	it('compares per capita, highest first, unknown inhabitants last and never as 0', async () => {
		const w = await balanceWorld();
		await townHistory(w);
		await makeBalance(w.otherMember, w.network.id, w.other.id, { inhabitants: '' });
		await makeBalance(w.coordinator, w.network.id, w.kreis.id, { inhabitants: '50' });
		const rows = await perCapitaComparison(w.member, w.network.id, 2020);
		expect(rows.map((r) => [r.body.name, r.perCapitaT])).toEqual([
			['Landkreis Harz', 20],
			['Wernigerode', 8],
			['Halberstadt', null]
		]);
		expect(await perCapitaComparison(VISITOR, w.network.id, 2020)).toEqual([]);
	});
});
