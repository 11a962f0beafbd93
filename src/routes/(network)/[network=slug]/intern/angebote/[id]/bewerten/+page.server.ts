// Assess an offer for one of the actor's towns (a select when there are several; ?kommune=<ags>
// preselects) or as their partner organisation. The form carries `replaces`, the current assessment
// it was loaded with; the service refuses to overwrite one it did not load.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { assessOffer, assessmentAsForm, assessmentForm } from '$lib/server/offers/assessments';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { todayIso } from '$lib/server/network/directory-shared';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const ags = (url.searchParams.get('kommune') ?? '').trim();
	const f = await guard(event, () => assessmentForm(locals.actor, network.id, params.id, { ags: /^\d{5}(\d{3})?$/.test(ags) ? ags : null }));
	const selected = f.choices.find((c) => c.id === f.selectedId) ?? null;
	const base = `/${network.slug}/intern/angebote`;
	const today = todayIso();
	return {
		offer: { id: f.offer.id, title: f.offer.title },
		mode: f.mode,
		choices: f.choices,
		blocked: f.blocked,
		values: { ...assessmentAsForm(selected?.current ?? null, today), bodyId: f.mode === 'body' ? (f.selectedId ?? '') : '' },
		today,
		title: translate(locals.locale, 'offers.assess.title', { title: f.offer.title }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'offers.list.title'), href: base },
			{ label: f.offer.title, href: `${base}/${f.offer.id}` },
			{ label: translate(locals.locale, 'offers.detail.assess') }
		)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => assessOffer(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/angebote/${event.params.id}?ok=assessed#bewertungen`);
	}
};
