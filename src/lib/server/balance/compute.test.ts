import { describe, expect, it } from 'vitest';
import { computeBalance, districtSum, entryEmissionsT, gap, ksgPath, pathValueAt, type BalanceFigures, type EntryInput } from './compute';

const e = (over: Partial<EntryInput> & Pick<EntryInput, 'sector' | 'carrier'>): EntryInput => ({ energyMwh: null, emissionsT: null, quality: null, ...over });

describe('entryEmissionsT', () => {
	it('is energy × factor: 1 MWh × 1 kg/kWh = 1 t', () => {
		expect(entryEmissionsT({ carrier: 'electricity', energyMwh: 1, emissionsT: null }, { electricity: 1 })).toBe(1);
		expect(entryEmissionsT({ carrier: 'natural_gas', energyMwh: 2000, emissionsT: null }, { natural_gas: 0.25 })).toBe(500);
	});
	it('prefers emissions entered directly, also without a factor', () => {
		expect(entryEmissionsT({ carrier: 'diesel', energyMwh: 1000, emissionsT: 300 }, {})).toBe(300);
	});
	it('is null with energy but no factor, 0 without energy', () => {
		expect(entryEmissionsT({ carrier: 'coal', energyMwh: 10, emissionsT: null }, { electricity: 0.5 })).toBeNull();
		expect(entryEmissionsT({ carrier: 'coal', energyMwh: null, emissionsT: null }, {})).toBe(0);
		expect(entryEmissionsT({ carrier: 'environmental_heat', energyMwh: 50, emissionsT: null }, { environmental_heat: 0 })).toBe(0);
	});
});

describe('computeBalance', () => {
	const entries = [
		e({ sector: 'households', carrier: 'electricity', energyMwh: 1000, quality: 'A' }), // 1000 × 0,5 = 500 t
		e({ sector: 'households', carrier: 'natural_gas', energyMwh: 2000, quality: 'B' }), // 2000 × 0,25 = 500 t
		e({ sector: 'municipal', carrier: 'electricity', energyMwh: 100, quality: 'A' }), // 50 t
		e({ sector: 'transport', carrier: 'diesel', energyMwh: 1000, emissionsT: 300, quality: 'C' }) // 300 t as entered
	];
	const factors = { electricity: 0.5, natural_gas: 0.25 };

	it('sums by sector and carrier by hand: 500 + 500 + 50 + 300 = 1 350 t', () => {
		const f = computeBalance({ year: 2020, entries, factors, inhabitants: 100 });
		expect(f.totalT).toBe(1350);
		expect(f.energyMwh).toBe(4100);
		expect(f.bySectorT).toEqual({ households: 1000, commerce: 0, industry: 0, municipal: 50, transport: 300 });
		expect(f.byCarrierT.electricity).toBe(550);
		expect(f.byCarrierT.natural_gas).toBe(500);
		expect(f.byCarrierT.diesel).toBe(300);
		expect(f.complete).toBe(true);
		expect(f.missingFactors).toEqual([]);
		expect(f.perCapitaT).toBe(13.5);
		expect(f.inhabitants).toBe(100);
	});

	it('shares the energy by quality class (1 100 A, 2 000 B, 1 000 C of 4 100 MWh)', () => {
		const f = computeBalance({ year: 2020, entries, factors, inhabitants: 100 });
		expect(f.qualityShare.A).toBeCloseTo(1100 / 4100, 12);
		expect(f.qualityShare.B).toBeCloseTo(2000 / 4100, 12);
		expect(f.qualityShare.C).toBeCloseTo(1000 / 4100, 12);
		expect(f.qualityShare.D).toBe(0);
	});

	it('gives no per-capita value (null, not 0) when the inhabitants are unknown', () => {
		expect(computeBalance({ year: 2020, entries, factors, inhabitants: null }).perCapitaT).toBeNull();
		expect(computeBalance({ year: 2020, entries, factors, inhabitants: 0 }).perCapitaT).toBeNull();
		expect(computeBalance({ year: 2020, entries, factors, inhabitants: 0 }).inhabitants).toBeNull();
	});

	it('is incomplete when a carrier has energy but no factor, and counts only what is known', () => {
		const f = computeBalance({ year: 2020, entries: [...entries, e({ sector: 'commerce', carrier: 'heating_oil', energyMwh: 100 })], factors, inhabitants: 100 });
		expect(f.complete).toBe(false);
		expect(f.missingFactors).toEqual(['heating_oil']);
		expect(f.totalT).toBe(1350);
		expect(f.energyMwh).toBe(4200);
		expect(f.bySectorT.commerce).toBe(0);
	});

	it('is all zero for an empty balance', () => {
		const f = computeBalance({ year: 2020, entries: [], factors: {}, inhabitants: 10 });
		expect(f.totalT).toBe(0);
		expect(f.qualityShare).toEqual({ A: 0, B: 0, C: 0, D: 0 });
		expect(f.perCapitaT).toBe(0);
	});
});

