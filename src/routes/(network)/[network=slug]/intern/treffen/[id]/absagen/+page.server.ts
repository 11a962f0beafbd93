// Cancelling a meeting (coordinators), after a confirmation. The meeting stays, with status
// cancelled; calendars get STATUS:CANCELLED with a raised sequence, and everyone invited (or who
// said they would come) gets the cancellation by mail, queued in the same transaction.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { cancelMeetingAndNotify } from '$lib/server/meetings/invitations';
import { managedMeetingPage } from '$lib/server/meetings/pages';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';
import { formatMeetingTime } from '$lib/components/meetings/format';

export const load: PageServerLoad = async (event) => {
	const { meeting: m, title, crumbs } = await managedMeetingPage(event, 'meetings.cancel.title');
	return {
		meeting: { id: m.id, title: m.title, status: m.status, version: m.version, when: formatMeetingTime(m.startsAt, m.endsAt, event.locals.locale), invited: !!m.invitationsSentAt },
		title,
		crumbs
	};
};

export const actions: Actions = {
	cancel: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => cancelMeetingAndNotify(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=${r.notified ? 'cancelledNotified' : 'cancelled'}`);
	}
};
