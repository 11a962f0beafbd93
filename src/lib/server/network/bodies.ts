// Member bodies of a network (district, towns, municipalities, Verbandsgemeinden): public reads
// for the portal and the working area, and the commands that change them, each with an audit entry.
import { and, asc, eq, ilike, like, or, sql, type SQL } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { bodies } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canNetwork } from './permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import {
	choice,
	currentYear,
	date,
	isUniqueViolation,
	likePattern,
	nullableText,
	number,
	pageOpts,
	parseFields,
	text,
	todayIso
} from './directory-shared';

export type Body = typeof bodies.$inferSelect;
export const BODY_KINDS = ['landkreis', 'stadt', 'gemeinde', 'verbandsgemeinde'] as const;
export const CONCEPT_STATUSES = ['none', 'in_preparation', 'adopted'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];
export type ConceptStatus = (typeof CONCEPT_STATUSES)[number];

/** What lists and the portal show of a body. */
export interface BodySummary {
	id: string;
	ags: string;
	name: string;
	kind: BodyKind;
	verbandsgemeinde: string | null;
	population: number | null;
	populationYear: number | null;
	conceptStatus: ConceptStatus;
	conceptAdoptedOn: string | null;
	/** Main town of the body (for the map). */
	lat: number | null;
	lon: number | null;
	/** A person with function klimaschutzmanager whose tenure covers today. */
	hasManager: boolean;
}

/** SQL: does the body have a climate-protection manager in office on `today`? */
function hasManagerSql(networkId: string, today: string): SQL<boolean> {
	// Written out with an alias: Drizzle leaves columns unqualified in single-table selects.
	return sql<boolean>`exists (select 1 from people p where p.network_id = ${networkId}
		and p.body_id = "bodies"."id" and p.function = 'klimaschutzmanager'
		and (p.tenure_from is null or p.tenure_from <= ${today}::date)
		and (p.tenure_until is null or p.tenure_until >= ${today}::date))`;
}

const summaryColumns = (networkId: string, today: string) => ({
	id: bodies.id,
	ags: bodies.ags,
	name: bodies.name,
	kind: bodies.kind,
	verbandsgemeinde: bodies.verbandsgemeinde,
	population: bodies.population,
	populationYear: bodies.populationYear,
	conceptStatus: bodies.conceptStatus,
	conceptAdoptedOn: bodies.conceptAdoptedOn,
	lat: bodies.lat,
	lon: bodies.lon,
	hasManager: hasManagerSql(networkId, today)
});

/** The district first, then the towns and municipalities by name. */
const bodyOrder = [sql`case when ${bodies.kind} = 'landkreis' then 0 else 1 end`, asc(bodies.name)];

const normalise = (r: BodySummary): BodySummary => ({ ...r, hasManager: r.hasManager === true || (r.hasManager as unknown) === 't' });

export interface NetworkOverview {
	bodies: BodySummary[];
	counts: { bodies: number; withManager: number; conceptAdopted: number; conceptInPreparation: number };
}

/**
 * The network's participating bodies with the state of their climate work, for the portal and the
 * working area. Public: any actor may read it. A district has at most a few hundred municipalities.
 */
export async function networkOverview(_actor: Actor, networkId: string, opts: { today?: string } = {}): Promise<NetworkOverview> {
	const today = opts.today ?? todayIso();
	const rows = (
		await db()
			.select(summaryColumns(networkId, today))
			.from(bodies)
			.where(eq(bodies.networkId, networkId))
			.orderBy(...bodyOrder)
			.limit(1000)
	).map(normalise);
	return {
		bodies: rows,
		counts: {
			bodies: rows.length,
			withManager: rows.filter((r) => r.hasManager).length,
			conceptAdopted: rows.filter((r) => r.conceptStatus === 'adopted').length,
			conceptInPreparation: rows.filter((r) => r.conceptStatus === 'in_preparation').length
		}
	};
}

