// Answers to a meeting (yes / no / maybe, with a comment) and who comes from where.
// Everyone of the working area may answer, invited or not; changing the answer is allowed until the
// meeting ends. A cancelled, held or ended meeting takes no answers, and nothing changes.
import { and, asc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../db/client';
import { bodies, meetingParticipants, meetings, membershipBodies, memberships, partners, people, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { parseFields } from '../network/directory-shared';
import { loadMeeting, readableMeeting, type Meeting, type MeetingOrId } from './meetings';
import { MEETING_ANSWERS, type MeetingAnswer } from '$lib/meetings/enums';
import { canMeeting } from './permissions';

export const ANSWERS = MEETING_ANSWERS;
export type Answer = MeetingAnswer;
export const MAX_COMMENT = 1000;

const answerShape = () => ({
	answer: z
		.string()
		.trim()
		.refine((s): s is Answer => (ANSWERS as readonly string[]).includes(s), { error: 'answers.choose' })
		.transform((s) => s as Answer),
	comment: z.string().trim().max(MAX_COMMENT, { error: 'answers.commentTooLong' })
});

/** Why the meeting takes no answers (message key), or null. */
export function answerBlocker(m: Pick<Meeting, 'status' | 'endsAt'>, now: Date): string | null {
	if (m.status === 'cancelled') return 'answers.cancelled';
	if (m.status === 'held' || m.endsAt.getTime() <= now.getTime()) return 'answers.past';
	return null;
}

export type Participant = typeof meetingParticipants.$inferSelect;

/** Saves the actor's answer (coordinator, member, partner of the network). */
export async function answerMeeting(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: { now?: Date } = {}): Promise<Participant> {
	const now = opts.now ?? new Date();
	await loadMeeting(db(), networkId, meetingId);
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	if (!canMeeting(actor, 'meeting.attend', { networkId }) || !actor.userId) throw new ForbiddenError();
	const userId = actor.userId;
	const data = parseFields(answerShape(), input);
	return db().transaction(async (tx) => {
		// Shared lock: a cancellation running at the same time waits for the answer, or the answer
		// sees the cancellation – never an answer to a meeting that was cancelled under it.
		const [m] = await tx
			.select()
			.from(meetings)
			.where(and(eq(meetings.id, meetingId), eq(meetings.networkId, networkId)))
			.for('share');
		if (!m) throw new NotFoundError();
		const blocker = answerBlocker(m, now);
		if (blocker) throw new ValidationError({ answer: blocker });
		const [before] = await tx
			.select()
			.from(meetingParticipants)
			.where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.userId, userId)))
			.for('update');
		const [after] = await tx
			.insert(meetingParticipants)
			.values({ meetingId, userId, networkId, answer: data.answer, comment: data.comment, answeredAt: now })
			.onConflictDoUpdate({
				target: [meetingParticipants.meetingId, meetingParticipants.userId],
				set: { answer: data.answer, comment: data.comment, answeredAt: now }
			})
			.returning();
		await recordChange(tx, actor, {
			networkId,
			action: before?.answer ? 'update' : 'create',
			recordType: 'meeting_answer',
			recordId: meetingId,
			before: before?.answer ? { answer: before.answer, comment: before.comment } : undefined,
			after: { userId, answer: after.answer, comment: after.comment }
		});
		return after;
	});
}

// ---- who comes ---------------------------------------------------------------------------------

export interface ParticipantView {
	userId: string;
	name: string;
	answer: Answer | null;
	comment: string;
	invited: boolean;
	answeredAt: Date | null;
}

export type GroupKind = 'body' | 'partner' | 'coordination' | 'other';

export interface ParticipantGroup {
	kind: GroupKind;
	/** Body or partner id; null for coordination and other. */
	id: string | null;
	/** Body or partner name; '' for coordination and other (the page labels them). */
	name: string;
	people: ParticipantView[];
	counts: AnswerCounts;
}

export interface AnswerCounts {
	yes: number;
	no: number;
	maybe: number;
	/** Invited, no answer yet. */
	open: number;
}

export interface ParticipationView {
	meetingId: string;
	counts: AnswerCounts;
	invited: number;
	groups: ParticipantGroup[];
	/** Member bodies of the network with no yes or maybe from anyone representing them. */
	notRepresented: { id: string; name: string }[];
	mine: { answer: Answer | null; comment: string; invited: boolean } | null;
	canAnswer: boolean;
	/** Why answering is closed (message key), or null. */
	closed: string | null;
	status: Meeting['status'];
}

const emptyCounts = (): AnswerCounts => ({ yes: 0, no: 0, maybe: 0, open: 0 });
const count = (c: AnswerCounts, a: Answer | null) => {
	if (a) c[a]++;
	else c.open++;
};

/**
 * Participants grouped by municipality (a member under each body they represent), partners under
 * their organisation, coordinators under "Koordination"; counts per answer; and the towns that no
 * yes/maybe represents. Working area only.
 */
