// Joint activities of several towns: propose (for a body the member represents, or as the
// coordination), edit with a version check, change the status (dropping one needs a reason, kept in
// the audit log), join and leave for a body, read one, list with filters. Every query is filtered
// by network; every write is one transaction with its audit entry.
import { and, asc, desc, eq, getTableColumns, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { users } from '../auth/schema';
import { auditLog } from '../audit/schema';
import { bodies } from '../network/schema';
import { agendaItems, meetings } from '../meetings/schema';
import { VISITOR, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { checkboxValue, choice, isUuid, likePattern, parseFields, text } from '../network/directory-shared';
import { parseVersion } from '../validation';
import { pageOpts } from '../paging';
import { prefixQuery } from '../search/tsquery';
import { ACTIVITY_STATUSES, CLOSED_STATUSES, type ActivityStatus } from '$lib/activities/enums';
import { activities, activityParticipants, activityTasks } from './schema';
import { actingBodyIds, canActivity, canReadActivity } from './permissions';
// Importing it registers the notification kind 'activity.status' wherever activities can change.
import { notifyActivityStatus } from '../notifications/activity-kinds';

// The lists live in a module the components can import too; re-exported for the server's callers.
export { ACTIVITY_STATUSES, CLOSED_STATUSES, type ActivityStatus };

/** All columns but the search vector (derived; it would clutter the audit log). */
const { search: _search, ...activityColumns } = getTableColumns(activities);
export { activityColumns };
export type Activity = Omit<typeof activities.$inferSelect, 'search'>;

type Reader = Tx | ReturnType<typeof db>;

export async function loadActivity(tx: Reader, networkId: string, activityId: string, lock = false): Promise<Activity> {
	if (!isUuid(activityId)) throw new NotFoundError();
	const q = tx
		.select(activityColumns)
		.from(activities)
		.where(and(eq(activities.id, activityId), eq(activities.networkId, networkId)));
	const [a] = lock ? await q.for('update') : await q;
	if (!a) throw new NotFoundError();
	return a;
}

export async function participantBodyIds(tx: Reader, networkId: string, activityId: string): Promise<string[]> {
	const rows = await tx
		.select({ bodyId: activityParticipants.bodyId })
		.from(activityParticipants)
		.where(and(eq(activityParticipants.activityId, activityId), eq(activityParticipants.networkId, networkId)));
	return rows.map((r) => r.bodyId);
}

/** An activity the actor may read: 404 when missing, in another network, or internal for outsiders. */
export async function readableActivity(actor: Actor, networkId: string, activityId: string): Promise<Activity> {
	const a = await loadActivity(db(), networkId, activityId);
	if (!canReadActivity(actor, a)) throw new NotFoundError();
	return a;
}

/** An activity of the working area: 404 when unreadable, 403 for readers outside the working area. */
export async function workingActivity(actor: Actor, networkId: string, activityId: string): Promise<Activity> {
	const a = await readableActivity(actor, networkId, activityId);
	// Outside the working area even a public activity is not worked on here.
	if (!canActivity(actor, 'activity.read', { networkId })) throw new ForbiddenError();
	return a;
}

/**
 * An activity the actor may edit (title, description, public flag, status, links): the coordinator
 * and the proposer body's members, not the towns that merely joined. 404 when unreadable, 403 otherwise.
 */
export async function editableActivity(actor: Actor, networkId: string, activityId: string): Promise<Activity> {
	const a = await workingActivity(actor, networkId, activityId);
	if (!canActivity(actor, 'activity.edit', { networkId, proposerBodyId: a.proposerBodyId })) throw new ForbiddenError();
	return a;
}

/** '' = the coordination; otherwise a body id. */
const proposer = z
	.string()
	.trim()
	.refine((s) => s === '' || isUuid(s), { error: 'activities.bodyUnknown' })
	.transform((s) => (s === '' ? null : s));

export const activityShape = () => ({
	title: text(200, true),
	description: text(20000),
	status: choice(ACTIVITY_STATUSES),
	statusReason: text(2000),
	proposerBodyId: proposer,
	isPublic: checkboxValue
});

export type ActivityInput = ReturnType<typeof parseActivity>;

/** The statuses a new activity may start in: it is not finished or dropped before it exists. */
export const START_STATUSES: readonly ActivityStatus[] = ['idea', 'planning'];

/**
 * Field rules; `previousStatus`: dropping needs a reason (only when it changes to dropped);
 * `creating`: a new activity starts as an idea or in planning.
 */
export function parseActivity(input: unknown, previousStatus: ActivityStatus | null = null, creating = false) {
	return parseFields(activityShape(), input, (d, errors) => {
		if (creating) {
			if (!errors.status && d.status && !START_STATUSES.includes(d.status)) errors.status = 'activities.statusAtStart';
			return;
		}
		if (d.status === 'dropped' && previousStatus !== 'dropped' && !d.statusReason && !errors.statusReason) errors.statusReason = 'activities.reasonRequired';
	});
}

async function checkBodyInNetwork(tx: Reader, networkId: string, bodyId: string, field: string) {
	const [b] = await tx
		.select({ id: bodies.id })
		.from(bodies)
		.where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
	if (!b) throw new ValidationError({ [field]: 'activities.bodyUnknown' });
}

/**
 * Who may propose for whom: a member among the bodies they represent (one must be picked), the
 * coordinator for any body of the network or as the coordination (null).
 */
async function checkProposer(tx: Reader, actor: Actor, networkId: string, bodyId: string | null) {
	const mine = actingBodyIds(actor, networkId);
	if (mine === null) {
		if (bodyId) await checkBodyInNetwork(tx, networkId, bodyId, 'proposerBodyId');
		return;
	}
	if (!bodyId) throw new ValidationError({ proposerBodyId: 'activities.proposerRequired' });
	if (!mine.includes(bodyId)) throw new ValidationError({ proposerBodyId: 'activities.proposerNotYours' });
	await checkBodyInNetwork(tx, networkId, bodyId, 'proposerBodyId');
}

// Ids, editor, version, timestamps and the demo flag are bookkeeping, not what a person changed.
const auditRow = (a: Activity) => {
	const { id: _id, networkId: _n, createdAt: _ca, updatedAt: _ua, updatedBy: _ub, proposedBy: _pb, version: _v, isDemo: _d, ...rest } = a;
	return rest;
};

/** The audit's after-row, with the reason when the status changed to dropped and one was given (any other reason is ignored). */
const withReason = (a: Activity, reason: string, statusChanged: boolean) =>
	statusChanged && reason && a.status === 'dropped' ? { ...auditRow(a), statusReason: reason } : auditRow(a);

async function addParticipant(tx: Tx, actor: Actor, networkId: string, activityId: string, bodyId: string): Promise<boolean> {
	const [row] = await tx
		.insert(activityParticipants)
		.values({ activityId, bodyId, networkId, joinedBy: actor.userId })
		.onConflictDoNothing()
		.returning();
	if (!row) return false;
	await recordChange(tx, actor, { networkId, action: 'create', recordType: 'activity_participant', recordId: activityId, after: { bodyId } });
	return true;
}

export interface CreateActivityOptions {
	isDemo?: boolean;
	tx?: Tx;
}

/**
 * Proposes an activity, as an idea or in planning; the proposer body joins at once. A status reason
 * sent along is ignored (only dropping keeps one).
 */
export async function createActivity(actor: Actor, networkId: string, input: unknown, opts: CreateActivityOptions = {}): Promise<Activity> {
	if (!canActivity(actor, 'activity.create', { networkId })) throw new ForbiddenError();
	const data = parseActivity(input, null, true);
	const write = async (tx: Tx) => {
		await checkProposer(tx, actor, networkId, data.proposerBodyId);
		const { statusReason: _ignored, ...values } = data;
		const [a] = await tx
			.insert(activities)
			.values({ ...values, networkId, proposedBy: actor.userId, updatedBy: actor.userId, isDemo: !!opts.isDemo })
			.returning(activityColumns);
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'activity', recordId: a.id, after: auditRow(a) });
		if (a.proposerBodyId) await addParticipant(tx, actor, networkId, a.id, a.proposerBodyId);
		return a;
	};
	return opts.tx ? write(opts.tx) : db().transaction(write);
}

