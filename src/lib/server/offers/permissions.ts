// Pure permission rules of offers and their assessments. No I/O; tested as role × action tables.
import { membershipIn, type Actor, WORKING_AREA_ROLES } from '../auth/actor';

export type OfferAction =
	/** Read offers, assessments, aggregates, matrix and comparison (working area). */
	| 'offer.read'
	/** Enter a new offer. */
	| 'offer.create'
	/** Edit an offer: coordinators, or the member who entered it. */
	| 'offer.edit'
	/** Archive or restore an offer: coordinators, or the member who entered it. */
	| 'offer.archive'
	/** Assess an offer for a body (coordinator any, member own) or as the own partner organisation. */
	| 'offer.assess'
	/** Mark a disagreement as discussed (coordinator). */
	| 'offer.discussed';

export interface OfferSubject {
	networkId: string;
	/** offer.edit / offer.archive: who entered the offer. */
	createdBy?: string | null;
	/** offer.assess for a municipality: the body assessing. */
	bodyId?: string | null;
	/** offer.assess as a partner organisation: the organisation assessing… */
	partnerId?: string | null;
	/** …and the actor's own partner organisation in this network (resolved by the service). */
	actorPartnerId?: string | null;
}

const WORKING_AREA = new Set<string>(WORKING_AREA_ROLES);

export function canOffer(actor: Actor, action: OfferAction, subject: OfferSubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'offer.read':
			return WORKING_AREA.has(m.role);
		case 'offer.create':
			return m.role === 'coordinator' || m.role === 'member';
		case 'offer.edit':
		case 'offer.archive':
			return m.role === 'coordinator' || (m.role === 'member' && !!actor.userId && subject.createdBy === actor.userId);
		case 'offer.assess':
			if (subject.bodyId && subject.partnerId) return false;
			if (subject.bodyId) return m.role === 'coordinator' || (m.role === 'member' && m.bodyIds.includes(subject.bodyId));
			if (subject.partnerId) return m.role === 'partner' && !!subject.actorPartnerId && subject.partnerId === subject.actorPartnerId;
			return false;
		case 'offer.discussed':
			return m.role === 'coordinator';
	}
}

/** Bodies the actor may assess for; null means every body of the network (coordinator). */
export function assessableBodyIds(actor: Actor, networkId: string): string[] | null {
	const m = membershipIn(actor, networkId);
	if (!m) return [];
	if (m.role === 'coordinator') return null;
	return m.role === 'member' ? m.bodyIds : [];
}
