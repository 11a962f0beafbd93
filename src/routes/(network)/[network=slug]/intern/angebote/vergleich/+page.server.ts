// Two to four offers side by side (?id=…&id=…). Bad id lists get a German message on the page
// with the picker below it, never an error page; without ids the picker alone: a GET form with
// the current offers as checkboxes and a search, so it works without JavaScript.
import type { PageServerLoad } from './$types';
import { COMPARE_MAX, compareChoices, compareIds, compareOffers, type CompareOffer } from '$lib/server/offers/matrix-compare';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { ValidationError } from '$lib/server/errors';
import { isUuid } from '$lib/server/ids';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const raw = url.searchParams.getAll('id');
	const q = (url.searchParams.get('q') ?? '').replace(/\0/g, '').slice(0, 200);
	const searching = url.searchParams.has('suchen');
	let offers: CompareOffer[] | null = null;
	let error: string | null = null;
	// "Suchen" in the picker only searches; otherwise any id list is a comparison request.
	if (!searching && (raw.length || url.searchParams.has('vergleichen'))) {
		try {
			offers = await guard(event, () => compareOffers(locals.actor, network.id, raw));
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			error = e.fieldErrors.id ?? 'offerViews.compare.notFound';
		}
	}
	const chosen = offers ? offers.map((o) => o.id) : compareIds(raw).filter(isUuid).slice(0, COMPARE_MAX);
	const choices = offers ? null : await guard(event, () => compareChoices(locals.actor, network.id, { q, keep: chosen }));
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
