// Per-network portal settings: the map's tile server and whether new ideas are open. Without a
// tile URL there is no map anywhere; the idea form then asks for the place in words only.
import { eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../db/client';
import type { Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { recordChange } from '../audit/service';
import { parseFields } from '../network/directory-shared';
import { canParticipation } from './permissions';
import { log } from '../log';
import { portalSettings } from './schema';

export interface PortalSettings {
	tileUrl: string;
	tileAttribution: string;
	ideasOpen: boolean;
}

export const DEFAULT_SETTINGS: PortalSettings = { tileUrl: '', tileAttribution: '', ideasOpen: true };

export async function getPortalSettings(networkId: string): Promise<PortalSettings> {
	const [row] = await db()
		.select({ tileUrl: portalSettings.tileUrl, tileAttribution: portalSettings.tileAttribution, ideasOpen: portalSettings.ideasOpen })
		.from(portalSettings)
		.where(eq(portalSettings.networkId, networkId));
	return row ?? { ...DEFAULT_SETTINGS };
}

/**
 * A Leaflet tile template: https only (the portal is served over https; mixed content would be
 * blocked), with {z}, {x} and {y}, an optional {s} subdomain only in the host, and none of the
 * characters that could break out of the CSP header or an attribute.
 */
export function isTileUrl(s: string): boolean {
	if (!/^https:\/\/[^\s"'<>\\;,]+$/.test(s)) return false;
	if (!s.includes('{z}') || !s.includes('{x}') || !s.includes('{y}')) return false;
	const host = tileHost(s);
	return !!host && /^(\{s\}\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d{1,5})?$/i.test(host);
}

function tileHost(s: string): string | null {
	const m = /^https:\/\/([^/?#]+)/.exec(s);
	return m ? m[1] : null;
}

/**
 * The CSP source that allows the tiles, e.g. https://*.tile.openstreetmap.org for a template with
 * {s}; null for an empty or invalid setting.
 */
export function tileCspSource(tileUrl: string): string | null {
	if (!tileUrl || !isTileUrl(tileUrl)) return null;
	const host = tileHost(tileUrl)!.toLowerCase().replace(/^\{s\}\./, '*.');
	return `https://${host}`;
}

const settingsShape = () => ({
	tileUrl: z
		.string()
		.trim()
		.max(500, { error: 'dir.tooLong500' })
		.refine((s) => s === '' || isTileUrl(s), { error: 'ideas.settings.tileUrlInvalid' }),
	tileAttribution: z.string().trim().max(300, { error: 'ideas.settings.attributionTooLong' }),
	ideasOpen: z.string().transform((s) => s === 'on' || s === 'true' || s === '1')
});

export function parseSettings(input: unknown) {
	return parseFields(settingsShape(), input, (d, errors) => {
		// Tiles of a public server must name their source (OpenStreetMap's licence asks for it).
		if (d.tileUrl && !d.tileAttribution && !errors.tileAttribution) errors.tileAttribution = 'ideas.settings.attributionRequired';
	});
}

/** Coordinators only (participation.manage). */
export async function updatePortalSettings(actor: Actor, networkId: string, input: unknown): Promise<PortalSettings> {
	if (!canParticipation(actor, 'participation.manage', { networkId })) throw new ForbiddenError();
	const data = parseSettings(input);
	return db().transaction(async (tx) => {
		const [before] = await tx.select().from(portalSettings).where(eq(portalSettings.networkId, networkId)).for('update');
		const values = { ...data, updatedAt: new Date() };
		await tx.insert(portalSettings).values({ networkId, ...values }).onConflictDoUpdate({ target: portalSettings.networkId, set: values });
		await recordChange(tx, actor, {
			networkId,
			action: before ? 'update' : 'create',
			recordType: 'portal_settings',
			recordId: networkId,
			before: before ? { tileUrl: before.tileUrl, tileAttribution: before.tileAttribution, ideasOpen: before.ideasOpen } : undefined,
			after: data
		});
		return data;
	}).finally(() => {
		// This instance shows the new tiles at once; others within a minute.
		cached = null;
	});
}

// ---- Content-Security-Policy for map tiles -------------------------------------------------
// The CSP is static (kit.csp in vite.config.ts) and allows images from this site only. The handle
// hook adds the configured tile servers to img-src of every page: SvelteKit navigates between
// pages without reloading the document, so the policy of whichever page was loaded first must
// already allow the tiles of the idea form. Image loads only; scripts stay locked to this site.

const CACHE_MS = 60_000;
let cached: { at: number; sources: string[] } | null = null;

/** Distinct CSP sources of all networks' tile servers; cached for a minute per instance. */
export async function tileCspSources(now = Date.now()): Promise<string[]> {
	if (cached && now - cached.at < CACHE_MS) return cached.sources;
	const rows = await db().selectDistinct({ url: portalSettings.tileUrl }).from(portalSettings).where(ne(portalSettings.tileUrl, ''));
	const sources = [...new Set(rows.map((r) => tileCspSource(r.url)).filter((s): s is string => !!s))].sort();
	cached = { at: now, sources };
	return sources;
}

/** Called by the handle hook on every response that carries a CSP. */
export async function applyTileCsp(headers: Headers) {
	const csp = headers.get('content-security-policy');
	if (!csp) return;
	let sources: string[];
	try {
		sources = await tileCspSources();
	} catch (e) {
		// Without the list the page still works, only the map tiles stay blank.
		log.error('participation.tile_csp_failed', { err: String(e) });
		return;
	}
	if (sources.length) headers.set('content-security-policy', extendImgSrc(csp, sources));
}

export function extendImgSrc(csp: string, sources: string[]): string {
	const parts = csp.split(';').map((p) => p.trim()).filter(Boolean);
	const i = parts.findIndex((p) => /^img-src(\s|$)/i.test(p));
	// Only the pages' policy (which has img-src) grows; a stricter one, like the sandbox of
	// /dateien (default-src 'none'), stays as it is.
	if (i < 0) return csp;
	parts[i] = [parts[i], ...sources].join(' ');
	return parts.join('; ');
}
