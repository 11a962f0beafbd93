// Coordinators edit or delete a partner organisation (deleting asks first, without JavaScript too).
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deletePartner, getPartnerForEdit, updatePartner } from '$lib/server/network/directory';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const partner = await guard(event, () => getPartnerForEdit(locals.actor, network.id, params.id));
	return {
		partner,
		confirmDelete: url.searchParams.has('loeschen'),
		title: translate(locals.locale, 'dir.partner.editTitle', { name: partner.name }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'dir.partners.heading'), href: `/${network.slug}/intern/partner` },
			{ label: partner.name }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updatePartner(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/partner?gespeichert=1`);
	},
	delete: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => deletePartner(event.locals.actor, network.id, event.params.id));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/partner?geloescht=1`);
	}
};
