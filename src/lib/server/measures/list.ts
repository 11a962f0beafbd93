// Lists of measures: the network view, a body's view, the portal. Every filter comes from the URL
// (see filterFromUrl), so a view can be bookmarked and shared; exports use the same filter.
import { and, asc, desc, eq, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, concepts, fieldsOfAction, measureConstraints, measures, measureTasks } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { isUuid, likePattern, todayIso } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { prefixQuery } from '../search/tsquery';
import { canMeasure } from './permissions';
import { CLOSED_STATUSES, MEASURE_STATUSES, TERMS, type MeasureStatus } from './measures';
import { FIELD_THEMES, type FieldTheme } from './concepts';

export const SORTS = ['code', 'title', 'body', 'status', 'progress', 'end', 'updated'] as const;
export type MeasureSort = (typeof SORTS)[number];
export const CONSTRAINT_FILTERS = ['conflict', 'to_check', 'open', 'clear'] as const;
export type ConstraintFilter = (typeof CONSTRAINT_FILTERS)[number];

export interface MeasureFilter {
	/** AGS of the body (readable in URLs). */
	ags?: string;
	conceptId?: string;
	/** A single field of action of one concept (?feld=…); `theme` compares fields across towns. */
	fieldId?: string;
	/** Measures not assigned to any field of action. */
	withoutField?: boolean;
	theme?: FieldTheme;
	status?: MeasureStatus[];
	term?: (typeof TERMS)[number];
	constraint?: ConstraintFilter;
	overdue?: boolean;
	q?: string;
	sort?: MeasureSort;
	desc?: boolean;
	page?: number;
	pageSize?: number;
	/** Portal: public measures only (forced for everyone outside the working area). */
	publicOnly?: boolean;
	today?: string;
}

const pick = <T extends string>(list: readonly T[], v: string | null | undefined): T | undefined =>
	v && (list as readonly string[]).includes(v) ? (v as T) : undefined;

/** URL → filter. Unknown values are ignored, not errors: a shared link with an old value still opens. */
export function filterFromUrl(url: URL): MeasureFilter {
	const p = url.searchParams;
	const ags = (p.get('kommune') ?? '').trim();
	const field = p.get('feld') ?? '';
	return {
		ags: /^\d{5}(\d{3})?$/.test(ags) ? ags : undefined,
		fieldId: isUuid(field) ? field : undefined,
		theme: pick(FIELD_THEMES, p.get('handlungsfeld')),
		status: p.getAll('status').filter((s): s is MeasureStatus => (MEASURE_STATUSES as readonly string[]).includes(s)),
		term: pick(TERMS, p.get('frist')),
		constraint: pick(CONSTRAINT_FILTERS, p.get('pruefung')),
		overdue: p.get('ueberfaellig') === '1',
		// NUL can't reach PostgreSQL (the request hook refuses %00 too; this keeps direct callers safe).
		q: (p.get('q') ?? '').replace(/\u0000/g, '').trim().slice(0, 200) || undefined,
		sort: pick(SORTS, p.get('sortierung')),
		desc: p.get('richtung') === 'ab'
	};
}

/** Filter → URL query (the inverse of filterFromUrl), for links that keep the view. */
export function filterToQuery(f: MeasureFilter): URLSearchParams {
	const p = new URLSearchParams();
	if (f.ags) p.set('kommune', f.ags);
	if (f.fieldId) p.set('feld', f.fieldId);
	if (f.theme) p.set('handlungsfeld', f.theme);
	for (const s of f.status ?? []) p.append('status', s);
	if (f.term) p.set('frist', f.term);
	if (f.constraint) p.set('pruefung', f.constraint);
	if (f.overdue) p.set('ueberfaellig', '1');
	if (f.q) p.set('q', f.q);
	if (f.sort) p.set('sortierung', f.sort);
	if (f.desc) p.set('richtung', 'ab');
	return p;
}

export interface MeasureListItem {
	id: string;
	code: string;
	title: string;
	status: MeasureStatus;
	progress: number;
	priority: 'high' | 'medium' | 'low';
	term: 'short' | 'medium' | 'long' | null;
	plannedStart: string | null;
	plannedEnd: string | null;
	isPublic: boolean;
	updatedAt: Date;
	bodyId: string;
	bodyName: string;
	bodyAgs: string;
	conceptTitle: string;
	fieldName: string | null;
	fieldColor: string | null;
	theme: FieldTheme | null;
	conflicts: number;
	toCheck: number;
	overdue: boolean;
}

