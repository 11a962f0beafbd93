// Edit a joint activity (coordinators; members of the proposing town, not of towns that joined);
// version-checked against concurrent edits.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { activityFormValues, proposerOptions, updateActivity } from '$lib/server/activities/activities';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const { activity, values } = await guard(event, () => activityFormValues(locals.actor, network.id, params.id));
	const proposers = await proposerOptions(locals.actor, network.id, { bodyId: activity.proposerBodyId });
	const base = `/${network.slug}/intern/aktivitaeten`;
	return {
		activity: { id: activity.id, title: activity.title },
		values,
		proposers,
		title: translate(locals.locale, 'activities.edit.title', { title: activity.title }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'activities.list.title'), href: base },
			{ label: activity.title, href: `${base}/${activity.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateActivity(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/aktivitaeten/${r.id}?ok=saved`);
	}
};
