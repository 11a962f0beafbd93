// Two to four offers side by side (?id=…&id=…). Bad id lists get a German message on the page
// with the picker below it, never an error page; without ids the picker alone: a GET form with
// the current offers as checkboxes, a search and page buttons, so it works without JavaScript.
// Searching (?suchen=1) and paging (?seite=N) only move the picker: the ticked ids travel along
// in the form and stay ticked.
import type { PageServerLoad } from './$types';
import { PICK_KEEP_MAX, compareChoices, compareIds, compareOffers, type CompareOffer } from '$lib/server/offers/matrix-compare';
import { guard } from '$lib/server/http/route';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { ValidationError } from '$lib/server/errors';
import { isUuid } from '$lib/server/ids';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const p = url.searchParams;
	const raw = p.getAll('id');
	const q = (p.get('q') ?? '').replace(/\0/g, '').slice(0, 200);
	const browsing = p.has('suchen') || p.has('seite');
	let offers: CompareOffer[] | null = null;
	let error: string | null = null;
	// "Ausgewählte vergleichen" always compares (none or one ticked: the message); an id list
	// without a button (a shared link) too, unless the picker is being searched or paged.
	if (p.has('vergleichen') || (raw.length && !browsing)) {
		try {
			offers = await guard(event, () => compareOffers(locals.actor, network.id, raw));
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			error = e.fieldErrors.id ?? 'offerViews.compare.notFound';
		}
	}
	const chosen = offers ? offers.map((o) => o.id) : compareIds(raw).filter(isUuid).slice(0, PICK_KEEP_MAX);
	const choices = offers ? null : await guard(event, () => compareChoices(locals.actor, network.id, { q, keep: chosen, page: pageParam(url) }));
	if (choices) clampPage(url, choices);
	const title = translate(locals.locale, 'offerViews.compare.title');
	const offersLabel = translate(locals.locale, 'offers.list.title');
	return {
		offers,
		error,
		choices,
		chosen,
		q,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: offersLabel, href: `/${network.slug}/intern/angebote` }, { label: title })
	};
};
