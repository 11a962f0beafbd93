// Invitations of one meeting: who is invited and who would get a mail; coordinators send them
// ("Einladungen senden"), again after a change as an update. Refused for cancelled and past meetings.
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { invitationStatus, sendInvitations } from '$lib/server/meetings/invitations';
import { participationView } from '$lib/server/meetings/answers';
import { meetingPage } from '$lib/server/meetings/pages';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';

export const load: PageServerLoad = async (event) => {
	const { network, meeting, title, crumbs } = await meetingPage(event, 'meetingInvites.title');
	const [status, participation] = await guard(event, () =>
		Promise.all([invitationStatus(event.locals.actor, network.id, meeting), participationView(event.locals.actor, network.id, meeting)])
	);
	const sent = Number(event.url.searchParams.get('gesendet'));
	return {
		meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, status: meeting.status, canManage: meeting.canManage },
		status,
		participation,
		/** Mails queued by the send just made (?gesendet=N), or null. */
		sent: event.url.searchParams.has('gesendet') && Number.isInteger(sent) && sent >= 0 && sent < 100_000 ? sent : null,
		title,
		crumbs
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => sendInvitations(event.locals.actor, network.id, event.params.id));
		if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId: 'send' });
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}/einladungen?gesendet=${r.queued}`);
	}
};
