// Funding programmes and their application windows (deadlines). Coordinators maintain them; the
// working area reads them. Every window change raises its `sequence`, so calendar clients that
// subscribed to the deadline feed update the event instead of keeping the old date.
import { and, asc, eq, ilike, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, fundingApplications, fundingProgrammes, fundingWindows, memberships, people } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { date, isUuid, likePattern, number, parseFields, text, todayIso } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { parseVersion } from '../validation';
import { applicationBodyIds, canFunding } from './permissions';
import { activeStateSql, isActiveState } from './states';

export type Programme = typeof fundingProgrammes.$inferSelect;
export type FundingWindow = typeof fundingWindows.$inferSelect;
export type ApplicationState = (typeof fundingApplications.$inferSelect)['state'];

type Reader = Tx | ReturnType<typeof db>;


// ---- validation ------------------------------------------------------------------------------

const rate = () => number({ min: 0, max: 100, key: 'funding.rate.range' });

const url = z
	.string()
	.trim()
	.max(500, { error: 'dir.tooLong500' })
	.refine((s) => s === '' || /^https?:\/\/[^\s<>"]+\.[^\s<>"]+$/i.test(s), { error: 'validation.url' });

export const programmeShape = () => ({
	title: text(200, true),
	funder: text(200, true),
	measureNumber: text(50),
	ratePercent: rate(),
	rateWeakPercent: rate(),
	eligibleCosts: text(5000),
	eligibility: text(20000),
	url,
	sourceNote: text(500)
});

export type ProgrammeInput = ReturnType<typeof parseProgramme>;

/** Field rules, and: the rate for financially weak municipalities is never below the normal rate. */
export function parseProgramme(input: unknown) {
	return parseFields(programmeShape(), input, (d, errors) => {
		if (errors.rateWeakPercent || d.rateWeakPercent === null || d.rateWeakPercent === undefined) return;
		if (d.ratePercent === null && !errors.ratePercent) errors.rateWeakPercent = 'funding.rate.weakWithoutRate';
		else if (typeof d.ratePercent === 'number' && d.rateWeakPercent < d.ratePercent) errors.rateWeakPercent = 'funding.rate.weakBelow';
	});
}

export const windowShape = () => ({
	opensOn: date,
	closesOn: date.refine((v) => v !== null, { error: 'funding.window.closesRequired' }),
	note: text(500)
});

/** A window's dates and note; the end may not lie before the start. */
export function parseWindow(input: unknown) {
	const d = parseFields(windowShape(), input, (w, errors) => {
		if (w.opensOn && w.closesOn && w.closesOn < w.opensOn && !errors.closesOn) errors.closesOn = 'funding.window.endBeforeStart';
	});
	return { ...d, closesOn: d.closesOn as string };
}

// ---- loading ---------------------------------------------------------------------------------

export async function loadProgramme(tx: Reader, networkId: string, id: string, lock = false): Promise<Programme> {
	if (!isUuid(id)) throw new NotFoundError();
	const q = tx
		.select()
		.from(fundingProgrammes)
		.where(and(eq(fundingProgrammes.id, id), eq(fundingProgrammes.networkId, networkId)));
	const [p] = lock ? await q.for('update') : await q;
	if (!p) throw new NotFoundError();
	return p;
}

function requireRead(actor: Actor, networkId: string) {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
}

function requireManage(actor: Actor, networkId: string) {
	requireRead(actor, networkId);
	if (!canFunding(actor, 'programme.manage', { networkId })) throw new ForbiddenError();
}

// ---- programmes ------------------------------------------------------------------------------

/**
 * Writes a new programme without a permission check: for createProgramme (which checks) and the
 * seeds (which run as the installation). Inside the caller's transaction.
 */
export async function insertProgramme(tx: Tx, actor: Actor, networkId: string, data: ProgrammeInput, opts: { isDemo?: boolean } = {}): Promise<Programme> {
	const [p] = await tx
		.insert(fundingProgrammes)
		.values({ ...data, networkId, isDemo: !!opts.isDemo, createdBy: actor.userId, updatedBy: actor.userId })
		.returning();
	await recordChange(tx, actor, { networkId, action: 'create', recordType: 'funding_programme', recordId: p.id, after: p });
	return p;
}

