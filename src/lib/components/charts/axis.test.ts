import { describe, expect, it } from 'vitest';
import { diamond, labelRoom, linear, niceStep, polylinePoints, valueAxis, yearTicks } from './axis';

describe('niceStep', () => {
	it.each([
		[100, 5, 20],
		[10, 5, 2],
		[7, 5, 2],
		[12_345, 5, 5000],
		[1, 5, 0.2],
		[0.03, 5, 0.01]
	])('span %d in about %d intervals → step %d', (span, count, step) => {
		expect(niceStep(span, count)).toBeCloseTo(step, 10);
	});
});

describe('valueAxis', () => {
	it('includes zero for bars and ends on a tick above the largest value', () => {
		const a = valueAxis([12_345, 9_800, 11_000], { zero: 'always' });
		expect(a.min).toBe(0);
		expect(a.max).toBe(15_000);
		expect(a.ticks).toEqual([0, 5000, 10_000, 15_000]);
		expect(a.digits).toBe(0);
	});

	it('keeps a line chart of values far from zero away from zero', () => {
		const a = valueAxis([100, 110]);
		expect(a.min).toBeGreaterThan(0);
		expect(a.ticks[0]).toBe(a.min);
		expect(a.ticks.at(-1)).toBe(a.max);
		expect(a.max).toBeGreaterThanOrEqual(110);
	});

	it('includes zero for a line chart whose values are near zero relative to their spread', () => {
		expect(valueAxis([2, 10]).min).toBe(0);
	});

	it('gives a usable axis for all-zero and for no values', () => {
		expect(valueAxis([0, 0], { zero: 'always' })).toMatchObject({ min: 0, max: 1 });
		expect(valueAxis([], { zero: 'always' })).toMatchObject({ min: 0, max: 1 });
		const one = valueAxis([5]);
		expect(one.min).toBeLessThan(5);
		expect(one.max).toBeGreaterThan(5);
	});

	it('needs fraction digits for small steps, and ignores values that are not numbers', () => {
		const a = valueAxis([0.12, 0.31, Number.NaN], { zero: 'always' });
		expect(a.digits).toBe(1);
		expect(a.max).toBeCloseTo(0.4, 10);
	});

	it('crosses zero for negative values', () => {
		const a = valueAxis([-50, 100]);
		expect(a.min).toBeLessThanOrEqual(-50);
		expect(a.ticks).toContain(0);
	});
});

describe('linear', () => {
	it('maps the domain onto the range, also reversed (SVG y grows downwards)', () => {
		const y = linear(0, 100, 300, 20);
		expect(y(0)).toBe(300);
		expect(y(100)).toBe(20);
		expect(y(50)).toBe(160);
	});
	it('maps a zero-width domain to the middle', () => {
		expect(linear(5, 5, 0, 10)(5)).toBe(5);
	});
});

describe('yearTicks', () => {
	it('labels every year over a short span', () => {
		expect(yearTicks(2018, 2022)).toEqual([2018, 2019, 2020, 2021, 2022]);
	});
	it('labels every fifth year from a base year to 2045', () => {
		expect(yearTicks(2018, 2045)).toEqual([2020, 2025, 2030, 2035, 2040, 2045]);
	});
	it('labels a single year', () => {
		expect(yearTicks(2022, 2022)).toEqual([2022]);
	});
});

describe('small helpers', () => {
	it('reserves room for long labels', () => {
		expect(labelRoom(['0', '10'])).toBe(48);
		expect(labelRoom(['150.000'])).toBeCloseTo(7 * 7.5 + 18);
	});
	it('writes polyline points and diamond paths', () => {
		expect(polylinePoints([{ x: 1, y: 2 }, { x: 3.25, y: 4 }])).toBe('1.0,2.0 3.3,4.0');
		expect(diamond(10, 10, 2)).toBe('M10 8 L12 10 L10 12 L8 10 Z');
	});
});
