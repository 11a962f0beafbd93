// Editing a meeting (coordinators). A stale form (someone saved in between) comes back with a
// message and the current version, so saving again overwrites deliberately. The status offered is
// planned or held; an invited or cancelled meeting shows its status read-only (those have their
// own commands: sending the invitations, cancelling, taking a cancellation back).
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { hostOptions, meetingAsForm, updateMeeting } from '$lib/server/meetings/meetings';
import { managedMeetingPage } from '$lib/server/meetings/pages';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';

export const load: PageServerLoad = async (event) => {
	const { network, meeting: m, title, crumbs } = await managedMeetingPage(event, 'meetings.edit.title');
	return {
		meeting: { id: m.id, title: m.title, status: m.status },
		values: meetingAsForm(m),
		hosts: await hostOptions(network.id),
		title,
		crumbs
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
