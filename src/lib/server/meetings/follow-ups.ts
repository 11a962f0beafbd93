// Follow-up tasks ("Aufgaben") of the network: what a meeting decided someone should do. They come
// from a meeting's minutes or are created in the list itself, belong to a person of the directory
// and/or a body, and stay in the network's open list across meetings until done or dropped.
//
// Who may do what: coordinators create, edit and delete; the owner person's user and the members
// of the owner body update state and note (canMeeting 'followUp.edit'). Every write is version-
// checked (the form sends the version it was loaded with) and audited as record type 'follow_up'.
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, networks, people } from '../network/schema';
import { registerRecordType } from '../registry';
import { followUps, meetings } from './schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, date, optionalUuid, parseFields, text, todayIso } from '../network/directory-shared';
import { isUuid } from '../ids';
import { ACTIVE_FOLLOW_UP_STATES, FOLLOW_UP_STATE_FILTERS, FOLLOW_UP_STATES, type FollowUpState, type FollowUpStateFilter } from '$lib/meetings/enums';
import { pageOpts } from '../paging';
import { canMeeting } from './permissions';

export { FOLLOW_UP_STATES, type FollowUpState, type FollowUpStateFilter };
export type FollowUp = typeof followUps.$inferSelect;
/** Open and in progress: what the "Offene Aufgaben" list shows by default. */
export const ACTIVE_STATES: readonly FollowUpState[] = ACTIVE_FOLLOW_UP_STATES;

type Reader = Tx | ReturnType<typeof db>;

const version = z
	.string()
	.trim()
	.transform((s, ctx) => {
		const n = Number(s);
		if (!/^\d{1,9}$/.test(s) || !Number.isSafeInteger(n)) {
			ctx.addIssue({ code: 'custom', message: 'followUp.version' });
			return z.NEVER;
		}
		return n;
	});

const fullShape = () => ({
	title: text(500, true),
	ownerPersonId: optionalUuid('followUp.ownerPersonUnknown'),
	ownerBodyId: optionalUuid('followUp.ownerBodyUnknown'),
	dueOn: date,
	state: choice(FOLLOW_UP_STATES),
	note: text(2000)
});

// ---- loading -----------------------------------------------------------------------------------

export async function loadFollowUp(tx: Reader, networkId: string, id: string, lock = false): Promise<FollowUp> {
	if (!isUuid(id)) throw new NotFoundError();
	const q = tx
		.select()
		.from(followUps)
		.where(and(eq(followUps.id, id), eq(followUps.networkId, networkId)));
	const [f] = lock ? await q.for('update') : await q;
	if (!f) throw new NotFoundError();
	return f;
}

/** The account behind the owner person (people.user_id), for the owner's right to update. */
async function ownerUserId(tx: Reader, networkId: string, personId: string | null): Promise<string | null> {
	if (!personId) return null;
	const [p] = await tx
		.select({ userId: people.userId })
		.from(people)
		.where(and(eq(people.id, personId), eq(people.networkId, networkId)));
	return p?.userId ?? null;
}

/** Whether the actor may update this follow-up's state and note. */
export async function canEditFollowUp(actor: Actor, f: Pick<FollowUp, 'networkId' | 'ownerPersonId' | 'ownerBodyId'>, tx: Reader = db()): Promise<boolean> {
	if (canMeeting(actor, 'meeting.manage', { networkId: f.networkId })) return true;
	const ownerUser = await ownerUserId(tx, f.networkId, f.ownerPersonId);
	return canMeeting(actor, 'followUp.edit', { networkId: f.networkId, ownerUserId: ownerUser, ownerBodyId: f.ownerBodyId });
}

async function checkOwners(tx: Reader, networkId: string, d: { ownerPersonId: string | null; ownerBodyId: string | null }) {
	const errors: Record<string, string> = {};
	if (d.ownerPersonId) {
		const [p] = await tx.select({ id: people.id }).from(people).where(and(eq(people.id, d.ownerPersonId), eq(people.networkId, networkId)));
		if (!p) errors.ownerPersonId = 'followUp.ownerPersonUnknown';
	}
	if (d.ownerBodyId) {
		const [b] = await tx.select({ id: bodies.id }).from(bodies).where(and(eq(bodies.id, d.ownerBodyId), eq(bodies.networkId, networkId)));
		if (!b) errors.ownerBodyId = 'followUp.ownerBodyUnknown';
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);
}

