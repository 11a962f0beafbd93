// Cancelling a meeting (coordinators), after a confirmation. The meeting stays, with status
// cancelled; calendars get STATUS:CANCELLED with a raised sequence.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { cancelMeeting, loadManagedMeeting } from '$lib/server/meetings/meetings';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { formatMeetingTime } from '$lib/components/meetings/format';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const m = await guard(event, () => loadManagedMeeting(locals.actor, network.id, params.id));
	const title = translate(locals.locale, 'meetings.cancel.title');
	return {
		meeting: { id: m.id, title: m.title, status: m.status, version: m.version, when: formatMeetingTime(m.startsAt, m.endsAt, locals.locale), invited: !!m.invitationsSentAt },
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
	cancel: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => cancelMeeting(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=cancelled`);
	}
};
