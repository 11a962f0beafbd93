// Invitations of one meeting: who is invited and who would get a mail; coordinators send them
// ("Einladungen senden"), again after a change as an update. Refused for cancelled and past meetings.
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getMeeting } from '$lib/server/meetings/meetings';
import { invitationStatus, sendInvitations } from '$lib/server/meetings/invitations';
import { participationView } from '$lib/server/meetings/answers';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const [meeting, status, participation] = await guard(event, () =>
		Promise.all([
			getMeeting(locals.actor, network.id, params.id),
			invitationStatus(locals.actor, network.id, params.id),
			participationView(locals.actor, network.id, params.id)
		])
	);
	const sent = Number(url.searchParams.get('gesendet'));
	const title = translate(locals.locale, 'meetingInvites.title');
	return {
		meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, status: meeting.status, canManage: meeting.canManage },
		status,
		participation,
		/** Mails queued by the send just made (?gesendet=N), or null. */
		sent: url.searchParams.has('gesendet') && Number.isInteger(sent) && sent >= 0 && sent < 100_000 ? sent : null,
		title: `${title}: ${meeting.title} – ${network.name}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'meetings.nav'), href: `/${network.slug}/intern/treffen` },
			{ label: meeting.title, href: `/${network.slug}/intern/treffen/${meeting.id}` },
			{ label: title }
		)
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
