// Answering a meeting (yes / no / maybe with a comment). The meeting page's answer form posts here;
// success goes back to the meeting, a failure shows the form on this page with the errors (without
// JavaScript) or returns them to the meeting page's form (with JavaScript). The invitation mail
// links here too.
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getMeeting } from '$lib/server/meetings/meetings';
import { answerMeeting, participationView } from '$lib/server/meetings/answers';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const [meeting, participation] = await guard(event, () =>
		Promise.all([getMeeting(locals.actor, network.id, params.id), participationView(locals.actor, network.id, params.id)])
	);
	const title = translate(locals.locale, 'meetingAnswers.pageTitle');
	return {
		meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt, venueName: meeting.venueName, venueAddress: meeting.venueAddress, onlineUrl: meeting.onlineUrl, status: meeting.status, host: meeting.host },
		participation,
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
		const r = await act(event, data, () => answerMeeting(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId: 'answer' });
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=answered#teilnahme`);
	}
};