/**
 * Saves the edit form. `version` must match the stored one; otherwise someone saved in between: the
 * user sees a message, keeps their input, and may save again to overwrite. A new proposer joins.
 */
export async function updateActivity(actor: Actor, networkId: string, activityId: string, input: unknown): Promise<Activity> {
	const current = await editableActivity(actor, networkId, activityId);
	const data = parseActivity(input, current.status);
	const version = parseVersion(input);
	return db().transaction(async (tx) => {
		const before = await loadActivity(tx, networkId, activityId, true);
		if (version === null) throw new ValidationError({ _form: 'activities.versionMissing' }, { version: String(before.version) });
		if (version !== before.version) throw new ValidationError({ _form: 'activities.editedMeanwhile' }, { version: String(before.version) });
		if (data.status === 'dropped' && before.status !== 'dropped' && !data.statusReason) throw new ValidationError({ statusReason: 'activities.reasonRequired' });
		if (data.proposerBodyId !== before.proposerBodyId) await checkProposer(tx, actor, networkId, data.proposerBodyId);
		const { statusReason, ...values } = data;
		const [after] = await tx
			.update(activities)
			.set({ ...values, version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(activities.id, activityId))
			.returning(activityColumns);
		await recordChange(tx, actor, {
			networkId,
			action: 'update',
			recordType: 'activity',
			recordId: activityId,
			before: auditRow(before),
			after: withReason(after, statusReason, before.status !== after.status)
		});
		if (before.status !== after.status) await statusChanged(tx, actor, after, statusReason);
		if (after.proposerBodyId && after.proposerBodyId !== before.proposerBodyId) await addParticipant(tx, actor, networkId, activityId, after.proposerBodyId);
		return after;
	});
}

/** Tells the participating towns' members and the proposer (the notification kind 'activity.status'). */
function statusChanged(tx: Tx, actor: Actor, after: Activity, reason: string) {
	return notifyActivityStatus(tx, actor.userId, after, after.status === 'dropped' ? reason : '');
}

const statusShape = () => ({ status: choice(ACTIVITY_STATUSES), statusReason: text(2000) });

/** The small status form of the activity page (status, reason when dropping, version). */
export async function setActivityStatus(actor: Actor, networkId: string, activityId: string, input: unknown): Promise<Activity> {
	const current = await editableActivity(actor, networkId, activityId);
	const data = parseFields(statusShape(), input, (d, errors) => {
		if (d.status === 'dropped' && current.status !== 'dropped' && !d.statusReason && !errors.statusReason) errors.statusReason = 'activities.reasonRequired';
	});
	const version = parseVersion(input);
	return db().transaction(async (tx) => {
		const before = await loadActivity(tx, networkId, activityId, true);
		if (version === null) throw new ValidationError({ _form: 'activities.versionMissing' }, { version: String(before.version) });
		if (version !== before.version) throw new ValidationError({ _form: 'activities.editedMeanwhile' }, { version: String(before.version) });
		if (data.status === before.status) return before;
		if (data.status === 'dropped' && !data.statusReason) throw new ValidationError({ statusReason: 'activities.reasonRequired' });
		const [after] = await tx
			.update(activities)
			.set({ status: data.status, version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(activities.id, activityId))
			.returning(activityColumns);
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'activity', recordId: activityId, before: auditRow(before), after: withReason(after, data.statusReason, true) });
		await statusChanged(tx, actor, after, data.statusReason);
		return after;
	});
}