const conflictCount = sql<number>`(select count(*)::int from ${measureConstraints} where ${measureConstraints.measureId} = ${measures.id} and ${measureConstraints.state} = 'conflict')`;
const toCheckCount = sql<number>`(select count(*)::int from ${measureConstraints} where ${measureConstraints.measureId} = ${measures.id} and ${measureConstraints.state} = 'to_check')`;

/**
 * Not finished and past its planned end, or with an open task past its due date. The task part is
 * an uncorrelated IN over the network's late tasks (index measure_tasks_network_due_idx): a
 * correlated EXISTS per measure made the network counts take ~20x longer at 20,000 measures.
 */
function overdueCondition(networkId: string, today: string): SQL {
	const open = notInArray(measures.status, [...CLOSED_STATUSES]);
	const lateTask = inArray(
		measures.id,
		db()
			.select({ id: measureTasks.measureId })
			.from(measureTasks)
			.where(and(eq(measureTasks.networkId, networkId), inArray(measureTasks.state, ['open', 'in_progress']), lt(measureTasks.dueOn, today)))
	);
	return and(open, or(lt(measures.plannedEnd, today), lateTask))!;
}

/** Measures by the state of their constraints check; uncorrelated IN for the same reason as above. */
function constraintCondition(networkId: string, c: ConstraintFilter): SQL {
	const has = (states: ('conflict' | 'to_check')[]) =>
		inArray(
			measures.id,
			db()
				.select({ id: measureConstraints.measureId })
				.from(measureConstraints)
				.where(and(eq(measureConstraints.networkId, networkId), inArray(measureConstraints.state, states)))
		);
	switch (c) {
		case 'conflict':
			return has(['conflict']);
		case 'to_check':
			return has(['to_check']);
		case 'open':
			return has(['conflict', 'to_check']);
		case 'clear':
			return sql`not ${has(['conflict', 'to_check'])}`;
	}
}

function orderBy(sort: MeasureSort | undefined, descending: boolean) {
	const dir = descending ? desc : asc;
	switch (sort) {
		case 'title':
			return [dir(measures.title), asc(measures.id)];
		case 'status':
			return [dir(measures.status), asc(bodies.name), asc(measures.code), asc(measures.id)];
		case 'progress':
			return [dir(measures.progress), asc(bodies.name), asc(measures.code), asc(measures.id)];
		case 'end':
			return [sql`${measures.plannedEnd} ${descending ? sql`desc` : sql`asc`} nulls last`, asc(measures.id)];
		case 'updated':
			return [dir(measures.updatedAt), asc(measures.id)];
		case 'code':
			return [dir(measures.code), asc(measures.id)];
		default:
			return [dir(bodies.name), dir(measures.code), asc(measures.id)];
	}
}

/** "M-3.2", "m-", "W2": no spaces, short, with a digit or a dash. Plain words are not codes. */
function looksLikeCode(q: string): boolean {
	return q.length <= 20 && !/\s/.test(q) && /[\d-]/.test(q);
}

/** The WHERE of a filtered list; shared by the list and the export. */
export function measureWhere(actor: Actor, networkId: string, f: MeasureFilter): SQL {
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	const today = f.today ?? todayIso();
	const q = f.q?.trim().slice(0, 200);
	const tsq = q ? prefixQuery(q) : null;
	return and(
		eq(measures.networkId, networkId),
		!inArea || f.publicOnly ? eq(measures.isPublic, true) : undefined,
		f.ags ? eq(bodies.ags, f.ags) : undefined,
		f.conceptId ? eq(measures.conceptId, f.conceptId) : undefined,
		f.fieldId ? eq(measures.fieldId, f.fieldId) : undefined,
		f.withoutField ? isNull(measures.fieldId) : undefined,
		f.theme ? eq(fieldsOfAction.theme, f.theme) : undefined,
		f.status?.length ? inArray(measures.status, f.status) : undefined,
		f.term ? eq(measures.term, f.term) : undefined,
		f.constraint ? constraintCondition(networkId, f.constraint) : undefined,
		f.overdue ? overdueCondition(networkId, today) : undefined,
		// Words match by German stem ("Fördermittel" finds "Fördermitteln"), through the GIN index;
		// codes by prefix, only when the input looks like one (an OR with ILIKE would rule the index out).
		q
			? or(
					tsq ? sql`${measures.search} @@ to_tsquery('german', ${tsq})` : undefined,
					looksLikeCode(q) ? sql`${measures.code} ilike ${likePattern(q).slice(1)}` : undefined
				)
			: undefined
	)!;
}