/** Coordinators only. */
export async function createProgramme(actor: Actor, networkId: string, input: unknown): Promise<Programme> {
	requireManage(actor, networkId);
	const data = parseProgramme(input);
	return db().transaction((tx) => insertProgramme(tx, actor, networkId, data));
}

/**
 * Updates a programme. The form's `version` must be sent and match; otherwise someone saved in
 * between and the user keeps their input with the current version, so saving again deliberately
 * overwrites.
 */
export async function updateProgramme(actor: Actor, networkId: string, id: string, input: unknown): Promise<Programme> {
	requireManage(actor, networkId);
	await loadProgramme(db(), networkId, id);
	const data = parseProgramme(input);
	const version = parseVersion(input);
	return db().transaction(async (tx) => {
		const before = await loadProgramme(tx, networkId, id, true);
		if (version === null) throw new ValidationError({ _form: 'funding.versionMissing' }, { version: String(before.version) });
		if (version !== before.version) {
			throw new ValidationError({ _form: 'funding.editedMeanwhile' }, { version: String(before.version) });
		}
		const [after] = await tx
			.update(fundingProgrammes)
			.set({ ...data, version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(fundingProgrammes.id, id))
			.returning();
		// The deadlines' calendar events carry the title: changed names reach subscribed calendars.
		if (before.title !== after.title || before.funder !== after.funder || before.measureNumber !== after.measureNumber) {
			await tx
				.update(fundingWindows)
				.set({ sequence: sql`${fundingWindows.sequence} + 1`, updatedAt: new Date() })
				.where(eq(fundingWindows.programmeId, id));
		}
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'funding_programme', recordId: id, before, after });
		return after;
	});
}

/** Archives (or restores) a programme. Archived programmes stay readable but leave the deadlines. */
export async function setProgrammeArchived(actor: Actor, networkId: string, id: string, archived: boolean): Promise<Programme> {
	requireManage(actor, networkId);
	await loadProgramme(db(), networkId, id);
	return db().transaction(async (tx) => {
		const before = await loadProgramme(tx, networkId, id, true);
		if (!!before.archivedAt === archived) return before;
		const [after] = await tx
			.update(fundingProgrammes)
			.set({ archivedAt: archived ? new Date() : null, version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(fundingProgrammes.id, id))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'funding_programme', recordId: id, before, after });
		return after;
	});
}

/** A programme as its edit form sends it. */
export function programmeAsForm(p: Programme): Record<string, string> {
	const pct = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
	return {
		title: p.title,
		funder: p.funder,
		measureNumber: p.measureNumber,
		ratePercent: pct(p.ratePercent),
		rateWeakPercent: pct(p.rateWeakPercent),
		eligibleCosts: p.eligibleCosts,
		eligibility: p.eligibility,
		url: p.url,
		sourceNote: p.sourceNote,
		version: String(p.version)
	};
}

export async function programmeFormValues(actor: Actor, networkId: string, id: string) {
	requireManage(actor, networkId);
	const programme = await loadProgramme(db(), networkId, id);
	return { programme, values: programmeAsForm(programme) };
}

export const PROGRAMME_STATUS_FILTERS = ['active', 'archived', 'all'] as const;
export type ProgrammeStatusFilter = (typeof PROGRAMME_STATUS_FILTERS)[number];

export interface ProgrammeFilter {
	q?: string;
	status?: ProgrammeStatusFilter;
	page?: number;
	pageSize?: number;
	/** Default: today in Germany. */
	today?: string;
}

export interface ProgrammeListItem {
	id: string;
	title: string;
	funder: string;
	measureNumber: string;
	ratePercent: number | null;
	rateWeakPercent: number | null;
	archivedAt: Date | null;
	isDemo: boolean;
	/** The next closing day from today on, or null. */
	nextClosesOn: string | null;
	/** Applications in state considering, preparing or submitted. */
	activeApplications: number;
}

