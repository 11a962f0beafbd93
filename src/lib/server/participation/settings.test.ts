// Portal settings: tile URL rules, coordinators only, and the CSP source the tiles need.
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { measureWorld } from '../measures/testing';
import { ForbiddenError } from '../errors';
import { VISITOR } from '../auth/actor';
import { applyTileCsp, extendImgSrc, getPortalSettings, isTileUrl, tileCspSource, tileCspSources, updatePortalSettings } from './settings';

useTestDb();

const OSM = 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png';

describe('tile URL', () => {
	it.each([
		[OSM, true],
		['https://tiles.example.de/{z}/{x}/{y}.png?key=abc', true],
		['https://tiles.example.de:8443/osm/{z}/{x}/{y}@2x.png', true],
		['http://tiles.example.de/{z}/{x}/{y}.png', false],
		['https://tiles.example.de/{z}/{x}.png', false],
		['javascript:alert(1)//{z}/{x}/{y}', false],
		["https://x.de/{z}/{x}/{y}.png; script-src 'unsafe-inline'", false],
		['https://x.de/{z}/{x}/{y}.png" onload="alert(1)', false],
		['https://{s}{z}.evil/{z}/{x}/{y}', false],
		['https://localhost/{z}/{x}/{y}', false]
	])('%s → %s', (url, ok) => {
		expect(isTileUrl(url)).toBe(ok);
	});

	it('turns {s} into a wildcard subdomain for the CSP', () => {
		expect(tileCspSource(OSM)).toBe('https://*.tile.openstreetmap.org');
		expect(tileCspSource('https://Tiles.Example.de:8443/{z}/{x}/{y}')).toBe('https://tiles.example.de:8443');
		expect(tileCspSource('')).toBeNull();
	});

	it('adds sources to img-src and leaves everything else (and policies without img-src) alone', () => {
		const csp = "default-src 'self'; img-src 'self' data:; script-src 'self' 'sha256-abc'";
		expect(extendImgSrc(csp, ['https://a.de'])).toBe("default-src 'self'; img-src 'self' data: https://a.de; script-src 'self' 'sha256-abc'");
		expect(extendImgSrc("default-src 'none'; sandbox", ['https://a.de'])).toBe("default-src 'none'; sandbox");
	});
});

describe('settings', () => {
	it('start with no map and ideas open', async () => {
		const w = await measureWorld();
		expect(await getPortalSettings(w.network.id)).toEqual({ tileUrl: '', tileAttribution: '', ideasOpen: true });
	});

	it('are the coordinator’s, validated, and reach the CSP', async () => {
		const w = await measureWorld();
		for (const who of [w.member, w.partner, w.citizen, VISITOR]) {
			await expect(updatePortalSettings(who, w.network.id, { tileUrl: OSM, tileAttribution: 'OSM', ideasOpen: 'on' })).rejects.toThrow(ForbiddenError);
		}
		expect(await fieldErrors(updatePortalSettings(w.coordinator, w.network.id, { tileUrl: 'http://x.de/{z}/{x}/{y}', tileAttribution: '' }))).toEqual({
			tileUrl: 'ideas.settings.tileUrlInvalid'
		});
		expect(await fieldErrors(updatePortalSettings(w.coordinator, w.network.id, { tileUrl: OSM, tileAttribution: '' }))).toEqual({
			tileAttribution: 'ideas.settings.attributionRequired'
		});
		await updatePortalSettings(w.coordinator, w.network.id, { tileUrl: OSM, tileAttribution: '© OpenStreetMap-Mitwirkende', ideasOpen: '' });
		expect(await getPortalSettings(w.network.id)).toEqual({ tileUrl: OSM, tileAttribution: '© OpenStreetMap-Mitwirkende', ideasOpen: false });
		expect(await tileCspSources()).toContain('https://*.tile.openstreetmap.org');
		const h = new Headers({ 'content-security-policy': "img-src 'self' data:" });
		await applyTileCsp(h);
		expect(h.get('content-security-policy')).toContain('https://*.tile.openstreetmap.org');
	});
});
