// Reads of the public portal: counts that matter, public measures and their history, ideas that
// became a measure. Everything here is public, so it reads as a visitor would, whoever asks: a
// member looking at the portal sees the portal, not the working area.
import { and, asc, eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { networks } from '../db/schema';
import { measures } from '../measures/schema';
import { ideas } from './schema';
import { VISITOR } from '../auth/actor';
import { NotFoundError } from '../errors';
import { getMeasure } from '../measures/measures';
import { listUpdates, recentPublicUpdates } from '../measures/history';
import { listMeasures, type MeasureFilter, type MeasureListItem } from '../measures/list';

export interface PortalCounts {
	/** Public measures (all statuses). */
	measures: number;
	inImplementation: number;
	completed: number;
	/** Ideas received: every idea but the rejected ones (pending ones have been received too). */
	ideasReceived: number;
	/** Ideas turned into a measure. */
	ideasToMeasures: number;
}

/**
 * The portal's headline figures for a network or one of its towns: one round trip, two aggregates
 * over indexed subsets (measures_public_idx, ideas_network_body_idx / ideas_network_state_idx).
 */
export async function portalCounts(networkId: string, bodyId?: string): Promise<PortalCounts> {
	const m = and(eq(measures.networkId, networkId), eq(measures.isPublic, true), bodyId ? eq(measures.bodyId, bodyId) : undefined);
	const i = and(eq(ideas.networkId, networkId), bodyId ? eq(ideas.bodyId, bodyId) : undefined);
	const [row] = await db()
		.select({
			measures: sql<string>`(select json_build_object(
				'all', count(*),
				'implementation', count(*) filter (where ${measures.status} = 'implementation'),
				'completed', count(*) filter (where ${measures.status} = 'completed'))
				from ${measures} where ${m})`,
			ideas: sql<string>`(select json_build_object(
				'received', count(*) filter (where ${ideas.state} <> 'rejected'),
				'measure', count(*) filter (where ${ideas.state} = 'measure'))
				from ${ideas} where ${i})`
		})
		.from(networks)
		.where(eq(networks.id, networkId));
	if (!row) throw new NotFoundError();
	// json comes back parsed from node-postgres and as text or object from PGlite, depending on version.
	const parse = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;
	const ms = parse<{ all: number; implementation: number; completed: number }>(row.measures);
	const is = parse<{ received: number; measure: number }>(row.ideas);
	return {
		measures: Number(ms.all),
		inImplementation: Number(ms.implementation),
		completed: Number(ms.completed),
		ideasReceived: Number(is.received),
		ideasToMeasures: Number(is.measure)
	};
}

/** What the portal shows of a measure in a list: no internal flags (conflicts, overdue tasks). */
export type PublicMeasureItem = Pick<
	MeasureListItem,
	'id' | 'title' | 'status' | 'progress' | 'plannedStart' | 'plannedEnd' | 'updatedAt' | 'bodyName' | 'bodyAgs' | 'fieldName' | 'fieldColor' | 'theme'
>;

/** Filters the portal offers (a subset of the working area's, same URL names). */
export type PublicMeasureFilter = Pick<MeasureFilter, 'ags' | 'theme' | 'status' | 'q' | 'page' | 'pageSize' | 'sort' | 'desc'>;

export function toPublicItem(m: MeasureListItem): PublicMeasureItem {
	return {
		id: m.id,
		title: m.title,
		status: m.status,
		progress: m.progress,
		plannedStart: m.plannedStart,
		plannedEnd: m.plannedEnd,
		updatedAt: m.updatedAt,
		bodyName: m.bodyName,
		bodyAgs: m.bodyAgs,
		fieldName: m.fieldName,
		fieldColor: m.fieldColor,
		theme: m.theme
	};
}

/** A page of the network's public measures. */
export async function listPublicMeasures(networkId: string, f: PublicMeasureFilter = {}) {
	const r = await listMeasures(VISITOR, networkId, {
		ags: f.ags,
		theme: f.theme,
		status: f.status,
		q: f.q,
		page: f.page,
		pageSize: f.pageSize ?? 20,
		sort: f.sort ?? 'body',
		desc: f.desc,
		publicOnly: true
	});
	return { ...r, items: r.items.map(toPublicItem) };
}

/** The most recently changed public measures (portal teaser). */
export async function latestPublicMeasures(networkId: string, opts: { ags?: string; limit?: number } = {}) {
	const r = await listPublicMeasures(networkId, { ags: opts.ags, sort: 'updated', desc: true, pageSize: opts.limit ?? 5 });
	return r.items;
}

export { recentPublicUpdates };

export interface PublicMeasure {
	id: string;
	title: string;
	description: string;
	status: MeasureListItem['status'];
	statusReason: string;
	progress: number;
	bodyName: string;
	bodyAgs: string;
	field: { name: string; color: string; theme: string } | null;
	plannedStart: string | null;
	plannedEnd: string | null;
	actualStart: string | null;
	actualEnd: string | null;
	savingsT: number | null;
	partners: { name: string; ags: string }[];
	updatedAt: Date;
}

/** A public measure of this network for its portal page; 404 for internal ones, whoever asks. */
export async function getPublicMeasure(networkId: string, measureId: string): Promise<PublicMeasure> {
	const m = await getMeasure(VISITOR, networkId, measureId);
	if (!m.isPublic) throw new NotFoundError();
	return {
		id: m.id,
		title: m.title,
		description: m.description,
		status: m.status,
		statusReason: m.statusReason,
		progress: m.progress,
		bodyName: m.bodyName,
		bodyAgs: m.bodyAgs,
		field: m.field ? { name: m.field.name, color: m.field.color, theme: m.field.theme } : null,
		plannedStart: m.plannedStart,
		plannedEnd: m.plannedEnd,
		actualStart: m.actualStart,
		actualEnd: m.actualEnd,
		savingsT: m.savingsT,
		partners: m.partners.map((p) => ({ name: p.name, ags: p.ags })),
		updatedAt: m.updatedAt
	};
}

/** A public measure's history without authors (they are internal, see listUpdates). */
export async function publicMeasureHistory(networkId: string, measureId: string, opts: { page?: number } = {}) {
	const r = await listUpdates(VISITOR, networkId, measureId, { page: opts.page, pageSize: 20 });
	return {
		...r,
		items: r.items.map((u) => ({
			id: u.id,
			kind: u.kind,
			happenedOn: u.happenedOn,
			text: u.text,
			statusFrom: u.statusFrom,
			statusTo: u.statusTo,
			progressFrom: u.progressFrom,
			progressTo: u.progressTo,
			authorId: null,
			authorName: ''
		}))
	};
}

/** Citizens' ideas this measure came from ("Aus Bürgerideen entstanden"). */
export async function ideasOfMeasure(networkId: string, measureId: string) {
	return db()
		.select({ id: ideas.id, title: ideas.title, bodyId: ideas.bodyId, supportCount: ideas.supportCount })
		.from(ideas)
		.where(and(eq(ideas.networkId, networkId), eq(ideas.measureId, measureId), eq(ideas.state, 'measure')))
		.orderBy(asc(ideas.createdAt), asc(ideas.id))
		.limit(50);
}