async function checkMeeting(tx: Reader, networkId: string, meetingId: string): Promise<void> {
	if (!isUuid(meetingId)) throw new NotFoundError();
	const [m] = await tx.select({ id: meetings.id }).from(meetings).where(and(eq(meetings.id, meetingId), eq(meetings.networkId, networkId)));
	if (!m) throw new NotFoundError();
}

/** Stale form: refused with the current version put into the form, so saving again overwrites. */
function checkVersion(current: FollowUp, sent: number) {
	if (current.version !== sent) throw new ValidationError({ version: 'followUp.stale' }, { version: String(current.version) });
}

const doneAtFor = (before: FollowUp | null, state: FollowUpState) =>
	state === 'done' ? (before?.state === 'done' ? before.doneAt : new Date()) : null;

// ---- commands ----------------------------------------------------------------------------------

export interface CreateFollowUpOptions {
	/** The meeting whose minutes it comes from; null/undefined for a task created in the list. */
	meetingId?: string | null;
	isDemo?: boolean;
}

/** Creates a follow-up (coordinators). State defaults to open. */
export async function createFollowUp(actor: Actor, networkId: string, input: unknown, opts: CreateFollowUpOptions = {}): Promise<FollowUp> {
	if (!canMeeting(actor, 'meeting.manage', { networkId })) throw new ForbiddenError();
	const obj = { state: 'open', ...((input && typeof input === 'object' ? input : {}) as Record<string, unknown>) };
	const data = parseFields(fullShape(), obj);
	return db().transaction(async (tx) => {
		if (opts.meetingId) await checkMeeting(tx, networkId, opts.meetingId);
		await checkOwners(tx, networkId, data);
		const [f] = await tx
			.insert(followUps)
			.values({
				...data,
				networkId,
				meetingId: opts.meetingId ?? null,
				doneAt: doneAtFor(null, data.state),
				isDemo: !!opts.isDemo,
				createdBy: actor.userId,
				updatedBy: actor.userId
			})
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'follow_up', recordId: f.id, after: f });
		return f;
	});
}

/**
 * Updates a follow-up. Coordinators change everything (title, owner, due date, state, note);
 * the owner (person's user, members of the owner body) changes state and note only – other fields
 * they send are ignored. `stateOnly`: the "change state" form, for coordinators too. `version` must
 * be the one the form was loaded with.
 */
export async function updateFollowUp(actor: Actor, networkId: string, id: string, input: unknown, opts: { stateOnly?: boolean } = {}): Promise<FollowUp> {
	const current = await loadFollowUp(db(), networkId, id);
	if (!canMeeting(actor, 'meeting.read', { networkId }) || !(await canEditFollowUp(actor, current))) throw new ForbiddenError();
	const manager = canMeeting(actor, 'meeting.manage', { networkId }) && !opts.stateOnly;
	const obj = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
	const data = manager
		? parseFields({ ...fullShape(), version }, obj)
		: parseFields({ state: choice(FOLLOW_UP_STATES), note: text(2000), version }, obj);
	return db().transaction(async (tx) => {
		const before = await loadFollowUp(tx, networkId, id, true);
		// The owner could have changed since the check above: ask again under the lock.
		if (!(await canEditFollowUp(actor, before, tx))) throw new ForbiddenError();
		checkVersion(before, data.version);
		const { version: _v, ...fields } = data;
		if (manager) await checkOwners(tx, networkId, fields as unknown as { ownerPersonId: string | null; ownerBodyId: string | null });
		const [after] = await tx
			.update(followUps)
			.set({ ...fields, doneAt: doneAtFor(before, fields.state), version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(followUps.id, id))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'follow_up', recordId: id, before, after });
		return after;
	});
}

/** Removes a follow-up entered by mistake (coordinators; done or dropped is the usual way). */
export async function deleteFollowUp(actor: Actor, networkId: string, id: string, input: unknown): Promise<void> {
	if (!canMeeting(actor, 'meeting.manage', { networkId })) throw new ForbiddenError();
	const data = parseFields({ version }, input);
	await db().transaction(async (tx) => {
		const before = await loadFollowUp(tx, networkId, id, true);
		checkVersion(before, data.version);
		await tx.delete(followUps).where(eq(followUps.id, id));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'follow_up', recordId: id, before });
	});
}

// ---- reading -----------------------------------------------------------------------------------

/** 'active' = open or in progress (the default), 'all' = every state. */
export const STATE_FILTERS: readonly FollowUpStateFilter[] = FOLLOW_UP_STATE_FILTERS;

