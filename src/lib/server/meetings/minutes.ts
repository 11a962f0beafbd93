// Minutes (Protokoll), decisions and the follow-ups of a meeting, written after it has begun.
// Coordinators write; the working area reads. Minutes are safe Markdown (rendered through
// renderMarkdown), at most 100,000 characters; the edit form sends the minutes' last-saved stamp
// (minutes_updated_at), so a second person's save is not silently overwritten. Decisions are an
// ordered list; follow-ups from the minutes page are follow-ups with this meeting as their origin.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { meetingDecisions, meetings } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, parseFields, text } from '../network/directory-shared';
import { isUuid } from '../ids';
import { renderMarkdown } from '../markdown';
import { loadMeeting, readableMeeting, type Meeting, type MeetingOrId } from './meetings';
import { canMeeting } from './permissions';
import { createFollowUp, listMeetingFollowUps, type FollowUp, type FollowUpItem } from './follow-ups';

export const MAX_MINUTES = 100_000;
/** A meeting has a few dozen decisions at most; the cap stops runaway lists. */
export const MAX_DECISIONS = 200;

export type Decision = typeof meetingDecisions.$inferSelect;

/** Why minutes, decisions and follow-ups can't be written now (message key), or null. */
export function minutesBlocker(m: Pick<Meeting, 'status' | 'startsAt'>, now: Date): string | null {
	if (m.status === 'cancelled') return 'minutes.cancelled';
	if (m.startsAt.getTime() > now.getTime()) return 'minutes.notStarted';
	return null;
}

/** The stamp the edit form carries: the minutes' last save, '' when never saved. */
export const minutesStamp = (m: Pick<Meeting, 'minutesUpdatedAt'>) => m.minutesUpdatedAt?.toISOString() ?? '';

async function managedForMinutes(actor: Actor, networkId: string, meetingId: string, now: Date): Promise<Meeting> {
	const m = await loadMeeting(db(), networkId, meetingId);
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	if (!canMeeting(actor, 'meeting.manage', { networkId })) throw new ForbiddenError();
	const blocker = minutesBlocker(m, now);
	if (blocker) throw new ValidationError({ _form: blocker });
	return m;
}

const minutesShape = () => ({
	minutes: z.string().max(MAX_MINUTES, { error: 'minutes.tooLong' }).transform((s) => s.replace(/\r\n?/g, '\n').trim()),
	minutesStamp: z.string().trim().max(40)
});

/** Saves the minutes (coordinators, once the meeting has begun). */
export async function saveMinutes(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: { now?: Date } = {}): Promise<Meeting> {
	const now = opts.now ?? new Date();
	await managedForMinutes(actor, networkId, meetingId, now);
	const data = parseFields(minutesShape(), input);
	return db().transaction(async (tx) => {
		const before = await loadMeeting(tx, networkId, meetingId, true);
		const blocker = minutesBlocker(before, now);
		if (blocker) throw new ValidationError({ _form: blocker });
		if (data.minutesStamp !== minutesStamp(before)) {
			throw new ValidationError({ _form: 'minutes.stale' }, { minutesStamp: minutesStamp(before) });
		}
		// A JS Date (millisecond precision) so the stamp read back equals the one the form sends.
		const stamp = new Date(Math.max(now.getTime(), (before.minutesUpdatedAt?.getTime() ?? 0) + 1));
		const [after] = await tx
			.update(meetings)
			.set({ minutes: data.minutes, minutesUpdatedAt: stamp, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(meetings.id, meetingId))
			.returning();
		await recordChange(tx, actor, {
			networkId,
			action: 'minutes',
			recordType: 'meeting',
			recordId: meetingId,
			before: { minutes: before.minutes },
			after: { minutes: after.minutes }
		});
		return after;
	});
}

// ---- decisions -----------------------------------------------------------------------------------

const decisionShape = () => ({ text: text(2000, true) });

async function loadDecision(tx: Tx | ReturnType<typeof db>, networkId: string, meetingId: string, decisionId: string): Promise<Decision> {
	if (!isUuid(decisionId)) throw new NotFoundError();
	const [d] = await tx
		.select()
		.from(meetingDecisions)
		.where(and(eq(meetingDecisions.id, decisionId), eq(meetingDecisions.networkId, networkId), eq(meetingDecisions.meetingId, meetingId)));
	if (!d) throw new NotFoundError();
	return d;
}

/** Adds a decision at the end of the list. */
export async function addDecision(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: { now?: Date } = {}): Promise<Decision> {
	await managedForMinutes(actor, networkId, meetingId, opts.now ?? new Date());
	const data = parseFields(decisionShape(), input);
	return db().transaction(async (tx) => {
		// The meeting's lock orders concurrent additions, so positions stay distinct.
		await loadMeeting(tx, networkId, meetingId, true);
		const [{ n, next }] = await tx
			.select({ n: sql<number>`count(*)::int`, next: sql<number>`coalesce(max(${meetingDecisions.position}) + 1, 0)::int` })
			.from(meetingDecisions)
			.where(eq(meetingDecisions.meetingId, meetingId));
		if (n >= MAX_DECISIONS) throw new ValidationError({ text: 'minutes.tooManyDecisions' });
		const [d] = await tx.insert(meetingDecisions).values({ networkId, meetingId, position: next, text: data.text }).returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'meeting_decision', recordId: d.id, after: d });
		return d;
	});
}

