// One offer: facts, description, the towns' and partners' aggregates, which towns use it, current
// assessments and a page of their history (?verlauf=N), and the small forms (archive/restore, mark
// as discussed, links for the offer's editors).
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { markDiscussed, readableOffer, setOfferArchived } from '$lib/server/offers/offers';
import { offerPage } from '$lib/server/offers/page';
import { canOffer } from '$lib/server/offers/permissions';
import { listLinks } from '$lib/server/links/service';
import { LINK_OK_KEYS, linkActions } from '$lib/server/links/actions';
import { actNamed, guard } from '$lib/server/http/route';
import { clampPage, internCrumbs, networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

/** Success messages the page may show (?ok=…); anything else in the URL is ignored. */
const OK_KEYS = ['created', 'saved', 'assessed', 'archived', 'unarchived', 'discussed', ...LINK_OK_KEYS] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const view = await guard(event, () => offerPage(actor, network.id, params.id, { historyPage: pageParam(url, 'verlauf') }));
	clampPage(url, view.history, 'verlauf');
	const links = await listLinks(actor, { type: 'offer', id: view.offer.id });
	const ok = url.searchParams.get('ok');
	const label = translate(locals.locale, 'offers.list.title');
	return {
		...view,
		links,
		/** Members who may not edit the offer link their measures to it from the measure's page. */
		linkFromMeasure: !view.canLink && canOffer(actor, 'offer.create', { networkId: network.id }),
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${view.offer.title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label, href: `/${network.slug}/intern/angebote` }, { label: view.offer.title })
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
		// The offer must belong to the network in the URL (404 otherwise).
		check: (event, networkId) => readableOffer(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/angebote/${event.params.id}`
	})
};