/** Paginated list with search by name or AGS and a filter by kind. Public. */
export async function listBodies(
	_actor: Actor,
	networkId: string,
	opts: { page?: number; pageSize?: number; q?: string; kind?: string; today?: string } = {}
) {
	const { page, pageSize, offset } = pageOpts(opts, 25);
	const today = opts.today ?? todayIso();
	const q = (opts.q ?? '').trim().slice(0, 100);
	const kind = (BODY_KINDS as readonly string[]).includes(opts.kind ?? '') ? (opts.kind as BodyKind) : undefined;
	const digits = /^\d+$/.test(q) ? q : '';
	const where = and(
		eq(bodies.networkId, networkId),
		q ? or(ilike(bodies.name, likePattern(q)), digits ? like(bodies.ags, `${digits}%`) : undefined) : undefined,
		kind ? eq(bodies.kind, kind) : undefined
	);
	const [items, [{ total }]] = await Promise.all([
		db()
			.select(summaryColumns(networkId, today))
			.from(bodies)
			.where(where)
			.orderBy(...bodyOrder)
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(bodies).where(where)
	]);
	return { items: items.map(normalise), total, page, pageSize };
}

/** Names of all bodies, for select lists and filters. */
export async function bodyOptions(_actor: Actor, networkId: string): Promise<{ id: string; name: string; ags: string }[]> {
	return db()
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
		.from(bodies)
		.where(eq(bodies.networkId, networkId))
		.orderBy(...bodyOrder)
		.limit(1000);
}

export type BodyDetail = Body & { hasManager: boolean };

/** One body by its AGS, within the network only. Public. */
export async function getBodyByAgs(_actor: Actor, networkId: string, ags: string, opts: { today?: string } = {}): Promise<BodyDetail> {
	if (!/^\d{5,9}$/.test(ags)) throw new NotFoundError();
	const today = opts.today ?? todayIso();
	const [row] = await db()
		.select({ b: bodies, hasManager: hasManagerSql(networkId, today) })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), eq(bodies.ags, ags)));
	if (!row) throw new NotFoundError();
	return { ...row.b, hasManager: row.hasManager === true || (row.hasManager as unknown) === 't' };
}

/** The body for its edit form: only for those who may edit it. */
export async function getBodyForEdit(actor: Actor, networkId: string, ags: string): Promise<Body> {
	const b = await getBodyByAgs(actor, networkId, ags);
	if (!canNetwork(actor, 'body.edit', { networkId, bodyId: b.id })) throw new ForbiddenError();
	return b;
}

const bodyShape = () => ({
	name: text(200, true),
	kind: choice(BODY_KINDS),
	verbandsgemeinde: nullableText(200),
	ags: text(50, true),
	population: number({ min: 0, max: 100_000_000, integer: true, key: 'body.population' }),
	populationYear: number({ min: 1900, max: currentYear(), integer: true, key: 'body.populationYear' }),
	areaKm2: number({ min: 0, minExclusive: true, max: 100_000, key: 'body.area' }),
	lat: number({ min: 47, max: 55.1, key: 'body.lat' }),
	lon: number({ min: 5.8, max: 15.1, key: 'body.lon' }),
	conceptStatus: choice(CONCEPT_STATUSES),
	conceptAdoptedOn: date,
	conceptResolution: nullableText(500),
	managerFundedUntil: date
});

type BodyInput = ReturnType<typeof parseBody>;

/**
 * Validates a body form. `before` is the stored body when editing: an adopted concept whose
 * adoption date was never known (e.g. imported data) may stay without one, so the other facts can
 * still be updated; a newly adopted concept needs its date.
 */
function parseBody(input: unknown, before?: Body) {
	const today = todayIso();
	return parseFields(bodyShape(), input, (d, errors) => {
		if (d.ags !== undefined && d.kind !== undefined && !errors.ags) {
			const ok = d.kind === 'landkreis' ? /^\d{5}$/.test(d.ags) : /^\d{8}$/.test(d.ags);
			if (!ok) errors.ags = d.kind === 'landkreis' ? 'body.agsDistrict' : 'body.agsMunicipality';
		}
		if (d.population != null && d.populationYear === null && !errors.populationYear) errors.populationYear = 'body.populationYearRequired';
		if (d.lat != null && d.lon === null && !errors.lon) errors.lon = 'body.coordinatesPair';
		if (d.lon != null && d.lat === null && !errors.lat) errors.lat = 'body.coordinatesPair';
		if (d.conceptStatus === 'adopted' && !errors.conceptAdoptedOn) {
			const unknownBefore = before?.conceptStatus === 'adopted' && !before.conceptAdoptedOn;
			if (d.conceptAdoptedOn === null && !unknownBefore) errors.conceptAdoptedOn = 'body.adoptedOnRequired';
			else if (d.conceptAdoptedOn && d.conceptAdoptedOn > today) errors.conceptAdoptedOn = 'body.adoptedOnFuture';
		}
		if (d.kind !== undefined && d.kind !== 'gemeinde' && d.kind !== 'stadt' && d.verbandsgemeinde) {
			if (!errors.verbandsgemeinde) errors.verbandsgemeinde = 'body.verbandsgemeindeOnlyMembers';
		}
	});
}

