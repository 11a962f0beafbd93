// Answering a meeting (yes / no / maybe with a comment). The meeting page's answer form posts here;
// success goes back to the meeting, a failure shows the form on this page with the errors (without
// JavaScript) or returns them to the meeting page's form (with JavaScript). The invitation mail
// links here too.
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { answerMeeting, participationView } from '$lib/server/meetings/answers';
import { meetingPage } from '$lib/server/meetings/pages';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';

export const load: PageServerLoad = async (event) => {
	const { network, meeting, title, crumbs } = await meetingPage(event, 'meetingAnswers.pageTitle');
	const participation = await guard(event, () => participationView(event.locals.actor, network.id, meeting));
	return {
		meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, venueName: meeting.venueName, venueAddress: meeting.venueAddress, onlineUrl: meeting.onlineUrl, status: meeting.status, host: meeting.host },
		participation,
		title,
		crumbs
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => answerMeeting(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId: 'answer' });
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=answered#teilnahme`);
	}
};
