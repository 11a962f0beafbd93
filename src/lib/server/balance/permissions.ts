// Pure permission rules of balances, emission factors and targets. No I/O; tested as role × action tables.
import { membershipIn, type Actor } from '../auth/actor';

export type BalanceAction =
	/** Read every balance and target of the network (internal pages). */
	| 'balance.read'
	/** Enter, import and delete a body's balances and set its target. */
	| 'balance.edit'
	/** Maintain the network's emission factors. */
	| 'balance.factors';

export interface BalanceSubject {
	networkId: string;
	/** For balance.edit: the body whose balance or target it is. */
	bodyId?: string | null;
}

const WORKING_AREA = new Set(['coordinator', 'member', 'partner']);

export function canBalance(actor: Actor, action: BalanceAction, subject: BalanceSubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'balance.read':
			return WORKING_AREA.has(m.role);
		case 'balance.edit':
			return m.role === 'coordinator' || (m.role === 'member' && !!subject.bodyId && m.bodyIds.includes(subject.bodyId));
		case 'balance.factors':
			return m.role === 'coordinator';
	}
}

/** A balance or target is readable by the working area, and by everyone once it is public. */
export function canReadBalance(actor: Actor, b: { networkId: string; isPublic: boolean }): boolean {
	return b.isPublic || canBalance(actor, 'balance.read', { networkId: b.networkId });
}

/** Bodies whose balances the actor may edit; null means all (coordinator). */
export function editableBalanceBodyIds(actor: Actor, networkId: string): string[] | null {
	const m = membershipIn(actor, networkId);
	if (!m) return [];
	if (m.role === 'coordinator') return null;
	return m.role === 'member' ? m.bodyIds : [];
}