export async function participationView(actor: Actor, networkId: string, meeting: MeetingOrId, opts: { now?: Date } = {}): Promise<ParticipationView> {
	const now = opts.now ?? new Date();
	const m = await readableMeeting(actor, networkId, meeting);
	const meetingId = m.id;
	const rows = await db()
		.select({
			userId: meetingParticipants.userId,
			name: users.name,
			deletedAt: users.deletedAt,
			answer: meetingParticipants.answer,
			comment: meetingParticipants.comment,
			invitedAt: meetingParticipants.invitedAt,
			answeredAt: meetingParticipants.answeredAt,
			role: memberships.role,
			membershipId: memberships.id
		})
		.from(meetingParticipants)
		.innerJoin(users, eq(users.id, meetingParticipants.userId))
		.leftJoin(memberships, and(eq(memberships.userId, meetingParticipants.userId), eq(memberships.networkId, networkId)))
		.where(and(eq(meetingParticipants.meetingId, meetingId), eq(meetingParticipants.networkId, networkId), or(isNotNull(meetingParticipants.invitedAt), isNotNull(meetingParticipants.answer))))
		.orderBy(asc(users.name), asc(users.id))
		.limit(5000);
	const membershipIds = rows.map((r) => r.membershipId).filter((x): x is string => !!x);
	const userIds = rows.map((r) => r.userId);
	const [bodyLinks, partnerLinks, allBodies] = await Promise.all([
		membershipIds.length
			? db()
					.select({ membershipId: membershipBodies.membershipId, bodyId: bodies.id, name: bodies.name })
					.from(membershipBodies)
					.innerJoin(bodies, eq(bodies.id, membershipBodies.bodyId))
					.where(and(inArray(membershipBodies.membershipId, membershipIds), eq(bodies.networkId, networkId)))
			: [],
		userIds.length
			? db()
					.select({ userId: people.userId, partnerId: partners.id, name: partners.name })
					.from(people)
					.innerJoin(partners, eq(partners.id, people.partnerId))
					.where(and(eq(people.networkId, networkId), inArray(people.userId, userIds), isNotNull(people.partnerId)))
			: [],
		db().select({ id: bodies.id, name: bodies.name }).from(bodies).where(eq(bodies.networkId, networkId)).orderBy(asc(bodies.name)).limit(1000)
	]);
	const bodiesOf = new Map<string, { id: string; name: string }[]>();
	for (const l of bodyLinks) bodiesOf.set(l.membershipId, [...(bodiesOf.get(l.membershipId) ?? []), { id: l.bodyId, name: l.name }]);
	const partnerOf = new Map<string, { id: string; name: string }>();
	for (const p of partnerLinks) if (p.userId && !partnerOf.has(p.userId)) partnerOf.set(p.userId, { id: p.partnerId, name: p.name });

	const groups = new Map<string, ParticipantGroup>();
	const group = (kind: GroupKind, id: string | null, name: string) => {
		const key = `${kind}:${id ?? ''}`;
		let g = groups.get(key);
		if (!g) groups.set(key, (g = { kind, id, name, people: [], counts: emptyCounts() }));
		return g;
	};
	const counts = emptyCounts();
	const represented = new Set<string>();
	let invited = 0;
	let mine: ParticipationView['mine'] = null;
	for (const r of rows) {
		const p: ParticipantView = {
			userId: r.userId,
			name: r.deletedAt ? '' : r.name,
			answer: r.answer,
			comment: r.deletedAt ? '' : r.comment,
			invited: !!r.invitedAt,
			answeredAt: r.answeredAt
		};
		count(counts, r.answer);
		if (r.invitedAt) invited++;
		if (r.userId === actor.userId) mine = { answer: r.answer, comment: r.comment, invited: !!r.invitedAt };
		const targets: ParticipantGroup[] = [];
		if (r.role === 'coordinator') targets.push(group('coordination', null, ''));
		else if (r.role === 'member' && bodiesOf.get(r.membershipId!)?.length) {
			for (const b of bodiesOf.get(r.membershipId!)!) {
				targets.push(group('body', b.id, b.name));
				if (r.answer === 'yes' || r.answer === 'maybe') represented.add(b.id);
			}
		} else if (r.role === 'partner' && partnerOf.has(r.userId)) {
			const org = partnerOf.get(r.userId)!;
			targets.push(group('partner', org.id, org.name));
		} else targets.push(group('other', null, ''));
		for (const g of targets) {
			g.people.push(p);
			count(g.counts, r.answer);
		}
	}
	const order: Record<GroupKind, number> = { body: 0, partner: 1, coordination: 2, other: 3 };
	const sorted = [...groups.values()].sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name, 'de'));
	const closed = answerBlocker(m, now);
	return {
		meetingId,
		counts,
		invited,
		groups: sorted,
		notRepresented: allBodies.filter((b) => !represented.has(b.id)),
		mine: mine ?? (actor.userId && canMeeting(actor, 'meeting.attend', { networkId }) ? { answer: null, comment: '', invited: false } : null),
		canAnswer: canMeeting(actor, 'meeting.attend', { networkId }) && !closed,
		closed,
		status: m.status
	};
}