export async function updateDecision(actor: Actor, networkId: string, meetingId: string, decisionId: string, input: unknown, opts: { now?: Date } = {}): Promise<Decision> {
	await managedForMinutes(actor, networkId, meetingId, opts.now ?? new Date());
	const data = parseFields(decisionShape(), input);
	return db().transaction(async (tx) => {
		await loadMeeting(tx, networkId, meetingId, true);
		const before = await loadDecision(tx, networkId, meetingId, decisionId);
		const [after] = await tx.update(meetingDecisions).set({ text: data.text, updatedAt: new Date() }).where(eq(meetingDecisions.id, decisionId)).returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'meeting_decision', recordId: decisionId, before, after });
		return after;
	});
}

export async function deleteDecision(actor: Actor, networkId: string, meetingId: string, decisionId: string, opts: { now?: Date } = {}): Promise<void> {
	await managedForMinutes(actor, networkId, meetingId, opts.now ?? new Date());
	await db().transaction(async (tx) => {
		await loadMeeting(tx, networkId, meetingId, true);
		const before = await loadDecision(tx, networkId, meetingId, decisionId);
		await tx.delete(meetingDecisions).where(eq(meetingDecisions.id, decisionId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'meeting_decision', recordId: decisionId, before });
	});
}

/** Moves a decision one place up or down (positions renumbered 0…n−1). */
export async function moveDecision(actor: Actor, networkId: string, meetingId: string, decisionId: string, input: unknown, opts: { now?: Date } = {}): Promise<Decision[]> {
	await managedForMinutes(actor, networkId, meetingId, opts.now ?? new Date());
	const { direction } = parseFields({ direction: choice(['up', 'down'] as const) }, input);
	return db().transaction(async (tx) => {
		await loadMeeting(tx, networkId, meetingId, true);
		await loadDecision(tx, networkId, meetingId, decisionId);
		const list = await decisionsOf(tx, networkId, meetingId);
		const i = list.findIndex((d) => d.id === decisionId);
		const j = direction === 'up' ? i - 1 : i + 1;
		if (j >= 0 && j < list.length) [list[i], list[j]] = [list[j], list[i]];
		for (const [pos, d] of list.entries()) {
			if (d.position !== pos) await tx.update(meetingDecisions).set({ position: pos }).where(eq(meetingDecisions.id, d.id));
		}
		if (j >= 0 && j < list.length) {
			await recordChange(tx, actor, { networkId, action: 'move', recordType: 'meeting_decision', recordId: decisionId, after: { direction } });
		}
		return decisionsOf(tx, networkId, meetingId);
	});
}

function decisionsOf(tx: Tx | ReturnType<typeof db>, networkId: string, meetingId: string): Promise<Decision[]> {
	return tx
		.select()
		.from(meetingDecisions)
		.where(and(eq(meetingDecisions.meetingId, meetingId), eq(meetingDecisions.networkId, networkId)))
		.orderBy(asc(meetingDecisions.position), asc(meetingDecisions.createdAt), asc(meetingDecisions.id))
		.limit(MAX_DECISIONS);
}

// ---- follow-ups from the minutes ------------------------------------------------------------------

/** A follow-up with this meeting as its origin (coordinators, once the meeting has begun). */
export async function createMeetingFollowUp(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: { now?: Date; isDemo?: boolean } = {}): Promise<FollowUp> {
	await managedForMinutes(actor, networkId, meetingId, opts.now ?? new Date());
	return createFollowUp(actor, networkId, input, { meetingId, isDemo: opts.isDemo });
}

// ---- reading -------------------------------------------------------------------------------------

export interface MinutesView {
	meetingId: string;
	minutes: string;
	/** renderMarkdown of the minutes ('' when none). */
	minutesHtml: string;
	minutesUpdatedAt: Date | null;
	minutesStamp: string;
	decisions: { id: string; position: number; text: string }[];
	followUps: FollowUpItem[];
	canManage: boolean;
	/** Why writing is not possible yet or any more (message key), or null. */
	blocker: string | null;
}

/** Minutes, decisions and follow-ups of a meeting (working area). */
export async function minutesView(actor: Actor, networkId: string, meeting: MeetingOrId, opts: { now?: Date } = {}): Promise<MinutesView> {
	const now = opts.now ?? new Date();
	const m = await readableMeeting(actor, networkId, meeting);
	const meetingId = m.id;
	const [decisions, followUps] = await Promise.all([decisionsOf(db(), networkId, meetingId), listMeetingFollowUps(actor, networkId, meetingId, now)]);
	return {
		meetingId,
		minutes: m.minutes,
		minutesHtml: m.minutes ? renderMarkdown(m.minutes) : '',
		minutesUpdatedAt: m.minutesUpdatedAt,
		minutesStamp: minutesStamp(m),
		decisions: decisions.map((d) => ({ id: d.id, position: d.position, text: d.text })),
		followUps,
		canManage: canMeeting(actor, 'meeting.manage', { networkId }),
		blocker: minutesBlocker(m, now)
	};
}
