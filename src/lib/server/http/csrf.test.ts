import { describe, expect, it } from 'vitest';
import { isForbiddenCrossSitePost } from './csrf';

const ORIGIN = 'https://klimanetz.example';

function req(method: string, path: string, headers: Record<string, string>) {
	return { request: new Request(ORIGIN + path, { method, headers, body: method === 'GET' ? undefined : 'a=1' }), url: new URL(ORIGIN + path) };
}

describe('cross-site form posts', () => {
	it.each([
		['POST', '/harz/intern/massnahmen/neu', { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, true],
		['POST', '/harz/intern/massnahmen/neu', { 'content-type': 'multipart/form-data; boundary=x' }, true],
		['DELETE', '/konto', { 'content-type': 'text/plain;charset=UTF-8', origin: 'null' }, true],
		['POST', '/harz/intern/massnahmen/neu', { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, false],
		['POST', '/api/x', { 'content-type': 'application/json', origin: 'https://evil.example' }, false],
		['GET', '/harz', { origin: 'https://evil.example' }, false],
		// RFC 8058: the mail provider's server posts without our origin; the signed token decides.
		['POST', '/benachrichtigungen/abbestellen', { 'content-type': 'application/x-www-form-urlencoded' }, false],
		['POST', '/benachrichtigungen/abbestellen/x', { 'content-type': 'application/x-www-form-urlencoded' }, true]
	])('%s %s %o → forbidden: %s', (method, path, headers, forbidden) => {
		const { request, url } = req(method, path, headers);
		expect(isForbiddenCrossSitePost(request, url)).toBe(forbidden);
	});
});
