// Edit a funding programme (coordinators); archive or restore it.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { programmeFormValues, setProgrammeArchived, updateProgramme } from '$lib/server/funding/programmes';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const { programme, values } = await guard(event, () => programmeFormValues(locals.actor, network.id, params.id));
	const base = `/${network.slug}/intern/foerderung`;
	return {
		programme: { id: programme.id, title: programme.title, archived: !!programme.archivedAt },
		values,
		title: translate(locals.locale, 'funding.edit.title', { title: programme.title }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'funding.title'), href: base },
			{ label: programme.title, href: `${base}/${programme.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateProgramme(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/foerderung/${r.id}?ok=saved`);
	},
	archive: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const archive = data.get('archived') === '1';
		const r = await act(event, data, () => setProgrammeArchived(event.locals.actor, network.id, event.params.id, archive));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/foerderung/${r.id}?ok=${archive ? 'archived' : 'restored'}`);
	}
};
