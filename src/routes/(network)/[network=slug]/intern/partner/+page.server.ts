// Working area: partner organisations; coordinators add new ones on the same page.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createPartner, listPartners } from '$lib/server/network/directory';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	const partners = await listPartners(locals.actor, network.id, { page: pageParam(url) });
	const title = translate(locals.locale, 'dir.partners.heading');
	return {
		partners,
		notice: url.searchParams.has('angelegt') ? 'created' : url.searchParams.has('geloescht') ? 'deleted' : url.searchParams.has('gespeichert') ? 'saved' : null,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createPartner(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/partner?angelegt=1`);
	}
};
