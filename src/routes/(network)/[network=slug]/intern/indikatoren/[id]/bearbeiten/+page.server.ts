// Edit or delete an indicator. Deleting asks on the page itself (?loeschen), so it works without
// JavaScript.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deleteIndicator, indicatorFormValues, updateIndicator } from '$lib/server/measures/indicators';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const { indicator, values } = await guard(event, () => indicatorFormValues(locals.actor, network.id, params.id));
	const base = `/${network.slug}/intern/indikatoren`;
	return {
		indicator: { id: indicator.id, name: indicator.name },
		values,
		confirmDelete: url.searchParams.has('loeschen'),
		title: translate(locals.locale, 'indicator.edit.title', { name: indicator.name }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'indicator.list.title'), href: base },
			{ label: indicator.name, href: `${base}/${indicator.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateIndicator(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/indikatoren/${r.id}?hinweis=gespeichert`);
	},
	delete: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => deleteIndicator(event.locals.actor, network.id, event.params.id));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/indikatoren?geloescht=1`);
	}
};
