// Pure permission rules of funding programmes, their windows and the towns' applications.
// No I/O; tested as role × action tables.
import { membershipIn, type Actor } from '../auth/actor';

export type FundingAction =
	/** Read programmes, deadlines and every application of the network (working area). */
	| 'funding.read'
	/** Create, edit and archive programmes and their windows (deadlines). */
	| 'programme.manage'
	/** Record and edit a body's applications. */
	| 'application.edit';

export interface FundingSubject {
	networkId: string;
	/** For application.edit: the body (municipality) that applies. */
	bodyId?: string | null;
}

const WORKING_AREA = new Set(['coordinator', 'member', 'partner']);

export function canFunding(actor: Actor, action: FundingAction, subject: FundingSubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'funding.read':
			return WORKING_AREA.has(m.role);
		case 'programme.manage':
			return m.role === 'coordinator';
		case 'application.edit':
			return m.role === 'coordinator' || (m.role === 'member' && !!subject.bodyId && m.bodyIds.includes(subject.bodyId));
	}
}

/** Bodies for which the actor may record applications; null means all (coordinator). */
export function applicationBodyIds(actor: Actor, networkId: string): string[] | null {
	const m = membershipIn(actor, networkId);
	if (!m) return [];
	if (m.role === 'coordinator') return null;
	return m.role === 'member' ? m.bodyIds : [];
}
