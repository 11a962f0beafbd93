// Create a measure in this concept.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createMeasure, measureFormOptions } from '$lib/server/measures/measures';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const options = await guard(event, () => measureFormOptions(locals.actor, network.id, params.id));
	const base = `/${network.slug}/intern/konzepte`;
	return {
		concept: { id: options.concept.id, title: options.concept.title, bodyId: options.concept.bodyId },
		options: { fields: options.fields, bodies: options.bodies, people: options.people },
		values: { status: 'idea', priority: 'medium', progress: '0', responsibleBodyId: options.concept.bodyId },
		title: translate(locals.locale, 'measure.new.inConcept', { concept: options.concept.title }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'concept.list.title'), href: base },
			{ label: options.concept.title, href: `${base}/${options.concept.id}` },
			{ label: translate(locals.locale, 'measure.new.title') }
		)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createMeasure(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/massnahmen/${r.id}?ok=created`);
	}
};
