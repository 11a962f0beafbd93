// Edit a measure (version-checked against concurrent edits) or delete it after a confirmation step.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deleteMeasure, measureFormOptions, measureFormValues, updateMeasure } from '$lib/server/measures/measures';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const { measure, values, partnerBodyIds } = await guard(event, () => measureFormValues(locals.actor, network.id, params.id));
	const options = await guard(event, () => measureFormOptions(locals.actor, network.id, measure.conceptId));
	const base = `/${network.slug}/intern/massnahmen`;
	return {
		measure: { id: measure.id, code: measure.code, title: measure.title, bodyId: measure.bodyId },
		values,
		partnerBodyIds,
		options: { fields: options.fields, bodies: options.bodies, people: options.people },
		confirmDelete: url.searchParams.get('loeschen') === '1',
		title: translate(locals.locale, 'measure.edit.title', { code: measure.code }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'measure.list.title'), href: base },
			{ label: `${measure.code} ${measure.title}`, href: `${base}/${measure.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateMeasure(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/massnahmen/${r.id}?ok=saved`);
	},
	delete: async (event) => {
		const network = await networkFromParams(event);
		await guard(event, () => deleteMeasure(event.locals.actor, network.id, event.params.id));
		redirect(303, `/${network.slug}/intern/massnahmen?geloescht=1`);
	}
};
