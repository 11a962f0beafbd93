import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from './redirect';

describe('safeRedirectTarget', () => {
	it.each(['/harz/intern', '/konto?x=1', '/einladung/abc#top'])('keeps the same-site path %s', (p) => {
		expect(safeRedirectTarget(p)).toBe(p);
	});
	it.each([
		'//evil.example',
		'/\\evil.example',
		'/\t/evil.example',
		'/%09/evil.example'.replace('%09', '\t'),
		'/\n/evil.example',
		'https://evil.example',
		'evil.example',
		'',
		'/' + 'a'.repeat(600),
		42
	])('refuses %j', (p) => {
		expect(safeRedirectTarget(p)).toBe('/');
	});
});
