// What the offer page shows, read in one go: the offer (without its bookkeeping: no user ids, no
// version), its description as safe HTML, the aggregates, the current assessments, one page of the
// history, and what the actor may do there (assess or update, edit, archive, mark as discussed, link).
import { membershipIn, type Actor } from '../auth/actor';
import { renderMarkdown } from '../markdown';
import { readableOffer, detailOf, type OfferDetail } from './offers';
import { currentRows, historyPage, partnerOrgOf, type AssessmentPage, type AssessmentRow } from './assessments';
import { assessableBodyIds } from './permissions';

/** The offer as its page shows it. */
export type OfferView = Omit<OfferDetail, 'networkId' | 'description' | 'createdBy' | 'updatedBy' | 'updatedAt' | 'version'>;

export interface OfferPage {
	offer: OfferView;
	descriptionHtml: string;
	current: { towns: AssessmentRow[]; partners: AssessmentRow[] };
	history: AssessmentPage;
	/** The assess button: null when the actor may not assess (or the offer is archived); `update` when every assessor they stand for has a current assessment. */
	assess: { update: boolean } | null;
	/** Links on the offer's page: its editors (the registry's canEdit of 'offer'). */
	canLink: boolean;
}

export async function offerPage(actor: Actor, networkId: string, offerId: string, opts: { historyPage?: number } = {}): Promise<OfferPage> {
	const o = await readableOffer(actor, networkId, offerId);
	const m = membershipIn(actor, networkId);
	const [detail, current, history, org] = await Promise.all([
		detailOf(actor, networkId, o),
		currentRows(networkId, o.id),
		historyPage(networkId, o.id, { page: opts.historyPage }),
		m?.role === 'partner' ? partnerOrgOf(actor, networkId) : Promise.resolve(null)
	]);
	// "Bewerten", or "Bewertung aktualisieren" when every assessor the actor stands for (their town or
	// towns, their partner organisation) has a current assessment. Coordinators assess for any town.
	const bodies = assessableBodyIds(actor, networkId);
	const assessors = org ? [org.id] : (bodies ?? []);
	const mayAssess = !o.archivedAt && (bodies === null || assessors.length > 0 || m?.role === 'partner');
	const assessed = new Set([...current.towns, ...current.partners].map((r) => r.assessorId));
	const { networkId: _n, description, createdBy: _cb, updatedBy: _ub, updatedAt: _ua, version: _v, ...offer } = detail;
	return {
		offer,
		descriptionHtml: renderMarkdown(description),
		current,
		history,
		assess: mayAssess ? { update: assessors.length > 0 && assessors.every((id) => assessed.has(id)) } : null,
		canLink: detail.canEdit
	};
}