/** Only an adopted concept has an adoption date and a council resolution. */
function toRow(d: BodyInput) {
	const adopted = d.conceptStatus === 'adopted';
	return {
		...d,
		conceptAdoptedOn: adopted ? d.conceptAdoptedOn : null,
		conceptResolution: adopted ? d.conceptResolution : null
	};
}

/** Current values as form input, so a command may receive only the fields it changes. */
function asInput(b: Body): Record<string, string> {
	const s = (v: string | number | null) => (v === null ? '' : String(v));
	return {
		name: b.name,
		kind: b.kind,
		verbandsgemeinde: s(b.verbandsgemeinde),
		ags: b.ags,
		population: s(b.population),
		populationYear: s(b.populationYear),
		areaKm2: s(b.areaKm2),
		lat: s(b.lat),
		lon: s(b.lon),
		conceptStatus: b.conceptStatus,
		conceptAdoptedOn: s(b.conceptAdoptedOn),
		conceptResolution: s(b.conceptResolution),
		managerFundedUntil: s(b.managerFundedUntil)
	};
}

async function ensureAgsFree(tx: Tx, networkId: string, ags: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: bodies.id })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), eq(bodies.ags, ags), exceptId ? sql`${bodies.id} <> ${exceptId}` : undefined));
	if (taken) throw new ValidationError({ ags: 'body.agsTaken' });
}

/** Creates a body. Coordinators only (they manage the network). */
export async function createBody(actor: Actor, networkId: string, input: unknown): Promise<Body> {
	if (!canNetwork(actor, 'network.editProfile', { networkId })) throw new ForbiddenError();
	const defaults = { conceptStatus: 'none' };
	const data = toRow(parseBody({ ...defaults, ...(input && typeof input === 'object' ? stripUndefined(input as Record<string, unknown>) : {}) }));
	try {
		return await db().transaction(async (tx) => {
			await ensureAgsFree(tx, networkId, data.ags);
			const [b] = await tx.insert(bodies).values({ ...data, networkId }).returning();
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'body', recordId: b.id, after: b });
			return b;
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new ValidationError({ ags: 'body.agsTaken' });
		throw e;
	}
}

/** Updates a body's facts. Coordinators, and members for the bodies they represent. */
export async function updateBody(actor: Actor, networkId: string, bodyId: string, input: unknown): Promise<Body> {
	if (!canNetwork(actor, 'body.edit', { networkId, bodyId })) throw new ForbiddenError();
	const [current] = await db()
		.select()
		.from(bodies)
		.where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
	if (!current) throw new NotFoundError();
	const merged = { ...asInput(current), ...(input && typeof input === 'object' ? stripUndefined(input as Record<string, unknown>) : {}) };
	const data = toRow(parseBody(merged, current));
	try {
		return await db().transaction(async (tx) => {
			const [before] = await tx
				.select()
				.from(bodies)
				.where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)))
				.for('update');
			if (!before) throw new NotFoundError();
			if (data.ags !== before.ags) await ensureAgsFree(tx, networkId, data.ags, bodyId);
			const [after] = await tx
				.update(bodies)
				.set({ ...data, updatedAt: new Date() })
				.where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)))
				.returning();
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'body', recordId: bodyId, before, after });
			return after;
		});
	} catch (e) {
		if (isUniqueViolation(e)) throw new ValidationError({ ags: 'body.agsTaken' });
		throw e;
	}
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
