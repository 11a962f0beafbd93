// A new meeting (coordinators).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createMeeting, hostOptions } from '$lib/server/meetings/meetings';
import { canMeeting } from '$lib/server/meetings/permissions';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals }) => {
	const { network } = await parent();
	if (!canMeeting(locals.actor, 'meeting.manage', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const title = translate(locals.locale, 'meetings.new.title');
	return {
		hosts: await hostOptions(network.id),
		defaults: { startTime: '10:00', endTime: '14:00', status: 'planned', reminderDays: '3' },
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'meetings.title'), href: `/${network.slug}/intern/treffen` }, { label: title })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createMeeting(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/treffen/${r.id}?ok=created`);
	}
};
