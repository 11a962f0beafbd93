// Edit or delete an application. Deleting asks on the page itself (?loeschen), so it works without
// JavaScript.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { applicationFormValues, deleteApplication, updateApplication } from '$lib/server/funding/applications';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const f = await guard(event, () => applicationFormValues(locals.actor, network.id, params.id));
	const base = `/${network.slug}/intern/foerderung`;
	const name = `${f.bodyName}: ${f.application.title || f.programme.title}`;
	return {
		application: { id: f.application.id, name },
		programme: { id: f.programme.id, title: f.programme.title },
		values: f.values,
		windows: f.windows,
		people: f.people,
		confirmDelete: url.searchParams.has('loeschen'),
		title: translate(locals.locale, 'funding.application.editTitle', { name }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'funding.title'), href: base },
			{ label: translate(locals.locale, 'funding.applications.title'), href: `${base}/antraege` },
			{ label: name, href: `${base}/antraege/${f.application.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateApplication(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/foerderung/antraege/${r.id}?ok=saved`);
	},
	delete: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => deleteApplication(event.locals.actor, network.id, event.params.id));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/foerderung/antraege?geloescht=1`);
	}
};
