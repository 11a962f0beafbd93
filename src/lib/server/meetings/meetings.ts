// Meetings of the network: create, edit (version-checked), cancel, reopen, mark held, read, list.
// Times are typed as a Berlin date and clock times and stored as instants (time.ts). Every change
// a calendar shows (time, place, status, title, description) raises `sequence`, so calendar
// clients replace their copy; a cancelled meeting stays (status cancelled, STATUS:CANCELLED).
//
// Status: the form sets planned or held only. 'invited' comes from sending the invitations
// (markInvitationsSent, invitations.ts), 'cancelled' from the cancel command (cancelMeeting, run by
// invitations.ts cancelMeetingAndNotify so the cancellation mails go out in the same transaction),
// and a cancelled meeting still ahead goes back to planned only through reopenMeeting.
import { and, asc, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, meetingParticipants, meetings } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { checkboxValue, date, number, optionalUuid, parseFields, text } from '../network/directory-shared';
import { isUuid } from '../ids';
import { parseVersion } from '../validation';
import { pageOpts } from '../paging';
import { canMeeting } from './permissions';
import { berlinDateValue, berlinTimeCheck, berlinTimeValue, berlinToUtc, parseTimeInput } from './time';
import { isFormStatus, isScheduledStatus, MEETING_STATUSES, type FormStatus, type MeetingStatus } from '$lib/meetings/enums';

export { MEETING_STATUSES, type MeetingStatus };
export type Meeting = typeof meetings.$inferSelect;

/** Fields whose change a calendar shows: a change raises `sequence`. */
const CALENDAR_FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'hostBodyId', 'venueName', 'venueAddress', 'onlineUrl', 'status'] as const;

export function calendarChanged(before: Meeting, after: Partial<Meeting>): boolean {
	return CALENDAR_FIELDS.some((k) => {
		if (!(k in after)) return false;
		const a = before[k];
		const b = after[k];
		if (a instanceof Date && b instanceof Date) return a.getTime() !== b.getTime();
		return a !== b;
	});
}

