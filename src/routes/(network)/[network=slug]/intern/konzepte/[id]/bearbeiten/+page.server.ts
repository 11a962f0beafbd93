// Edit a concept's facts, or delete it (only when no measures are left) after a confirmation step.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deleteConcept, getConcept, updateConcept } from '$lib/server/measures/concepts';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { ForbiddenError } from '$lib/server/errors';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const concept = await guard(event, async () => {
		const c = await getConcept(locals.actor, network.id, params.id);
		if (!c.canEdit) throw new ForbiddenError();
		return c;
	});
	const base = `/${network.slug}/intern/konzepte`;
	return {
		concept: { id: concept.id, title: concept.title },
		values: {
			title: concept.title,
			kind: concept.kind,
			adoptedOn: concept.adoptedOn ?? '',
			resolution: concept.resolution,
			documentUrl: concept.documentUrl,
			targetYear: concept.targetYear === null ? '' : String(concept.targetYear),
			description: concept.description
		},
		confirmDelete: url.searchParams.get('loeschen') === '1',
		title: translate(locals.locale, 'concept.edit.title', { title: concept.title }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'concept.list.title'), href: base },
			{ label: concept.title, href: `${base}/${concept.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateConcept(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/konzepte/${r.id}?ok=saved`);
	},
	delete: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => deleteConcept(event.locals.actor, network.id, event.params.id));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/konzepte?geloescht=1`);
	}
};
