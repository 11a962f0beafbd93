// One offer: facts, description, the towns' and partners' aggregates, which towns use it, current
// assessments and their history, and the small forms (archive/restore, mark as discussed).
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getOffer, markDiscussed, setOfferArchived } from '$lib/server/offers/offers';
import { currentOf, listAssessments, partnerOrgOf } from '$lib/server/offers/assessments';
import { assessableBodyIds, canOffer } from '$lib/server/offers/permissions';
import { listLinks } from '$lib/server/links/service';
import { LINK_OK_KEYS, linkActions } from '$lib/server/links/actions';
import { renderMarkdown } from '$lib/server/markdown';
import { actNamed, guard } from '$lib/server/http/route';
import { internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { membershipIn } from '$lib/server/auth/actor';
import { translate } from '$lib/i18n';

/** Success messages the page may show (?ok=…); anything else in the URL is ignored. */
const OK_KEYS = ['created', 'saved', 'assessed', 'archived', 'unarchived', 'discussed', ...LINK_OK_KEYS] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const [offer, history] = await guard(event, () => Promise.all([getOffer(actor, network.id, params.id), listAssessments(actor, network.id, params.id)]));
	const links = await listLinks(actor, { type: 'offer', id: offer.id });
	const current = currentOf(history);
	// "Bewerten", or "Bewertung aktualisieren" when every assessor the actor stands for (their town or
	// towns, their partner organisation) has a current assessment. Coordinators assess for any town.
	const m = membershipIn(actor, network.id);
	const bodies = assessableBodyIds(actor, network.id);
	const org = m?.role === 'partner' ? await partnerOrgOf(actor, network.id) : null;
	const assessors = org ? [org.id] : (bodies ?? []);
	const mayAssess = !offer.archivedAt && (bodies === null || assessors.length > 0 || m?.role === 'partner');
	const assessed = new Set([...current.towns, ...current.partners].map((r) => r.assessorId));
	const update = assessors.length > 0 && assessors.every((id) => assessed.has(id));
	const ok = url.searchParams.get('ok');
	const label = translate(locals.locale, 'offers.list.title');
	return {
		offer,
		descriptionHtml: renderMarkdown(offer.description),
		current,
		history,
		links,
		/** Links on an offer: coordinators and members (the registry's canEdit of 'offer'). */
		canLink: canOffer(actor, 'offer.create', { networkId: network.id }),
		assess: mayAssess ? { update } : null,
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${offer.title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label, href: `/${network.slug}/intern/angebote` }, { label: offer.title })
	};
};

/** Runs one of the page's small forms; failures name their form, success redirects with a message. */
function run(event: RequestEvent, formId: string, okKey: (typeof OK_KEYS)[number], fn: (networkId: string) => Promise<unknown>) {
	return networkFromParams(event).then(async (network) => {
		const data = await event.request.formData();
		const done = `/${network.slug}/intern/angebote/${event.params.id}?ok=${okKey}`;
		return actNamed(event, data, formId, done, () => fn(network.id));
	});
}

export const actions: Actions = {
	archive: (event) => run(event, 'archive', 'archived', (networkId) => setOfferArchived(event.locals.actor, networkId, event.params.id!, true)),
	unarchive: (event) => run(event, 'archive', 'unarchived', (networkId) => setOfferArchived(event.locals.actor, networkId, event.params.id!, false)),
	discussed: (event) => run(event, 'discussed', 'discussed', (networkId) => markDiscussed(event.locals.actor, networkId, event.params.id!)),
	...linkActions({
		ref: (event) => ({ type: 'offer', id: event.params.id! }),
		// getOffer: the offer must belong to the network in the URL (404 otherwise).
		check: (event, networkId) => getOffer(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/angebote/${event.params.id}`
	})
};