export async function loadMeeting(tx: Tx | ReturnType<typeof db>, networkId: string, meetingId: string, lock = false): Promise<Meeting> {
	if (!isUuid(meetingId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(meetings)
		.where(and(eq(meetings.id, meetingId), eq(meetings.networkId, networkId)));
	const [m] = lock ? await q.for('update') : await q;
	if (!m) throw new NotFoundError();
	return m;
}

/** A meeting row the caller has already loaded (the meeting page loads it once for all its views), or its id. */
export type MeetingOrId = Meeting | string;

/** A meeting of the working area: the row passed in or loaded by id; 404 for anyone outside it and for other networks. */
export async function readableMeeting(actor: Actor, networkId: string, meeting: MeetingOrId): Promise<Meeting> {
	const m = typeof meeting === 'string' ? await loadMeeting(db(), networkId, meeting) : meeting;
	if (m.networkId !== networkId || !canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	return m;
}

/** A meeting the actor may manage; 404 when it is not there (or not visible), 403 when they may not. */
export async function loadManagedMeeting(actor: Actor, networkId: string, meetingId: string): Promise<Meeting> {
	const m = await loadMeeting(db(), networkId, meetingId);
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	if (!canMeeting(actor, 'meeting.manage', { networkId })) throw new ForbiddenError();
	return m;
}

// ---------------------------------------------------------------------------------------------
// Input

const timeField = (key: string) =>
	z
		.string()
		.trim()
		.transform((s, ctx) => {
			const t = s === '' ? null : parseTimeInput(s);
			if (!t) {
				ctx.addIssue({ code: 'custom', message: s === '' ? 'validation.required' : key });
				return z.NEVER;
			}
			return t;
		});

const onlineUrl = z
	.string()
	.trim()
	.max(500, { error: 'dir.tooLong500' })
	.refine((s) => s === '' || /^https?:\/\/[^\s<>"']+$/i.test(s), { error: 'meetings.onlineUrlInvalid' })
	.refine(
		(s) => {
			if (s === '') return true;
			try {
				const u = new URL(s);
				return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname;
			} catch {
				return false;
			}
		},
		{ error: 'meetings.onlineUrlInvalid' }
	);

/** planned or held; 'invited' and 'cancelled' have their own commands (a stale form gets told so). */
const formStatus = z
	.string()
	.trim()
	.transform((s, ctx) => {
		if (isFormStatus(s)) return s;
		ctx.addIssue({ code: 'custom', message: (MEETING_STATUSES as readonly string[]).includes(s) ? 'meetings.statusByCommand' : 'validation.choice' });
		return z.NEVER;
	});

export const meetingShape = () => ({
	title: text(200, true),
	date: date.refine((d) => d !== null, { error: 'meetings.dateRequired' }),
	startTime: timeField('meetings.timeInvalid'),
	endTime: timeField('meetings.timeInvalid'),
	hostBodyId: optionalUuid('meetings.hostUnknown'),
	venueName: text(200),
	venueAddress: text(500),
	onlineUrl,
	description: text(20000),
	status: formStatus,
	isPublic: checkboxValue,
	reminderDays: number({ min: 0, max: 60, integer: true, key: 'meetings.reminderDays' })
});

export interface MeetingValues {
	title: string;
	startsAt: Date;
	endsAt: Date;
	hostBodyId: string | null;
	venueName: string;
	venueAddress: string;
	onlineUrl: string;
	description: string;
	status: MeetingStatus;
	isPublic: boolean;
	reminderDays: number | null;
}

/** Rules on status and time: past meetings were held or cancelled; a meeting ahead was not held yet. */
export function statusTimeError(status: MeetingStatus, startsAt: Date, endsAt: Date, now: Date): string | null {
	if (isScheduledStatus(status) && endsAt.getTime() < now.getTime()) return 'meetings.pastMustBeClosed';
	if (status === 'held' && startsAt.getTime() > now.getTime()) return 'meetings.heldInFuture';
	return null;
}

/**
 * Form input → stored values; every bad field gets its message at once. `locked`: the status of an
 * invited or cancelled meeting, which the form shows read-only and does not send; it is kept, and a
 * time that contradicts it is reported beside the date.
 */
export function parseMeeting(input: unknown, now: Date = new Date(), locked: MeetingStatus | null = null): MeetingValues {
	let startsAt: Date | null = null;
	let endsAt: Date | null = null;
	const { status: _status, ...lockedShape } = meetingShape();
	const shape = locked ? lockedShape : meetingShape();
	const d = parseFields(shape as ReturnType<typeof meetingShape>, input, (v, errors) => {
		if (v.date && v.startTime && !errors.startTime) {
			if (berlinTimeCheck(v.date, v.startTime) === 'gap') errors.startTime = 'meetings.timeGap';
			else startsAt = berlinToUtc(v.date, v.startTime);
		}
		if (v.date && v.endTime && !errors.endTime) {
			if (berlinTimeCheck(v.date, v.endTime) === 'gap') errors.endTime = 'meetings.timeGap';
			else endsAt = berlinToUtc(v.date, v.endTime);
		}
		if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) errors.endTime = 'meetings.endBeforeStart';
		if (!errors.venueName && !errors.venueAddress && !errors.onlineUrl && !v.venueName && !v.venueAddress && !v.onlineUrl) {
			errors.venueName = 'meetings.placeRequired';
		}
		const status: MeetingStatus | undefined = locked ?? v.status;
		if (status && startsAt && endsAt && !errors.endTime && !errors.status) {
			const e = statusTimeError(status, startsAt, endsAt, now);
			if (e) errors[locked ? 'date' : 'status'] = e;
		}
	});
	return {
		title: d.title,
		startsAt: startsAt!,
		endsAt: endsAt!,
		hostBodyId: d.hostBodyId,
		venueName: d.venueName,
		venueAddress: d.venueAddress,
		onlineUrl: d.onlineUrl,
		description: d.description,
		status: locked ?? (d.status as FormStatus),
		isPublic: d.isPublic,
		reminderDays: d.reminderDays
	};
}

async function checkHost(tx: Tx, networkId: string, hostBodyId: string | null) {
	if (!hostBodyId) return;
	const [b] = await tx
		.select({ id: bodies.id })
		.from(bodies)
		.where(and(eq(bodies.id, hostBodyId), eq(bodies.networkId, networkId)));
	if (!b) throw new ValidationError({ hostBodyId: 'meetings.hostUnknown' });
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface CommandOpts {
	/** The current time (tests); default now. */
	now?: Date;
	/** Marks demo data (the demo seeder). */
	isDemo?: boolean;
}

export async function createMeeting(actor: Actor, networkId: string, input: unknown, opts: CommandOpts = {}): Promise<Meeting> {
	if (!canMeeting(actor, 'meeting.manage', { networkId })) throw new ForbiddenError();
	const data = parseMeeting(input, opts.now ?? new Date());
	return db().transaction(async (tx) => {
		await checkHost(tx, networkId, data.hostBodyId);
		const [m] = await tx
			.insert(meetings)
			.values({ ...data, networkId, isDemo: !!opts.isDemo, createdBy: actor.userId, updatedBy: actor.userId })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'meeting', recordId: m.id, after: m });
		return m;
	});
}

/** The form's version must be there and match the stored one (else the user's input comes back with the current version). */
function checkVersion(input: unknown, before: Meeting) {
	const version = parseVersion(input);
	if (version === null) throw new ValidationError({ _form: 'meetings.versionMissing' }, { version: String(before.version) });
	if (version !== before.version) throw new ValidationError({ _form: 'meetings.editedMeanwhile' }, { version: String(before.version) });
}

/** Writes a change; raises version always and sequence when a calendar would show it. */
async function writeChange(tx: Tx, actor: Actor, before: Meeting, set: Partial<Meeting>, action = 'update'): Promise<Meeting> {
	const [after] = await tx
		.update(meetings)
		.set({
			...set,
			sequence: calendarChanged(before, set) ? before.sequence + 1 : before.sequence,
			version: before.version + 1,
			updatedBy: actor.userId,
			updatedAt: new Date()
		})
		.where(eq(meetings.id, before.id))
		.returning();
	await recordChange(tx, actor, { networkId: before.networkId, action, recordType: 'meeting', recordId: before.id, before, after });
	return after;
}

/**
 * Updates a meeting. `version` in the input must match the stored one (else the user sees a
 * message, keeps their input, and may save again to overwrite).
 */
export async function updateMeeting(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: CommandOpts = {}): Promise<Meeting> {
	const current = await loadManagedMeeting(actor, networkId, meetingId);
	const now = opts.now ?? new Date();
	const lockedOf = (m: Meeting) => (isFormStatus(m.status) ? null : m.status);
	// Parsed before the transaction for the early answer, again under the lock should the status have moved meanwhile.
	let data = parseMeeting(input, now, lockedOf(current));
	return db().transaction(async (tx) => {
		const before = await loadMeeting(tx, networkId, meetingId, true);
		checkVersion(input, before);
		if (lockedOf(before) !== lockedOf(current)) data = parseMeeting(input, now, lockedOf(before));
		await checkHost(tx, networkId, data.hostBodyId);
		// Moved: the reminder is due again for the new time (reminders.ts claims people whose reminded_at is empty).
		if (data.startsAt.getTime() !== before.startsAt.getTime()) {
			await tx.update(meetingParticipants).set({ remindedAt: null }).where(eq(meetingParticipants.meetingId, meetingId));
		}
		return writeChange(tx, actor, before, data);
	});
}

/**
 * Cancels a meeting; it stays, with status cancelled (calendars show it as cancelled). A held
 * meeting can't be cancelled. `inTransaction` runs after the change, in the same transaction: the
 * cancellation mails (use invitations.ts cancelMeetingAndNotify, which passes them; it lives there
 * because the mails need this module).
 */
export async function cancelMeeting(
	actor: Actor,
	networkId: string,
	meetingId: string,
	input: unknown,
	inTransaction: (tx: Tx, cancelled: Meeting) => Promise<void>
): Promise<Meeting> {
	await loadManagedMeeting(actor, networkId, meetingId);
	return db().transaction(async (tx) => {
		const before = await loadMeeting(tx, networkId, meetingId, true);
		checkVersion(input, before);
		if (before.status === 'cancelled') throw new ValidationError({ _form: 'meetings.alreadyCancelled' });
		if (before.status === 'held') throw new ValidationError({ _form: 'meetings.heldNotCancelled' });
		const after = await writeChange(tx, actor, before, { status: 'cancelled' }, 'cancel');
		await inTransaction(tx, after);
		return after;
	});
}

/**
 * Takes a cancellation back (coordinators): a cancelled meeting that has not ended is planned
 * again, with a raised sequence; the invited learn of it when the invitations are sent again.
 */
export async function reopenMeeting(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: CommandOpts = {}): Promise<Meeting> {
	await loadManagedMeeting(actor, networkId, meetingId);
	const now = opts.now ?? new Date();
	return db().transaction(async (tx) => {
		const before = await loadMeeting(tx, networkId, meetingId, true);
		checkVersion(input, before);
		if (before.status !== 'cancelled') throw new ValidationError({ _form: 'meetings.notCancelled' });
		if (before.endsAt.getTime() < now.getTime()) throw new ValidationError({ _form: 'meetings.isPast' });
		return writeChange(tx, actor, before, { status: 'planned' }, 'reopen');
	});
}

/** Marks a meeting as held, once it has begun; a cancelled one must first be reopened. */
export async function markMeetingHeld(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: CommandOpts = {}): Promise<Meeting> {
	await loadManagedMeeting(actor, networkId, meetingId);
	const now = opts.now ?? new Date();
	return db().transaction(async (tx) => {
		const before = await loadMeeting(tx, networkId, meetingId, true);
		checkVersion(input, before);
		if (before.status === 'held') throw new ValidationError({ _form: 'meetings.alreadyHeld' });
		if (before.status === 'cancelled') throw new ValidationError({ _form: 'meetings.cancelledNotHeld' });
		if (before.startsAt.getTime() > now.getTime()) throw new ValidationError({ _form: 'meetings.heldInFuture' });
		return writeChange(tx, actor, before, { status: 'held' });
	});
}

/**
 * For the invitations (H6): within the caller's transaction, notes that invitations went out and
 * moves a planned meeting to 'invited' (raising its sequence). Checks nothing but the state: the
 * caller checks permissions. Refuses cancelled and held meetings.
 */
export async function markInvitationsSent(tx: Tx, actor: Actor, networkId: string, meetingId: string, now: Date = new Date()): Promise<Meeting> {
	const before = await loadMeeting(tx, networkId, meetingId, true);
	if (before.status === 'cancelled') throw new ValidationError({ _form: 'meetings.isCancelled' });
	if (before.status === 'held' || before.endsAt.getTime() < now.getTime()) throw new ValidationError({ _form: 'meetings.isPast' });
	return writeChange(tx, actor, before, { status: 'invited', invitationsSentAt: now });
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface MeetingDetail extends Meeting {
	host: { id: string; name: string; ags: string } | null;
	canManage: boolean;
	canPropose: boolean;
	canUpload: boolean;
	/** Ended (end before now). */
	isPast: boolean;
}

async function hostOf(networkId: string, hostBodyId: string | null) {
	if (!hostBodyId) return null;
	const [b] = await db()
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
		.from(bodies)
		.where(and(eq(bodies.id, hostBodyId), eq(bodies.networkId, networkId)));
	return b ?? null;
}

/** A meeting for the working area (all fields); 404 for anyone else, and for other networks. */
export async function getMeeting(actor: Actor, networkId: string, meetingId: string, opts: { now?: Date } = {}): Promise<MeetingDetail> {
	const m = await readableMeeting(actor, networkId, meetingId);
	const now = opts.now ?? new Date();
	return {
		...m,
		host: await hostOf(networkId, m.hostBodyId),
		canManage: canMeeting(actor, 'meeting.manage', { networkId }),
		canPropose: canMeeting(actor, 'meeting.proposeItem', { networkId }),
		canUpload: canMeeting(actor, 'meeting.upload', { networkId }),
		isPast: m.endsAt.getTime() < now.getTime()
	};
}

/** What a public meeting shows to everyone: never participants, notes, minutes or who edited it. */
export interface PublicMeeting {
	id: string;
	title: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingStatus;
	host: { id: string; name: string; ags: string } | null;
	venueName: string;
	venueAddress: string;
	onlineUrl: string;
	description: string;
	sequence: number;
	updatedAt: Date;
}

export function publicFields(m: Meeting, host: PublicMeeting['host']): PublicMeeting {
	return {
		id: m.id,
		title: m.title,
		startsAt: m.startsAt,
		endsAt: m.endsAt,
		status: m.status,
		host,
		venueName: m.venueName,
		venueAddress: m.venueAddress,
		onlineUrl: m.onlineUrl,
		description: m.description,
		sequence: m.sequence,
		updatedAt: m.updatedAt
	};
}

/** A public meeting's public fields (for everyone, signed in or not); 404 for internal ones. */
export async function getPublicMeeting(networkId: string, meetingId: string): Promise<PublicMeeting> {
	const m = await loadMeeting(db(), networkId, meetingId);
	if (!m.isPublic) throw new NotFoundError();
	return publicFields(m, await hostOf(networkId, m.hostBodyId));
}

/** Stored meeting → its edit form's values (Berlin date and clock times). */
export function meetingAsForm(m: Meeting): Record<string, string> {
	return {
		title: m.title,
		date: berlinDateValue(m.startsAt),
		startTime: berlinTimeValue(m.startsAt),
		endTime: berlinTimeValue(m.endsAt),
		hostBodyId: m.hostBodyId ?? '',
		venueName: m.venueName,
		venueAddress: m.venueAddress,
		onlineUrl: m.onlineUrl,
		description: m.description,
		// invited/cancelled are shown read-only and not sent (see parseMeeting).
		status: isFormStatus(m.status) ? m.status : '',
		isPublic: m.isPublic ? 'on' : '',
		reminderDays: m.reminderDays === null ? '' : String(m.reminderDays),
		version: String(m.version)
	};
}

/** Bodies to pick the host from. */
export async function hostOptions(networkId: string) {
	return db().select({ id: bodies.id, name: bodies.name }).from(bodies).where(eq(bodies.networkId, networkId)).orderBy(bodies.name).limit(1000);
}

// ---------------------------------------------------------------------------------------------
// Lists

export const MEETING_WHEN = ['upcoming', 'past'] as const;
export type MeetingWhen = (typeof MEETING_WHEN)[number];

export interface MeetingFilter {
	when?: MeetingWhen;
	status?: MeetingStatus;
	hostBodyId?: string;
	year?: number;
	page?: number;
	pageSize?: number;
	now?: Date;
}

/** URL → filter (?zeit=vergangen&status=held&kommune=<id>&jahr=2026); unknown values are ignored. */
export function meetingFilterFromUrl(url: URL): MeetingFilter {
	const p = url.searchParams;
	const status = p.get('status') ?? '';
	const host = p.get('kommune') ?? '';
	const year = Number(p.get('jahr'));
	return {
		when: p.get('zeit') === 'vergangen' ? 'past' : 'upcoming',
		status: (MEETING_STATUSES as readonly string[]).includes(status) ? (status as MeetingStatus) : undefined,
		hostBodyId: isUuid(host) ? host : undefined,
		year: Number.isInteger(year) && year >= 1990 && year <= 2100 ? year : undefined
	};
}

export interface MeetingListRow {
	id: string;
	title: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingStatus;
	isPublic: boolean;
	hostName: string | null;
	venueName: string;
	onlineUrl: string;
}

async function listWhere(where: SQL | undefined, f: MeetingFilter) {
	const { page, pageSize, offset } = pageOpts(f, 20);
	const order = f.when === 'past' ? [desc(meetings.startsAt), asc(meetings.id)] : [asc(meetings.startsAt), asc(meetings.id)];
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({
				id: meetings.id,
				title: meetings.title,
				startsAt: meetings.startsAt,
				endsAt: meetings.endsAt,
				status: meetings.status,
				isPublic: meetings.isPublic,
				hostName: bodies.name,
				venueName: meetings.venueName,
				onlineUrl: meetings.onlineUrl
			})
			.from(meetings)
			.leftJoin(bodies, eq(bodies.id, meetings.hostBodyId))
			.where(where)
			.orderBy(...order)
			.limit(pageSize)
			.offset(offset),
		db().select({ total: count() }).from(meetings).where(where)
	]);
	return { rows: rows as MeetingListRow[], total: Number(total), page, pageSize };
}

function filterWhere(networkId: string, f: MeetingFilter, publicOnly: boolean): SQL | undefined {
	const now = f.now ?? new Date();
	const conds: (SQL | undefined)[] = [eq(meetings.networkId, networkId)];
	// Upcoming until it has ended, so a meeting under way is still found among the upcoming.
	conds.push(f.when === 'past' ? lt(meetings.endsAt, now) : gte(meetings.endsAt, now));
	if (publicOnly) conds.push(eq(meetings.isPublic, true));
	if (f.status) conds.push(eq(meetings.status, f.status));
	if (f.hostBodyId) conds.push(eq(meetings.hostBodyId, f.hostBodyId));
	if (f.year) conds.push(sql`extract(year from ${meetings.startsAt} at time zone 'Europe/Berlin') = ${f.year}`);
	return and(...conds);
}

/** The working area's list: every meeting of the network, upcoming (soonest first) or past (latest first). */
export async function listMeetings(actor: Actor, networkId: string, f: MeetingFilter = {}) {
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new ForbiddenError();
	return listWhere(filterWhere(networkId, f, false), f);
}

/** The public list: public meetings only, for everyone. */
export async function listPublicMeetings(networkId: string, f: MeetingFilter = {}) {
	return listWhere(filterWhere(networkId, f, true), f);
}

/** Years that have meetings (for the year filter), newest first. */
export async function meetingYears(networkId: string, publicOnly = false): Promise<number[]> {
	const y = sql<number>`extract(year from ${meetings.startsAt} at time zone 'Europe/Berlin')::int`;
	const rows = await db()
		.selectDistinct({ y })
		.from(meetings)
		.where(and(eq(meetings.networkId, networkId), publicOnly ? eq(meetings.isPublic, true) : undefined))
		.orderBy(desc(y));
	return rows.map((r) => Number(r.y));
}

/** Meetings by id within a network (other modules' pickers and links). */
export async function meetingsByIds(networkId: string, ids: string[]) {
	const valid = ids.filter(isUuid);
	if (!valid.length) return [];
	return db()
		.select()
		.from(meetings)
		.where(and(eq(meetings.networkId, networkId), inArray(meetings.id, valid)));
}
