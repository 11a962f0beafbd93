// Create an indicator for a body the actor may edit (coordinators: any; members: their own).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createIndicator, editableBodies } from '$lib/server/measures/indicators';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	const bodies = await editableBodies(locals.actor, network.id);
	if (!bodies.length) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	// ?kommune=<AGS> (from a filtered list or a municipality's page) preselects the body.
	const ags = url.searchParams.get('kommune') ?? '';
	const title = translate(locals.locale, 'indicator.new.title');
	return {
		bodies,
		preselected: bodies.find((b) => b.ags === ags)?.id ?? '',
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'indicator.list.title'), href: `/${network.slug}/intern/indikatoren` }, { label: title })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createIndicator(event.locals.actor, network.id, String(data.get('bodyId') ?? ''), formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/indikatoren/${r.id}?hinweis=angelegt`);
	}
};