const listColumns = {
	id: measures.id,
	code: measures.code,
	title: measures.title,
	status: measures.status,
	progress: measures.progress,
	priority: measures.priority,
	term: measures.term,
	plannedStart: measures.plannedStart,
	plannedEnd: measures.plannedEnd,
	isPublic: measures.isPublic,
	updatedAt: measures.updatedAt,
	bodyId: measures.bodyId,
	bodyName: bodies.name,
	bodyAgs: bodies.ags,
	conceptTitle: concepts.title,
	fieldName: fieldsOfAction.name,
	fieldColor: fieldsOfAction.color,
	theme: fieldsOfAction.theme,
	conflicts: conflictCount,
	toCheck: toCheckCount
};

function fromMeasures<T extends Record<string, unknown>>(cols: T) {
	return db()
		.select(cols as never)
		.from(measures)
		.innerJoin(bodies, eq(bodies.id, measures.bodyId))
		.innerJoin(concepts, eq(concepts.id, measures.conceptId))
		.leftJoin(fieldsOfAction, eq(fieldsOfAction.id, measures.fieldId));
}

/** A page of measures matching the filter. Outside the working area: public measures only. */
export async function listMeasures(actor: Actor, networkId: string, f: MeasureFilter = {}) {
	const { page, pageSize, offset } = pageOpts(f, 25);
	const today = f.today ?? todayIso();
	const where = measureWhere(actor, networkId, f);
	const [rows, [{ total }]] = await Promise.all([
		fromMeasures(listColumns)
			.where(where)
			.orderBy(...orderBy(f.sort, !!f.desc))
			.limit(pageSize)
			.offset(offset) as unknown as Promise<Omit<MeasureListItem, 'overdue'>[]>,
		fromMeasures({ total: sql<number>`count(*)::int` }).where(where) as unknown as Promise<{ total: number }[]>
	]);
	const late = await lateTaskIds(rows.map((r) => r.id), today);
	const items: MeasureListItem[] = rows.map((r) => ({
		...r,
		overdue: !CLOSED_STATUSES.includes(r.status) && ((!!r.plannedEnd && r.plannedEnd < today) || late.has(r.id))
	}));
	return { items, total, page, pageSize };
}

/** Which of these measures have a task past its due date. */
async function lateTaskIds(ids: string[], today: string): Promise<Set<string>> {
	if (!ids.length) return new Set();
	const rows = await db()
		.selectDistinct({ id: measureTasks.measureId })
		.from(measureTasks)
		.where(and(inArray(measureTasks.measureId, ids), inArray(measureTasks.state, ['open', 'in_progress']), lt(measureTasks.dueOn, today)));
	return new Set(rows.map((r) => r.id));
}

/**
 * All rows of a filtered list for export, a page at a time so memory stays flat. Working area
 * only. Stops on a short page, so a page size capped below `batch` can't cut the export short.
 */
export async function* iterateMeasures(actor: Actor, networkId: string, f: MeasureFilter, batch = 100) {
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new ForbiddenError();
	for (let page = 1; ; page++) {
		const r = await listMeasures(actor, networkId, { ...f, page, pageSize: batch });
		yield* r.items;
		if (r.items.length < r.pageSize) return;
	}
}

export interface StatusCounts {
	total: number;
	byStatus: Record<MeasureStatus, number>;
	/** Mean completion of measures not discarded, 0–100. */
	meanProgress: number;
	conflicts: number;
	overdue: number;
}

/** Counts for a body's (or the network's) overview: status counts, progress, conflicts, overdue. */
export async function measureCounts(actor: Actor, networkId: string, f: Omit<MeasureFilter, 'page' | 'pageSize' | 'sort' | 'desc'> = {}): Promise<StatusCounts> {
	const today = f.today ?? todayIso();
	const where = measureWhere(actor, networkId, f);
	const rows = (await fromMeasures({ status: measures.status, n: sql<number>`count(*)::int`, progressSum: sql<number>`sum(${measures.progress})::int` })
		.where(where)
		.groupBy(measures.status)) as unknown as { status: MeasureStatus; n: number; progressSum: number }[];
	const [extra] = (await fromMeasures({
		conflicts: sql<number>`count(*) filter (where ${constraintCondition(networkId, 'conflict')})::int`,
		overdue: sql<number>`count(*) filter (where ${overdueCondition(networkId, today)})::int`
	}).where(where)) as unknown as { conflicts: number; overdue: number }[];
	const byStatus = Object.fromEntries(MEASURE_STATUSES.map((s) => [s, 0])) as Record<MeasureStatus, number>;
	let total = 0;
	let counted = 0;
	let sum = 0;
	for (const r of rows) {
		byStatus[r.status] = r.n;
		total += r.n;
		if (r.status !== 'discarded') {
			counted += r.n;
			sum += r.progressSum;
		}
	}
	return { total, byStatus, meanProgress: counted ? Math.round(sum / counted) : 0, conflicts: extra.conflicts, overdue: extra.overdue };
}