// ---- joining and leaving ----------------------------------------------------------------------

export type JoinResult = 'joined' | 'already';
export type LeaveResult = 'left' | 'notJoined';

/** The body of the join/leave form: a body of this network, or a field error. */
async function bodyOfForm(networkId: string, bodyId: unknown): Promise<string> {
	const id = typeof bodyId === 'string' ? bodyId.trim() : '';
	if (!isUuid(id)) throw new ValidationError({ bodyId: 'activities.bodyUnknown' });
	await checkBodyInNetwork(db(), networkId, id, 'bodyId');
	return id;
}

/**
 * A body joins: a member for a body they represent, the coordinator for any. Joining twice changes
 * nothing and says so ('already'); a finished or dropped activity takes nobody new.
 */
export async function joinActivity(actor: Actor, networkId: string, activityId: string, bodyIdInput: unknown): Promise<JoinResult> {
	const a = await readableActivity(actor, networkId, activityId);
	if (!canActivity(actor, 'activity.read', { networkId })) throw new ForbiddenError();
	const bodyId = await bodyOfForm(networkId, bodyIdInput);
	if (!canActivity(actor, 'activity.join', { networkId, bodyId })) throw new ForbiddenError();
	return db().transaction(async (tx) => {
		const locked = await loadActivity(tx, networkId, a.id, true);
		const [existing] = await tx
			.select({ bodyId: activityParticipants.bodyId })
			.from(activityParticipants)
			.where(and(eq(activityParticipants.activityId, a.id), eq(activityParticipants.bodyId, bodyId)));
		if (existing) return 'already';
		if (CLOSED_STATUSES.includes(locked.status)) throw new ValidationError({ bodyId: 'activities.joinClosed' });
		return (await addParticipant(tx, actor, networkId, a.id, bodyId)) ? 'joined' : 'already';
	});
}

