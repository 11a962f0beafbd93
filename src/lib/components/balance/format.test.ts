import { describe, expect, it } from 'vitest';
import { CARRIERS, SECTORS } from '$lib/server/balance/compute';
import { CARRIER_ORDER, SECTOR_ORDER, SECTOR_STYLES, gapCell, gapSentence, perCapita, tonnes } from './format';

/** WCAG relative luminance contrast of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
	const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
	const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
	const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
	return 1.05 / (l + 0.05);
}

describe('balance chart styles', () => {
	it('has a style for every sector and lists every carrier, in the schema order', () => {
		expect(SECTOR_ORDER).toEqual([...SECTORS]);
		expect([...CARRIER_ORDER]).toEqual([...CARRIERS]);
	});

	it('gives every sector its own pattern, so neighbouring segments differ without colour', () => {
		const patterns = SECTOR_ORDER.map((s) => SECTOR_STYLES[s].pattern);
		expect(new Set(patterns).size).toBe(patterns.length);
	});

	it.each(SECTOR_ORDER)('colour of %s has at least 3:1 against white (and under the white marks)', (s) => {
		expect(contrastOnWhite(SECTOR_STYLES[s].color)).toBeGreaterThanOrEqual(3);
	});
});

describe('balance number wording', () => {
	it('writes tonnes and per-capita values the German way', () => {
		expect(tonnes(12_345.4)).toBe('12.345');
		expect(tonnes(3.46)).toBe('3,5');
		expect(tonnes(0)).toBe('0');
		expect(perCapita(7.25)).toBe('7,3');
	});

	it.each([
		[12_345, 1_234, '12.345 t CO₂e, 1.234 t über dem Zielpfad'],
		[12_345, -1_234.4, '12.345 t CO₂e, 1.234 t unter dem Zielpfad'],
		[12_345, 0.2, '12.345 t CO₂e, genau auf dem Zielpfad'],
		[12_345, null, '12.345 t CO₂e']
	])('total %d with gap %s reads "%s"', (total, gap, text) => {
		expect(gapSentence(total, gap)).toBe(text);
	});

	it('signs the gap in tables and leaves it empty without a path', () => {
		expect(gapCell(1_234)).toBe('+1.234');
		expect(gapCell(-12.34)).toBe('−12,3');
		expect(gapCell(0.1)).toBe('0');
		expect(gapCell(null)).toBe('');
	});
});