export interface FollowUpFilter {
	/** A municipality: the owner body, or the body of the owner person. */
	bodyId?: string;
	ownerPersonId?: string;
	state?: FollowUpStateFilter;
	meetingId?: string;
	page?: number;
	pageSize?: number;
}

export interface FollowUpItem {
	id: string;
	title: string;
	state: FollowUpState;
	dueOn: string | null;
	/** Due before today (Berlin) and still open or in progress. */
	overdue: boolean;
	note: string;
	version: number;
	ownerPersonId: string | null;
	ownerPersonName: string | null;
	ownerBodyId: string | null;
	ownerBodyName: string | null;
	meetingId: string | null;
	meetingTitle: string | null;
	meetingStartsAt: Date | null;
	doneAt: Date | null;
	isDemo: boolean;
	updatedAt: Date;
	/** The actor may update state and note. */
	canEdit: boolean;
}

export interface FollowUpPage {
	items: FollowUpItem[];
	total: number;
	page: number;
	pageSize: number;
}

function where(networkId: string, f: FollowUpFilter): SQL {
	const conds: SQL[] = [eq(followUps.networkId, networkId)];
	const state = f.state ?? 'active';
	if (state === 'active') conds.push(inArray(followUps.state, [...ACTIVE_STATES]));
	else if (state !== 'all') conds.push(eq(followUps.state, state));
	if (f.bodyId && isUuid(f.bodyId)) {
		conds.push(
			or(
				eq(followUps.ownerBodyId, f.bodyId),
				sql`exists (select 1 from people op where op.id = ${followUps.ownerPersonId} and op.body_id = ${f.bodyId})`
			)!
		);
	} else if (f.bodyId) conds.push(sql`false`);
	if (f.ownerPersonId) conds.push(isUuid(f.ownerPersonId) ? eq(followUps.ownerPersonId, f.ownerPersonId) : sql`false`);
	if (f.meetingId) conds.push(isUuid(f.meetingId) ? eq(followUps.meetingId, f.meetingId) : sql`false`);
	return and(...conds)!;
}

async function toItems(actor: Actor, networkId: string, rows: Awaited<ReturnType<typeof selectItems>>, now: Date): Promise<FollowUpItem[]> {
	const today = todayIso(now);
	const manager = canMeeting(actor, 'meeting.manage', { networkId });
	return rows.map(({ ownerUserId, ...r }) => ({
		...r,
		overdue: !!r.dueOn && r.dueOn < today && ACTIVE_STATES.includes(r.state),
		canEdit: manager || canMeeting(actor, 'followUp.edit', { networkId, ownerUserId, ownerBodyId: r.ownerBodyId })
	}));
}

function selectItems(networkId: string, cond: SQL, limit: number, offset: number) {
	return db()
		.select({
			id: followUps.id,
			title: followUps.title,
			state: followUps.state,
			dueOn: followUps.dueOn,
			note: followUps.note,
			version: followUps.version,
			ownerPersonId: followUps.ownerPersonId,
			ownerPersonName: people.name,
			ownerUserId: people.userId,
			ownerBodyId: followUps.ownerBodyId,
			ownerBodyName: bodies.name,
			meetingId: followUps.meetingId,
			meetingTitle: meetings.title,
			meetingStartsAt: meetings.startsAt,
			doneAt: followUps.doneAt,
			isDemo: followUps.isDemo,
			updatedAt: followUps.updatedAt
		})
		.from(followUps)
		.leftJoin(people, and(eq(people.id, followUps.ownerPersonId), eq(people.networkId, networkId)))
		.leftJoin(bodies, and(eq(bodies.id, followUps.ownerBodyId), eq(bodies.networkId, networkId)))
		.leftJoin(meetings, and(eq(meetings.id, followUps.meetingId), eq(meetings.networkId, networkId)))
		.where(cond)
		// Overdue and soon-due first, undated last; then oldest first, so nothing old sinks away.
		.orderBy(sql`${followUps.dueOn} asc nulls last`, asc(followUps.createdAt), asc(followUps.id))
		.limit(limit)
		.offset(offset);
}

/** The network's follow-ups, filtered and paginated (working area). Default: open and in progress. */
export async function listFollowUps(actor: Actor, networkId: string, f: FollowUpFilter = {}, now: Date = new Date()): Promise<FollowUpPage> {
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(f, 25, 100);
	const cond = where(networkId, f);
	const [rows, [{ total }]] = await Promise.all([
		selectItems(networkId, cond, pageSize, offset),
		db().select({ total: sql<number>`count(*)::int` }).from(followUps).where(cond)
	]);
	return { items: await toItems(actor, networkId, rows, now), total, page, pageSize };
}

