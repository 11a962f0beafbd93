// Pure permission rules of joint activities. No I/O; tested as role × action tables.
//
// Who does what with an activity of several towns:
// - the activity itself (title, description, public flag, status, proposer, links): the coordinator,
//   and the members of the PROPOSER body (an activity the coordination proposed: coordinators only).
//   Joining does not hand a town the activity: a participating town works on it, it does not own it;
// - tasks: members of a participating town (and of the proposer) add tasks and mark them done/open;
//   editing or deleting a task is for the coordinator, the proposer's members and whoever created it;
// - joining and leaving: a member for the bodies they represent, the coordinator for any.
import { membershipIn, type Actor } from '../auth/actor';

export type ActivityAction =
	/** Read internal activities with their tasks and participants (the working area). */
	| 'activity.read'
	/** Propose a new activity (coordinators; members for a body they represent). */
	| 'activity.create'
	/** Edit the activity (title, description, public flag, proposer), change its status, manage its links. */
	| 'activity.edit'
	/** Add tasks and mark tasks done or open again. */
	| 'activity.task.add'
	/** Edit or delete one task (`taskCreatedBy`). */
	| 'activity.task.manage'
	/** Join or leave for a body (`bodyId`). */
	| 'activity.join';

export interface ActivitySubject {
	networkId: string;
	/** edit and tasks: the body that proposed it (null: the coordination). */
	proposerBodyId?: string | null;
	/** activity.task.add: the bodies taking part. */
	participantBodyIds?: readonly string[];
	/** activity.task.manage: the user who created the task. */
	taskCreatedBy?: string | null;
	/** activity.join / activity.create: the body the actor acts for. */
	bodyId?: string | null;
}

const WORKING_AREA = new Set(['coordinator', 'member', 'partner']);

export function canActivity(actor: Actor, action: ActivityAction, subject: ActivitySubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	const isProposerMember = m.role === 'member' && !!subject.proposerBodyId && m.bodyIds.includes(subject.proposerBodyId);
	switch (action) {
		case 'activity.read':
			return WORKING_AREA.has(m.role);
		case 'activity.create':
			if (m.role === 'coordinator') return true;
			// Without a body: may the member propose at all? With one: for that body only.
			if (m.role !== 'member' || !m.bodyIds.length) return false;
			return subject.bodyId === undefined || (!!subject.bodyId && m.bodyIds.includes(subject.bodyId));
		case 'activity.edit':
			return m.role === 'coordinator' || isProposerMember;
		case 'activity.task.add':
			if (m.role === 'coordinator' || isProposerMember) return true;
			return m.role === 'member' && (subject.participantBodyIds ?? []).some((b) => m.bodyIds.includes(b));
		case 'activity.task.manage':
			if (m.role === 'coordinator' || isProposerMember) return true;
			return m.role === 'member' && !!actor.userId && !!subject.taskCreatedBy && subject.taskCreatedBy === actor.userId;
		case 'activity.join':
			if (!subject.bodyId) return false;
			return m.role === 'coordinator' || (m.role === 'member' && m.bodyIds.includes(subject.bodyId));
	}
}

/** An activity is readable by the working area, and by everyone once it is public. */
export function canReadActivity(actor: Actor, a: { networkId: string; isPublic: boolean }): boolean {
	return a.isPublic || canActivity(actor, 'activity.read', { networkId: a.networkId });
}

/** Bodies the actor may propose for or join with; null means all of the network (coordinator). */
export function actingBodyIds(actor: Actor, networkId: string): string[] | null {
	const m = membershipIn(actor, networkId);
	if (!m) return [];
	if (m.role === 'coordinator') return null;
	return m.role === 'member' ? m.bodyIds : [];
}