/** URL → filter (?q=…&stand=archiviert|alle). Unknown values fall back to the default. */
export function programmeFilterFromUrl(url: URL): ProgrammeFilter {
	const s = url.searchParams.get('stand');
	return {
		q: (url.searchParams.get('q') ?? '').replace(/\u0000/g, '').trim().slice(0, 200) || undefined,
		status: s === 'archiviert' ? 'archived' : s === 'alle' ? 'all' : 'active'
	};
}

/** The network's programmes by title, with their next deadline; text filter over title, funder and number. */
export async function listProgrammes(actor: Actor, networkId: string, f: ProgrammeFilter = {}) {
	requireRead(actor, networkId);
	const { page, pageSize, offset } = pageOpts(f);
	const today = f.today ?? todayIso();
	const pattern = f.q ? likePattern(f.q.replace(/\u0000/g, '').slice(0, 200)) : null;
	const where = and(
		eq(fundingProgrammes.networkId, networkId),
		f.status === 'archived' ? isNotNull(fundingProgrammes.archivedAt) : f.status === 'all' ? undefined : isNull(fundingProgrammes.archivedAt),
		pattern
			? or(ilike(fundingProgrammes.title, pattern), ilike(fundingProgrammes.funder, pattern), ilike(fundingProgrammes.measureNumber, pattern))
			: undefined
	);
	const [items, [{ total }]] = await Promise.all([
		db()
			.select({
				id: fundingProgrammes.id,
				title: fundingProgrammes.title,
				funder: fundingProgrammes.funder,
				measureNumber: fundingProgrammes.measureNumber,
				ratePercent: fundingProgrammes.ratePercent,
				rateWeakPercent: fundingProgrammes.rateWeakPercent,
				archivedAt: fundingProgrammes.archivedAt,
				isDemo: fundingProgrammes.isDemo,
				// Outer columns spelt out: Drizzle writes a column of the selected table unqualified.
				nextClosesOn: sql<string | null>`(select min(w.closes_on)::text from ${fundingWindows} w where w.programme_id = "funding_programmes"."id" and w.closes_on >= ${today})`,
				activeApplications: sql<number>`(select count(*)::int from ${fundingApplications} a where a.programme_id = "funding_programmes"."id" and ${activeStateSql(sql`a.state`)})`
			})
			.from(fundingProgrammes)
			.where(where)
			.orderBy(asc(fundingProgrammes.title), asc(fundingProgrammes.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(fundingProgrammes).where(where)
	]);
	return { items: items as ProgrammeListItem[], total, page, pageSize };
}

export interface ProgrammeApplicationRow {
	id: string;
	title: string;
	bodyId: string;
	bodyName: string;
	state: ApplicationState;
	windowId: string | null;
	windowClosesOn: string | null;
	requestedEur: number | null;
	grantedEur: number | null;
	submittedOn: string | null;
	decidedOn: string | null;
}

/** One programme with all its windows and the applications to it (a network has tens of towns). */
export async function getProgramme(actor: Actor, networkId: string, id: string, opts: { today?: string } = {}) {
	requireRead(actor, networkId);
	const programme = await loadProgramme(db(), networkId, id);
	const today = opts.today ?? todayIso();
	const [windows, applications] = await Promise.all([
		db()
			.select({
				w: fundingWindows,
				applicants: sql<number>`(select count(*)::int from ${fundingApplications} a where a.window_id = "funding_windows"."id" and ${activeStateSql(sql`a.state`)})`
			})
			.from(fundingWindows)
			.where(and(eq(fundingWindows.programmeId, id), eq(fundingWindows.networkId, networkId)))
			.orderBy(asc(fundingWindows.closesOn), asc(fundingWindows.id))
			.limit(500),
		db()
			.select({
				id: fundingApplications.id,
				title: fundingApplications.title,
				bodyId: fundingApplications.bodyId,
				bodyName: bodies.name,
				state: fundingApplications.state,
				windowId: fundingApplications.windowId,
				windowClosesOn: fundingWindows.closesOn,
				requestedEur: fundingApplications.requestedEur,
				grantedEur: fundingApplications.grantedEur,
				submittedOn: fundingApplications.submittedOn,
				decidedOn: fundingApplications.decidedOn
			})
			.from(fundingApplications)
			.innerJoin(bodies, eq(bodies.id, fundingApplications.bodyId))
			.leftJoin(fundingWindows, eq(fundingWindows.id, fundingApplications.windowId))
			.where(and(eq(fundingApplications.programmeId, id), eq(fundingApplications.networkId, networkId)))
			.orderBy(asc(bodies.name), asc(fundingApplications.createdAt))
			.limit(1000)
	]);
	const bodiesToApply = applicationBodyIds(actor, networkId);
	return {
		programme,
		windows: windows.map(({ w, applicants }) => ({ ...w, applicants, past: w.closesOn < today })),
		/** The next window from today on (undecided applications aim at it). */
		nextWindowId: windows.find(({ w }) => w.closesOn >= today)?.w.id ?? null,
		/** Applications in progress that have not chosen a window ("Frist noch offen"). */
		undecided: applications.filter((a) => a.windowId === null && isActiveState(a.state)).length,
		applications: applications as ProgrammeApplicationRow[],
		canManage: canFunding(actor, 'programme.manage', { networkId }),
		/** May record an application here: the programme is open and the actor represents a body. */
		canApply: !programme.archivedAt && (bodiesToApply === null || bodiesToApply.length > 0)
	};
}

// ---- windows ---------------------------------------------------------------------------------

async function loadWindow(tx: Reader, networkId: string, programmeId: string, windowId: string, lock = false): Promise<FundingWindow> {
	if (!isUuid(windowId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(fundingWindows)
		.where(and(eq(fundingWindows.id, windowId), eq(fundingWindows.programmeId, programmeId), eq(fundingWindows.networkId, networkId)));
	const [w] = lock ? await q.for('update') : await q;
	if (!w) throw new NotFoundError();
	return w;
}

/** Adds a window (deadline) to a programme. Coordinators only. */
export async function addWindow(actor: Actor, networkId: string, programmeId: string, input: unknown, opts: { tx?: Tx } = {}): Promise<FundingWindow> {
	requireManage(actor, networkId);
	const data = parseWindow(input);
	const write = async (tx: Tx) => {
		await loadProgramme(tx, networkId, programmeId, true);
		return insertWindow(tx, actor, networkId, programmeId, data);
	};
	return opts.tx ? write(opts.tx) : db().transaction(write);
}

/** Writes a window without a permission check (createWindow and the seeds). */
export async function insertWindow(tx: Tx, actor: Actor, networkId: string, programmeId: string, data: ReturnType<typeof parseWindow>): Promise<FundingWindow> {
	const [w] = await tx
		.insert(fundingWindows)
		.values({ ...data, networkId, programmeId })
		.returning();
	await recordChange(tx, actor, { networkId, action: 'create', recordType: 'funding_window', recordId: w.id, after: w });
	return w;
}

/** Changes a window's dates or note and raises its sequence. The form's `sequence` (required) guards lost updates. */
export async function updateWindow(actor: Actor, networkId: string, programmeId: string, windowId: string, input: unknown): Promise<FundingWindow> {
	requireManage(actor, networkId);
	await loadWindow(db(), networkId, programmeId, windowId);
	const data = parseWindow(input);
	const sequence = parseVersion(input, 'sequence');
	return db().transaction(async (tx) => {
		const before = await loadWindow(tx, networkId, programmeId, windowId, true);
		if (sequence === null) throw new ValidationError({ _form: 'funding.versionMissing' }, { sequence: String(before.sequence) });
		if (sequence !== before.sequence) {
			throw new ValidationError({ _form: 'funding.window.editedMeanwhile' }, { sequence: String(before.sequence) });
		}
		const [after] = await tx
			.update(fundingWindows)
			.set({ ...data, sequence: before.sequence + 1, updatedAt: new Date() })
			.where(eq(fundingWindows.id, windowId))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'funding_window', recordId: windowId, before, after });
		return after;
	});
}

/**
 * Deletes a window. Applications that aimed at it become undecided ("Frist noch offen"); the audit
 * entry names them.
 */
export async function deleteWindow(actor: Actor, networkId: string, programmeId: string, windowId: string): Promise<void> {
	requireManage(actor, networkId);
	await loadWindow(db(), networkId, programmeId, windowId);
	await db().transaction(async (tx) => {
		const before = await loadWindow(tx, networkId, programmeId, windowId, true);
		const moved = await tx
			.update(fundingApplications)
			.set({ windowId: null, updatedAt: new Date() })
			.where(and(eq(fundingApplications.windowId, windowId), eq(fundingApplications.networkId, networkId)))
			.returning({ id: fundingApplications.id });
		await tx.delete(fundingWindows).where(eq(fundingWindows.id, windowId));
		await recordChange(tx, actor, {
			networkId,
			action: 'delete',
			recordType: 'funding_window',
			recordId: windowId,
			before: { ...before, applicationIds: moved.map((m) => m.id) }
		});
	});
}

/** A window as its edit form sends it. */
export function windowAsForm(w: FundingWindow): Record<string, string> {
	return { opensOn: w.opensOn ?? '', closesOn: w.closesOn, note: w.note, sequence: String(w.sequence) };
}

// ---- shared with applications -----------------------------------------------------------------

/** Bodies the actor may record applications for, by name. */
export async function applyingBodies(actor: Actor, networkId: string): Promise<{ id: string; name: string; ags: string }[]> {
	const ids = applicationBodyIds(actor, networkId);
	if (ids !== null && !ids.length) return [];
	return db()
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), ids === null ? undefined : inArray(bodies.id, ids)))
		.orderBy(asc(bodies.name))
		.limit(1000);
}

