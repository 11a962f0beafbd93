// Propose a joint activity (coordinators; members for a town they represent).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createActivity, proposerOptions, START_STATUSES } from '$lib/server/activities/activities';
import { canActivity } from '$lib/server/activities/permissions';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals }) => {
	const { network } = await parent();
	if (!canActivity(locals.actor, 'activity.create', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const proposers = await proposerOptions(locals.actor, network.id);
	const title = translate(locals.locale, 'activities.new.title');
	return {
		proposers,
		/** A new activity starts as an idea or in planning. */
		statuses: [...START_STATUSES],
		// A member proposes for their (first) town unless they pick another; coordinators as the coordination.
		defaults: { status: 'idea', proposerBodyId: proposers.coordination ? '' : (proposers.bodies[0]?.id ?? '') },
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'activities.list.title'), href: `/${network.slug}/intern/aktivitaeten` }, { label: title })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createActivity(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/aktivitaeten/${r.id}?ok=created`);
	}
};
