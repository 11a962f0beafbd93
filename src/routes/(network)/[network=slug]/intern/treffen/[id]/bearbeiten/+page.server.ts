// Editing a meeting (coordinators). A stale form (someone saved in between) comes back with a
// message and the current version, so saving again overwrites deliberately.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { hostOptions, loadManagedMeeting, meetingAsForm, updateMeeting } from '$lib/server/meetings/meetings';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const m = await guard(event, () => loadManagedMeeting(locals.actor, network.id, params.id));
	const title = translate(locals.locale, 'meetings.edit.title');
	return {
		meeting: { id: m.id, title: m.title },
		values: meetingAsForm(m),
		hosts: await hostOptions(network.id),
		title: `${title}: ${m.title}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'meetings.title'), href: `/${network.slug}/intern/treffen` },
			{ label: m.title, href: `/${network.slug}/intern/treffen/${m.id}` },
			{ label: title }
		)
	};
};

export const actions: Actions = {
	save: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateMeeting(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=saved`);
	}
};