/** A body leaves (also the last one, also the proposer). Leaving when not taking part says so. */
export async function leaveActivity(actor: Actor, networkId: string, activityId: string, bodyIdInput: unknown): Promise<LeaveResult> {
	const a = await readableActivity(actor, networkId, activityId);
	if (!canActivity(actor, 'activity.read', { networkId })) throw new ForbiddenError();
	const bodyId = await bodyOfForm(networkId, bodyIdInput);
	if (!canActivity(actor, 'activity.join', { networkId, bodyId })) throw new ForbiddenError();
	return db().transaction(async (tx) => {
		await loadActivity(tx, networkId, a.id, true);
		const [row] = await tx
			.delete(activityParticipants)
			.where(and(eq(activityParticipants.activityId, a.id), eq(activityParticipants.bodyId, bodyId), eq(activityParticipants.networkId, networkId)))
			.returning();
		if (!row) return 'notJoined';
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'activity_participant', recordId: a.id, before: { bodyId } });
		return 'left';
	});
}

// ---- reading one ------------------------------------------------------------------------------

export interface Participant {
	id: string;
	name: string;
	ags: string;
	joinedAt: Date;
}

async function participantsOf(networkId: string, activityIds: string[]): Promise<Map<string, Participant[]>> {
	const out = new Map<string, Participant[]>();
	if (!activityIds.length) return out;
	const rows = await db()
		.select({ activityId: activityParticipants.activityId, id: bodies.id, name: bodies.name, ags: bodies.ags, joinedAt: activityParticipants.joinedAt })
		.from(activityParticipants)
		.innerJoin(bodies, and(eq(bodies.id, activityParticipants.bodyId), eq(bodies.networkId, networkId)))
		.where(and(eq(activityParticipants.networkId, networkId), inArray(activityParticipants.activityId, activityIds)))
		.orderBy(asc(bodies.name));
	for (const { activityId, ...p } of rows) {
		const list = out.get(activityId) ?? [];
		list.push(p);
		out.set(activityId, list);
	}
	return out;
}

export interface DiscussedIn {
	id: string;
	title: string;
	startsAt: Date;
	status: string;
}

/**
 * Meetings whose agenda has an item pointing at the activity (newest first, at most 100). Working
 * area only. The agenda side is filtered by network, ref type and ref id: agenda_items_ref_idx.
 */
export async function meetingsDiscussing(actor: Actor, networkId: string, activityId: string): Promise<DiscussedIn[]> {
	if (!canActivity(actor, 'activity.read', { networkId })) return [];
	return db()
		.selectDistinct({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt, status: meetings.status })
		.from(agendaItems)
		.innerJoin(meetings, and(eq(meetings.id, agendaItems.meetingId), eq(meetings.networkId, networkId)))
		.where(and(eq(agendaItems.networkId, networkId), eq(agendaItems.refType, 'activity'), eq(agendaItems.refId, activityId)))
		.orderBy(desc(meetings.startsAt), asc(meetings.id))
		.limit(100);
}

