// Edit a body's facts and climate-work status: coordinators, and members for their own bodies.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getBodyByAgs, getBodyForEdit, updateBody } from '$lib/server/network/directory';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const body = await guard(event, () => getBodyForEdit(locals.actor, network.id, params.ags));
	const bodiesLabel = translate(locals.locale, 'dir.bodies.title');
	return {
		body,
		title: translate(locals.locale, 'dir.bodyEdit.title', { name: body.name }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: bodiesLabel, href: `/${network.slug}/intern/kommunen` },
			{ label: body.name, href: `/${network.slug}/intern/kommunen/${body.ags}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const { actor } = event.locals;
		const body = await guard(event, () => getBodyByAgs(actor, network.id, event.params.ags));
		const data = await event.request.formData();
		const r = await act(event, data, () => updateBody(actor, network.id, body.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/kommunen/${r.ags}?gespeichert=1`);
	}
};
