import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasMessage, messageKeys, formatDate, formatNumber } from './index';

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]
	);
}

describe('messages', () => {
	it('English has exactly the German keys', () => {
		expect(messageKeys('en').sort()).toEqual(messageKeys('de').sort());
	});

	it('every literal key used in the code exists', () => {
		const missing: string[] = [];
		for (const file of walk('src').filter((f) => /\.(svelte|ts)$/.test(f) && !f.endsWith('.test.ts'))) {
			const src = fs.readFileSync(file, 'utf8');
			for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
				if (!hasMessage(m[1])) missing.push(`${file}: ${m[1]}`);
			}
		}
		expect(missing).toEqual([]);
	});

	it('formats dates and numbers the German way', () => {
		expect(formatDate('2024-06-01', 'de')).toBe('1. Juni 2024');
		expect(formatNumber(1234.5, 2, 'de')).toBe('1.234,5');
	});
});