/**
 * Why and when the activity was dropped: the newest audit entry that dropped it with a reason, and
 * only its reason and time (not the rows). The where clause is the prefix of audit_record_idx
 * (network, record type, record id, created_at) and the order its last column, so PostgreSQL walks
 * that index backwards and stops at the first drop instead of reading the record's whole history.
 * One drop is one transaction with one entry, so created_at alone decides.
 */
async function droppedReason(networkId: string, activityId: string): Promise<{ reason: string; on: Date } | null> {
	const [row] = await db()
		.select({ reason: sql<string>`${auditLog.after}->>'statusReason'`, on: auditLog.createdAt })
		.from(auditLog)
		.where(
			and(
				eq(auditLog.networkId, networkId),
				eq(auditLog.recordType, 'activity'),
				eq(auditLog.recordId, activityId),
				sql`${auditLog.after}->>'status' = 'dropped'`,
				sql`${auditLog.after} ? 'statusReason'`
			)
		)
		.orderBy(desc(auditLog.createdAt))
		.limit(1);
	return row?.reason ? { reason: row.reason, on: row.on } : null;
}

export interface ActivityDetail extends Activity {
	proposerBody: { id: string; name: string; ags: string } | null;
	proposerName: string | null;
	participants: Participant[];
	/** Bodies the actor may join or leave with, each with whether it takes part. */
	actingBodies: { id: string; name: string; joined: boolean }[];
	dropped: { reason: string; on: Date } | null;
	/** Edit the activity, change its status, manage links (coordinator, proposer's members). */
	canEdit: boolean;
	/** Add tasks and mark them done/open (also the participating towns' members). */
	canAddTasks: boolean;
}

/** One activity with what its working-area page shows. Internal ones only for the working area. */
export async function getActivity(actor: Actor, networkId: string, activityId: string): Promise<ActivityDetail> {
	const a = await readableActivity(actor, networkId, activityId);
	if (!canActivity(actor, 'activity.read', { networkId })) throw new ForbiddenError();
	const mine = actingBodyIds(actor, networkId);
	const [parts, proposerRows, userRows, dropped, bodyRows] = await Promise.all([
		participantsOf(networkId, [a.id]),
		a.proposerBodyId
			? db()
					.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
					.from(bodies)
					.where(and(eq(bodies.id, a.proposerBodyId), eq(bodies.networkId, networkId)))
			: Promise.resolve([]),
		a.proposedBy ? db().select({ name: users.name, deletedAt: users.deletedAt }).from(users).where(eq(users.id, a.proposedBy)) : Promise.resolve([]),
		a.status === 'dropped' ? droppedReason(networkId, a.id) : Promise.resolve(null),
		mine === null || mine.length
			? db()
					.select({ id: bodies.id, name: bodies.name })
					.from(bodies)
					.where(and(eq(bodies.networkId, networkId), mine === null ? undefined : inArray(bodies.id, mine)))
					.orderBy(asc(bodies.name))
					// A network has tens of bodies (a district's towns), not thousands.
					.limit(1000)
			: Promise.resolve([])
	]);
	const participants = parts.get(a.id) ?? [];
	const joined = new Set(participants.map((p) => p.id));
	const u = userRows[0];
	return {
		...a,
		proposerBody: proposerRows[0] ?? null,
		proposerName: u && !u.deletedAt ? u.name : null,
		participants,
		actingBodies: bodyRows.map((b) => ({ ...b, joined: joined.has(b.id) })),
		dropped,
		canEdit: canActivity(actor, 'activity.edit', { networkId, proposerBodyId: a.proposerBodyId }),
		canAddTasks: canActivity(actor, 'activity.task.add', { networkId, proposerBodyId: a.proposerBodyId, participantBodyIds: [...joined] })
	};
}

export interface PublicActivity {
	id: string;
	title: string;
	description: string;
	status: ActivityStatus;
	proposerBody: { name: string; ags: string } | null;
	participants: { name: string; ags: string }[];
	updatedAt: Date;
	isDemo: boolean;
}

