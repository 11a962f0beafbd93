import { describe, expect, it } from 'vitest';
import { parseVersion } from './validation';

describe('parseVersion', () => {
	it('reads the version an edit form sent', () => {
		expect(parseVersion({ version: '3' })).toBe(3);
		expect(parseVersion({ version: ' 0 ' })).toBe(0);
		expect(parseVersion({ version: ['7', '8'] })).toBe(7);
		expect(parseVersion({ version: 12 })).toBe(12);
		expect(parseVersion({ sequence: '2' }, 'sequence')).toBe(2);
	});
	it('gives null for a missing or malformed version', () => {
		for (const input of [{}, null, undefined, 'x', { version: '' }, { version: '1.5' }, { version: '-1' }, { version: 'abc' }, { version: '1\u0000' }, { version: -1 }, { version: 1.5 }, { version: '9'.repeat(16) }, { version: {} }]) {
			expect(parseVersion(input)).toBeNull();
		}
		expect(parseVersion({ version: '3' }, 'sequence')).toBeNull();
	});
});
