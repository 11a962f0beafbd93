// Pure permission rules of joint activities. No I/O; tested as role × action tables.
import { membershipIn, type Actor } from '../auth/actor';

export type ActivityAction =
	/** Read internal activities with their tasks and participants (the working area). */
	| 'activity.read'
	/** Propose a new activity (coordinators; members for a body they represent). */
	| 'activity.create'
	/** Edit, change the status, manage tasks and links of an activity. */
	| 'activity.edit'
	/** Join or leave for a body (`bodyId`). */
	| 'activity.join';

export interface ActivitySubject {
	networkId: string;
	/** activity.edit: the body that proposed it (null: the coordination). */
	proposerBodyId?: string | null;
	/** activity.edit: the bodies taking part. */
	participantBodyIds?: readonly string[];
	/** activity.join / activity.create: the body the actor acts for. */
	bodyId?: string | null;
}

const WORKING_AREA = new Set(['coordinator', 'member', 'partner']);

export function canActivity(actor: Actor, action: ActivityAction, subject: ActivitySubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'activity.read':
			return WORKING_AREA.has(m.role);
		case 'activity.create':
			if (m.role === 'coordinator') return true;
			// Without a body: may the member propose at all? With one: for that body only.
			if (m.role !== 'member' || !m.bodyIds.length) return false;
			return subject.bodyId === undefined || (!!subject.bodyId && m.bodyIds.includes(subject.bodyId));
		case 'activity.edit': {
			if (m.role === 'coordinator') return true;
			if (m.role !== 'member') return false;
			const own = new Set(m.bodyIds);
			return (!!subject.proposerBodyId && own.has(subject.proposerBodyId)) || (subject.participantBodyIds ?? []).some((b) => own.has(b));
		}
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