/** A public activity for the portal: its public fields only; internal ones are not found, whoever asks. */
export async function getPublicActivity(networkId: string, activityId: string): Promise<PublicActivity> {
	const a = await loadActivity(db(), networkId, activityId);
	if (!a.isPublic) throw new NotFoundError();
	const [parts, proposerRows] = await Promise.all([
		participantsOf(networkId, [a.id]),
		a.proposerBodyId
			? db()
					.select({ name: bodies.name, ags: bodies.ags })
					.from(bodies)
					.where(and(eq(bodies.id, a.proposerBodyId), eq(bodies.networkId, networkId)))
			: Promise.resolve([])
	]);
	return {
		id: a.id,
		title: a.title,
		description: a.description,
		status: a.status,
		proposerBody: proposerRows[0] ?? null,
		participants: (parts.get(a.id) ?? []).map((p) => ({ name: p.name, ags: p.ags })),
		updatedAt: a.updatedAt,
		isDemo: a.isDemo
	};
}

/** A stored activity as the strings its edit form sends, with its version. */
export function activityAsForm(a: Activity): Record<string, string> {
	return {
		title: a.title,
		description: a.description,
		status: a.status,
		statusReason: '',
		proposerBodyId: a.proposerBodyId ?? '',
		isPublic: a.isPublic ? 'on' : '',
		version: String(a.version)
	};
}

/** The edit form's values of an activity the actor may edit. */
export async function activityFormValues(actor: Actor, networkId: string, activityId: string): Promise<{ activity: Activity; values: Record<string, string> }> {
	const activity = await editableActivity(actor, networkId, activityId);
	return { activity, values: activityAsForm(activity) };
}

/**
 * The proposer choices of the form: a member's own bodies, the coordinator's "Koordination" and every
 * body. On the edit form `keep` is the current proposer, which stays selectable, so an unchanged
 * save never fails on it.
 */
export async function proposerOptions(actor: Actor, networkId: string, keep?: { bodyId: string | null }) {
	const mine = actingBodyIds(actor, networkId);
	const ids = mine === null ? null : [...new Set([...mine, ...(keep?.bodyId ? [keep.bodyId] : [])])];
	const rows =
		ids && !ids.length
			? []
			: await db()
					.select({ id: bodies.id, name: bodies.name })
					.from(bodies)
					.where(and(eq(bodies.networkId, networkId), ids ? inArray(bodies.id, ids) : undefined))
					.orderBy(asc(bodies.name))
					// A network has tens of bodies (a district's towns), not thousands.
					.limit(1000);
	return { coordination: mine === null || (!!keep && keep.bodyId === null), bodies: rows };
}

// ---- lists ------------------------------------------------------------------------------------

export interface ActivityFilter {
	status?: ActivityStatus[];
	/** AGS of a municipality taking part (readable in URLs). */
	ags?: string;
	q?: string;
	/** Public ones only (forced for everyone outside the working area). */
	publicOnly?: boolean;
	page?: number;
	pageSize?: number;
}

/** URL → filter. Unknown values are ignored, not errors: an old shared link still opens. */
export function activityFilterFromUrl(url: URL): ActivityFilter {
	const p = url.searchParams;
	const ags = (p.get('kommune') ?? '').trim();
	return {
		status: [...new Set(p.getAll('status').filter((s): s is ActivityStatus => (ACTIVITY_STATUSES as readonly string[]).includes(s)))],
		ags: /^\d{5}(\d{3})?$/.test(ags) ? ags : undefined,
		// NUL can't reach PostgreSQL (the request hook refuses %00 too; this keeps direct callers safe).
		q: (p.get('q') ?? '').replace(/\u0000/g, '').trim().slice(0, 200) || undefined,
		publicOnly: p.get('oeffentlich') === '1' || undefined
	};
}

/** Filter → URL query (the inverse of activityFilterFromUrl), for links that keep the view. */
export function activityFilterToQuery(f: ActivityFilter): URLSearchParams {
	const p = new URLSearchParams();
	for (const s of f.status ?? []) p.append('status', s);
	if (f.ags) p.set('kommune', f.ags);
	if (f.q) p.set('q', f.q);
	if (f.publicOnly) p.set('oeffentlich', '1');
	return p;
}

