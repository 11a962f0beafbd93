import { describe, expect, it } from 'vitest';
import { consentPath, consentReturn, safeNetworkPath, safeRedirectTarget } from './redirect';

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

describe('safeNetworkPath', () => {
	it.each<[unknown, string]>([
		['/harz/ideen/1?kommentare=2', '/harz/ideen/1?kommentare=2'],
		['/harz/ideen/1?seite=2#kommentare', '/harz/ideen/1?seite=2'],
		['/harz', '/harz'],
		['//evil.example/harz/', '/harz'],
		['/\\evil.example', '/harz'],
		['https://evil.example/harz/x', '/harz'],
		['javascript:alert(1)', '/harz'],
		['/harz/a\nb', '/harz'],
		['', '/harz'],
		['/other/ideen/1', '/harz'],
		['/harzer/ideen', '/harz'],
		['/harz/../anmelden', '/harz'],
		['/harz/%2e%2e/anmelden', '/harz'],
		[null, '/harz']
	])('%j → %s', (raw, want) => {
		expect(safeNetworkPath(raw, 'harz')).toBe(want);
	});
});

describe('the consent round trip', () => {
	it('links to the consent section with the page to return to', () => {
		expect(consentPath('/harz/ideen/1?kommentare=2#kommentare')).toBe('/konto?weiter=%2Fharz%2Fideen%2F1%3Fkommentare%3D2%23kommentare#einwilligung');
		// What the browser sends back as the query parameter is the page itself.
		const weiter = new URL(consentPath('/harz/ideen/1?x=1'), 'http://h').searchParams.get('weiter');
		expect(consentReturn(weiter)).toBe('/harz/ideen/1?x=1');
	});

	it.each<[unknown, string | null]>([
		['/harz/ideen/neu', '/harz/ideen/neu'],
		['/harz/ideen/1#kommentare', '/harz/ideen/1#kommentare'],
		['/konto', null],
		['/konto?weiter=/harz', null],
		['//evil.example', null],
		['https://evil.example/harz', null],
		['', null],
		[null, null]
	])('after consent, %j → %j', (raw, want) => {
		expect(consentReturn(raw)).toBe(want);
	});
});
