// A new funding programme (coordinators).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createProgramme } from '$lib/server/funding/programmes';
import { canFunding } from '$lib/server/funding/permissions';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals }) => {
	const { network } = await parent();
	if (!canFunding(locals.actor, 'programme.manage', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const title = translate(locals.locale, 'funding.new.title');
	return {
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'funding.title'), href: `/${network.slug}/intern/foerderung` }, { label: title })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createProgramme(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/foerderung/${r.id}?ok=created`);
	}
};