function activityWhere(networkId: string, f: ActivityFilter): SQL {
	const q = f.q?.replace(/\u0000/g, '').trim().slice(0, 200);
	const tsq = q ? prefixQuery(q) : null;
	return and(
		eq(activities.networkId, networkId),
		f.publicOnly ? eq(activities.isPublic, true) : undefined,
		f.status?.length ? inArray(activities.status, f.status) : undefined,
		f.ags
			? inArray(
					activities.id,
					db()
						.select({ id: activityParticipants.activityId })
						.from(activityParticipants)
						.innerJoin(bodies, eq(bodies.id, activityParticipants.bodyId))
						.where(and(eq(activityParticipants.networkId, networkId), eq(bodies.networkId, networkId), eq(bodies.ags, f.ags)))
				)
			: undefined,
		// Words match by German stem through the GIN index; a lone short word (no stem) by title.
		q ? (tsq ? sql`${activities.search} @@ to_tsquery('german', ${tsq})` : ilike(activities.title, likePattern(q))) : undefined
	)!;
}

export interface ActivityListItem {
	id: string;
	title: string;
	status: ActivityStatus;
	isPublic: boolean;
	isDemo: boolean;
	updatedAt: Date;
	proposerName: string | null;
	participants: { name: string; ags: string }[];
	/** Tasks not done (working area only; 0 in the portal). */
	openTasks: number;
}

/**
 * A page of the network's activities matching the filter, newest change first. Outside the working
 * area (visitors, citizens, other networks) only public ones, without task counts.
 */
export async function listActivities(actor: Actor, networkId: string, f: ActivityFilter = {}) {
	const inArea = canActivity(actor, 'activity.read', { networkId });
	const filter = { ...f, publicOnly: f.publicOnly || !inArea };
	const { page, pageSize, offset } = pageOpts(filter, 25);
	const where = activityWhere(networkId, filter);
	const openTasks = sql<number>`(select count(*)::int from ${activityTasks} where ${activityTasks.activityId} = ${activities.id} and not ${activityTasks.done})`;
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({
				id: activities.id,
				title: activities.title,
				status: activities.status,
				isPublic: activities.isPublic,
				isDemo: activities.isDemo,
				updatedAt: activities.updatedAt,
				proposerName: bodies.name,
				openTasks: inArea ? openTasks : sql<number>`0`
			})
			.from(activities)
			.leftJoin(bodies, and(eq(bodies.id, activities.proposerBodyId), eq(bodies.networkId, networkId)))
			.where(where)
			.orderBy(desc(activities.updatedAt), asc(activities.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(activities).where(where)
	]);
	const parts = await participantsOf(
		networkId,
		rows.map((r) => r.id)
	);
	const items: ActivityListItem[] = rows.map((r) => ({ ...r, participants: (parts.get(r.id) ?? []).map((p) => ({ name: p.name, ags: p.ags })) }));
	return { items, total, page, pageSize };
}

/** The portal's list: public activities, read as a visitor whoever asks. */
export function listPublicActivities(networkId: string, f: ActivityFilter = {}) {
	return listActivities(VISITOR, networkId, { ...f, publicOnly: true });
}

/** Municipalities for the filter: those taking part in any (public, for the portal) activity. */
export async function participatingBodies(actor: Actor, networkId: string, publicOnly = false) {
	const only = publicOnly || !canActivity(actor, 'activity.read', { networkId });
	return db()
		.selectDistinct({ name: bodies.name, ags: bodies.ags })
		.from(activityParticipants)
		.innerJoin(bodies, and(eq(bodies.id, activityParticipants.bodyId), eq(bodies.networkId, networkId)))
		.innerJoin(activities, eq(activities.id, activityParticipants.activityId))
		.where(and(eq(activityParticipants.networkId, networkId), only ? eq(activities.isPublic, true) : undefined))
		.orderBy(asc(bodies.name))
		.limit(1000);
}