describe('ksgPath', () => {
	it('is exactly the law for a 1990 base year: −65 % in 2030, −88 % in 2040, 0 in 2045', () => {
		const p = ksgPath({ baseYear: 1990, baseT: 1000, kind: 'ksg' });
		expect(p.points).toEqual([
			{ year: 1990, valueT: 1000 },
			{ year: 2030, valueT: 350 },
			{ year: 2040, valueT: 120 },
			{ year: 2045, valueT: 0 }
		]);
		expect(p.referenceIsBaseYear).toBe(false);
		expect(pathValueAt(p.points, 2010)).toBe(675); // 1000 + (350 − 1000) × 20/40
		expect(pathValueAt(p.points, 2042)).toBeCloseTo(72, 9); // 120 − 120 × 2/5
	});

	it('applies the percentages to a 2018 base year without a 1990 reference, and says so', () => {
		const p = ksgPath({ baseYear: 2018, baseT: 800, kind: 'ksg' });
		expect(p.points.map((x) => [x.year, x.valueT])).toEqual([
			[2018, 800],
			[2030, 280],
			[2040, 96],
			[2045, 0]
		]);
		expect(p.referenceIsBaseYear).toBe(true);
		expect(pathValueAt(p.points, 2024)).toBe(540); // 800 + (280 − 800) × 6/12
	});

	it('uses the 1990 reference where known: 2030 at 35 % and 2040 at 12 % of 1990', () => {
		const p = ksgPath({ baseYear: 2018, baseT: 800, reference1990T: 1000, kind: 'ksg' });
		expect(p.points.map((x) => [x.year, x.valueT])).toEqual([
			[2018, 800],
			[2030, 350],
			[2040, 120],
			[2045, 0]
		]);
		expect(p.referenceIsBaseYear).toBe(false);
		expect(pathValueAt(p.points, 2024)).toBe(575);
	});

	it('never rises: a town already below a milestone stays at its base value', () => {
		const p = ksgPath({ baseYear: 2018, baseT: 300, reference1990T: 1000, kind: 'ksg' });
		expect(p.points.map((x) => x.valueT)).toEqual([300, 300, 120, 0]);
	});

	it('drops milestones at or before the base year', () => {
		const p = ksgPath({ baseYear: 2032, baseT: 500, reference1990T: 1000, kind: 'ksg' });
		expect(p.points.map((x) => x.year)).toEqual([2032, 2040, 2045]);
	});

	it('an own target is linear to zero and never above the KSG path', () => {
		// Own: 800 → 0 from 2018 to 2040 (−36,36 t/yr); KSG falls faster until 2030 (−43,33 t/yr) and slower after.
		const p = ksgPath({ baseYear: 2018, baseT: 800, kind: 'own', neutralYear: 2040 });
		expect(pathValueAt(p.points, 2018)).toBe(800);
		expect(pathValueAt(p.points, 2030)).toBeCloseTo(280, 9); // the KSG value (own: 363,6)
		expect(pathValueAt(p.points, 2034)).toBeCloseTo(206.4, 9); // KSG 280 − 4 × 18,4 (own: 218,2)
		expect(pathValueAt(p.points, 2035)).toBeCloseTo((800 * 5) / 22, 9); // own 181,8 (KSG: 188)
		expect(pathValueAt(p.points, 2040)).toBe(0);
		expect(pathValueAt(p.points, 2043)).toBe(0);
		for (let y = 2018; y <= 2045; y++) {
			const ksg = pathValueAt(ksgPath({ baseYear: 2018, baseT: 800, kind: 'ksg' }).points, y)!;
			expect(pathValueAt(p.points, y)!).toBeLessThanOrEqual(ksg + 1e-9);
		}
	});

	it('an own target steeper than the KSG all along is just its straight line', () => {
		const p = ksgPath({ baseYear: 2018, baseT: 800, kind: 'own', neutralYear: 2035 });
		expect(p.points).toEqual([
			{ year: 2018, valueT: 800 },
			{ year: 2035, valueT: 0 }
		]);
	});
});

describe('pathValueAt and gap', () => {
	const points = [
		{ year: 2018, valueT: 800 },
		{ year: 2030, valueT: 280 }
	];
	it('is null before the base year and 0 after the last point', () => {
		expect(pathValueAt(points, 2017)).toBeNull();
		expect(pathValueAt(points, 2031)).toBe(0);
		expect(pathValueAt([], 2020)).toBeNull();
	});
	it('gap is actual minus path: positive above the path', () => {
		expect(gap(600, 540)).toBe(60);
		expect(gap(500, 540)).toBe(-40);
	});
});

describe('districtSum', () => {
	const fig = (totalT: number, inhabitants: number | null, complete = true): BalanceFigures => ({
		...computeBalance({ year: 2020, entries: [], factors: {}, inhabitants }),
		totalT,
		complete
	});

	it('adds the towns that have a balance and names the missing ones', () => {
		const s = districtSum([
			{ bodyId: 'a', figures: fig(1000, 100) },
			{ bodyId: 'b', figures: fig(500, 50) },
			{ bodyId: 'c', figures: null }
		]);
		expect(s.totalT).toBe(1500);
		expect(s.inhabitants).toBe(150);
		expect(s.perCapitaT).toBe(10);
		expect(s.included).toEqual(['a', 'b']);
		expect(s.missing).toEqual(['c']);
		expect(s.complete).toBe(true);
	});

	it('has no per-capita value when one included town has no inhabitants', () => {
		const s = districtSum([
			{ bodyId: 'a', figures: fig(1000, 100) },
			{ bodyId: 'b', figures: fig(500, null, false) }
		]);
		expect(s.totalT).toBe(1500);
		expect(s.perCapitaT).toBeNull();
		expect(s.complete).toBe(false);
	});

	it('is 0 with nothing included and no per-capita value', () => {
		const s = districtSum([{ bodyId: 'a', figures: null }]);
		expect(s).toMatchObject({ totalT: 0, perCapitaT: null, inhabitants: null, included: [], missing: ['a'] });
	});
});
