// Pure permission rules of concepts, measures and indicators. No I/O; tested as role × action tables.
import { membershipIn, type Actor, WORKING_AREA_ROLES } from '../auth/actor';

export type MeasureAction =
	/** Read internal concepts, measures, tasks, constraints and indicators of the network. */
	| 'measure.read'
	/** Create and edit concepts, measures, tasks, constraints and indicators of a body. */
	| 'measure.edit'
	/** Network-wide settings of the module (reminder interval). */
	| 'measure.settings';

export interface MeasureSubject {
	networkId: string;
	/** For measure.edit: the body whose concept it is. */
	bodyId?: string | null;
}

const WORKING_AREA = new Set<string>(WORKING_AREA_ROLES);

export function canMeasure(actor: Actor, action: MeasureAction, subject: MeasureSubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'measure.read':
			return WORKING_AREA.has(m.role);
		case 'measure.edit':
			return m.role === 'coordinator' || (m.role === 'member' && !!subject.bodyId && m.bodyIds.includes(subject.bodyId));
		case 'measure.settings':
			return m.role === 'coordinator';
	}
}

/** A measure is readable by the working area, and by everyone once it is public. */
export function canReadMeasure(actor: Actor, m: { networkId: string; isPublic: boolean }): boolean {
	return m.isPublic || canMeasure(actor, 'measure.read', { networkId: m.networkId });
}

/** Bodies whose concepts the actor may edit; null means all (coordinator). */
export function editableBodyIds(actor: Actor, networkId: string): string[] | null {
	const m = membershipIn(actor, networkId);
	if (!m) return [];
	if (m.role === 'coordinator') return null;
	return m.role === 'member' ? m.bodyIds : [];
}