/** At most this many people in an application's contact select (sorted by name). */
export const CONTACT_OPTIONS_MAX = 300;

export interface ContactOption {
	id: string;
	name: string;
	bodyName: string | null;
}

/**
 * People for an application's contact select, by name, with their town's name: the people of the
 * given towns (`bodyIds`; null = of every town), the network's coordination (people with a
 * coordinator account, and the network's own people without town or partner organisation), and
 * the current contact (`currentId`) whoever it is, even beyond the cap. At most CONTACT_OPTIONS_MAX
 * others.
 */
export async function contactOptions(networkId: string, opts: { bodyIds: string[] | null; currentId?: string | null; limit?: number }): Promise<ContactOption[]> {
	const limit = opts.limit ?? CONTACT_OPTIONS_MAX;
	const coordinators = db()
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(and(eq(memberships.networkId, networkId), eq(memberships.role, 'coordinator')));
	const towns = opts.bodyIds === null ? isNotNull(people.bodyId) : opts.bodyIds.length ? inArray(people.bodyId, opts.bodyIds) : undefined;
	const rows: ContactOption[] = await db()
		.select({ id: people.id, name: people.name, bodyName: bodies.name })
		.from(people)
		.leftJoin(bodies, eq(bodies.id, people.bodyId))
		.where(
			and(
				eq(people.networkId, networkId),
				or(towns, and(isNull(people.bodyId), isNull(people.partnerId)), inArray(people.userId, coordinators))
			)
		)
		.orderBy(asc(people.name), asc(people.id))
		.limit(limit);
	const currentId = opts.currentId && isUuid(opts.currentId) ? opts.currentId : null;
	if (currentId && !rows.some((r) => r.id === currentId)) {
		const [current] = await db()
			.select({ id: people.id, name: people.name, bodyName: bodies.name })
			.from(people)
			.leftJoin(bodies, eq(bodies.id, people.bodyId))
			.where(and(eq(people.id, currentId), eq(people.networkId, networkId)));
		if (current) {
			rows.push(current);
			rows.sort((a, b) => a.name.localeCompare(b.name, 'de') || (a.id < b.id ? -1 : 1));
		}
	}
	return rows;
}

/** Windows of a programme for the application form's select (past ones too: an application may be old). */
export async function windowOptions(networkId: string, programmeId: string, today = todayIso()) {
	const rows = await db()
		.select({ id: fundingWindows.id, opensOn: fundingWindows.opensOn, closesOn: fundingWindows.closesOn, note: fundingWindows.note })
		.from(fundingWindows)
		.where(and(eq(fundingWindows.programmeId, programmeId), eq(fundingWindows.networkId, networkId)))
		.orderBy(asc(fundingWindows.closesOn))
		.limit(500);
	return rows.map((r) => ({ ...r, past: r.closesOn < today }));
}
