// Pure permission rules of the participation portal. No I/O; tested as role × action tables.
import { membershipIn, type Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';

export type ParticipationAction =
	/** Moderate ideas, comments and reports of a municipality (subject.bodyId) or, without a body, of the whole network. */
	| 'participation.moderate'
	/** Define pledge actions, portal settings, read accessibility feedback. */
	| 'participation.manage';

export interface ParticipationSubject {
	networkId: string;
	/** The municipality an idea is for; null/undefined means network-wide (coordinators only). */
	bodyId?: string | null;
}

export function canParticipation(actor: Actor, action: ParticipationAction, subject: ParticipationSubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'participation.moderate':
			return m.role === 'coordinator' || (m.role === 'member' && !!subject.bodyId && m.bodyIds.includes(subject.bodyId));
		case 'participation.manage':
			return m.role === 'coordinator';
	}
}

/** Services start with this: ForbiddenError unless the actor may do `action` on `subject`. */
export function requireParticipation(actor: Actor, action: ParticipationAction, subject: ParticipationSubject): void {
	if (!canParticipation(actor, action, subject)) throw new ForbiddenError();
}

/** Anyone in the network's working area who moderates at least one municipality (for the queue link). */
export function moderatesAny(actor: Actor, networkId: string): boolean {
	const m = membershipIn(actor, networkId);
	return !!m && (m.role === 'coordinator' || (m.role === 'member' && m.bodyIds.length > 0));
}

/** Bodies whose ideas the actor moderates; null means all (coordinator). */
export function moderatedBodyIds(actor: Actor, networkId: string): string[] | null {
	const m = membershipIn(actor, networkId);
	if (!m) return [];
	if (m.role === 'coordinator') return null;
	return m.role === 'member' ? m.bodyIds : [];
}