/**
 * Open and in-progress follow-ups (for the next meeting's agenda, and the open list). Same filters
 * as listFollowUps, state fixed to active.
 */
export async function listOpenFollowUps(
	actor: Actor,
	networkId: string,
	opts: { page?: number; pageSize?: number; bodyId?: string; ownerPersonId?: string } = {},
	now: Date = new Date()
): Promise<FollowUpPage> {
	return listFollowUps(actor, networkId, { ...opts, state: 'active' }, now);
}

/** Every follow-up of one meeting (any state), for its minutes section. At most 200. */
export async function listMeetingFollowUps(actor: Actor, networkId: string, meetingId: string, now: Date = new Date()): Promise<FollowUpItem[]> {
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new ForbiddenError();
	if (!isUuid(meetingId)) throw new NotFoundError();
	const rows = await selectItems(networkId, and(eq(followUps.networkId, networkId), eq(followUps.meetingId, meetingId))!, 200, 0);
	return toItems(actor, networkId, rows, now);
}

/** Owners to choose from: the network's people (with their town or partner) and bodies. */
export async function followUpOwnerOptions(actor: Actor, networkId: string) {
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new ForbiddenError();
	const [personList, bodyList] = await Promise.all([
		db()
			.select({ id: people.id, name: people.name, bodyName: bodies.name })
			.from(people)
			.leftJoin(bodies, eq(bodies.id, people.bodyId))
			.where(eq(people.networkId, networkId))
			.orderBy(people.name, people.id)
			.limit(2000),
		db().select({ id: bodies.id, name: bodies.name }).from(bodies).where(eq(bodies.networkId, networkId)).orderBy(bodies.name).limit(1000)
	]);
	return { people: personList, bodies: bodyList };
}

// ---- URL filters ---------------------------------------------------------------------------------

/** ?kommune=<id>&person=<id>&treffen=<id>&status=<state>&seite=N → filter (unknown values dropped). */
export function followUpFilterFromUrl(url: URL): FollowUpFilter {
	const p = url.searchParams;
	const id = (k: string) => {
		const v = p.get(k)?.trim() ?? '';
		return isUuid(v) ? v : undefined;
	};
	const s = p.get('status') ?? '';
	return {
		bodyId: id('kommune'),
		ownerPersonId: id('person'),
		meetingId: id('treffen'),
		state: (STATE_FILTERS as readonly string[]).includes(s) ? (s as FollowUpStateFilter) : 'active'
	};
}

export function followUpFilterToQuery(f: FollowUpFilter): URLSearchParams {
	const q = new URLSearchParams();
	if (f.bodyId) q.set('kommune', f.bodyId);
	if (f.ownerPersonId) q.set('person', f.ownerPersonId);
	if (f.meetingId) q.set('treffen', f.meetingId);
	if (f.state && f.state !== 'active') q.set('status', f.state);
	return q;
}

// ---- record type ---------------------------------------------------------------------------------

/**
 * The record type 'follow_up' (audit log, links): a follow-up has no page of its own; its address is
 * its place in the network's list (filtered to its meeting when it has one).
 */
export function registerFollowUpRecords() {
	registerRecordType({
		type: 'follow_up',
		labelKey: 'record.follow_up',
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ title: followUps.title, networkId: followUps.networkId, meetingId: followUps.meetingId, bodyId: followUps.ownerBodyId, slug: networks.slug })
				.from(followUps)
				.innerJoin(networks, eq(networks.id, followUps.networkId))
				.where(eq(followUps.id, id));
			if (!row) return null;
			const q = row.meetingId ? `?treffen=${row.meetingId}&status=all` : '?status=all';
			return {
				type: 'follow_up',
				id,
				networkId: row.networkId,
				title: row.title,
				url: `/${row.slug}/intern/treffen/aufgaben${q}#aufgabe-${id}`,
				isPublic: false,
				bodyId: row.bodyId
			};
		},
		canRead: (actor, r) => !!r.networkId && canMeeting(actor, 'meeting.read', { networkId: r.networkId }),
		canEdit: (actor, r) => !!r.networkId && canMeeting(actor, 'meeting.manage', { networkId: r.networkId })
	});
}
