// Editing or removing one agenda item (coordinators any; members their own proposals). Both forms
// carry the item's last-change stamp (itemStamp): a change made meanwhile is not overwritten unseen.
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { agendaItemForm, deleteAgendaItem, presenterOptions, updateAgendaItem } from '$lib/server/meetings/agenda';
import { getMeeting } from '$lib/server/meetings/meetings';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const meeting = await guard(event, () => getMeeting(locals.actor, network.id, params.id));
	const { item, values } = await guard(event, () => agendaItemForm(locals.actor, network.id, meeting, params.itemId));
	const title = translate(locals.locale, 'meetings.agenda.editTitle');
	return {
		meeting: { id: meeting.id, title: meeting.title },
		item: { id: item.id, title: item.title, followUpId: item.followUpId },
		values,
		presenters: await presenterOptions(locals.actor, network.id),
		title: `${title}: ${item.title}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'meetings.title'), href: `/${network.slug}/intern/treffen` },
			{ label: meeting.title, href: `/${network.slug}/intern/treffen/${meeting.id}` },
			{ label: title }
		)
	};
};

export const actions: Actions = {
	save: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateAgendaItem(event.locals.actor, network.id, event.params.id, event.params.itemId, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=itemSaved#tagesordnung`);
	},
	delete: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => deleteAgendaItem(event.locals.actor, network.id, event.params.id, event.params.itemId, formObject(data)));
		if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId: 'delete' });
		redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=itemDeleted#tagesordnung`);
	}
};
