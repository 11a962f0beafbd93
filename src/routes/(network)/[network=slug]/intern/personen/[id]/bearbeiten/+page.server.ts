// Edit or delete a person. Deleting asks for confirmation on the page itself (?loeschen), so it
// works without JavaScript.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { bodyOptions, deletePerson, getPersonForEdit, updatePerson } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const person = await guard(event, () => getPersonForEdit(actor, network.id, params.id));
	// Bodies the person may be moved to, plus the one they belong to now.
	const bodies = (await bodyOptions(actor, network.id)).filter(
		(b) => b.id === person.bodyId || canNetwork(actor, 'person.create', { networkId: network.id, bodyId: b.id })
	);
	const peopleLabel = translate(locals.locale, 'dir.people.title');
	return {
		person,
		bodies,
		allowNoBody: person.bodyId === null || canNetwork(actor, 'person.create', { networkId: network.id, bodyId: null }),
		canDelete: canNetwork(actor, 'person.edit', { networkId: network.id, bodyId: person.bodyId }),
		confirmDelete: url.searchParams.has('loeschen'),
		title: translate(locals.locale, 'dir.person.editTitle', { name: person.name }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: peopleLabel, href: `/${network.slug}/intern/personen` },
			{ label: person.name, href: `/${network.slug}/intern/personen/${person.id}` },
			{ label: translate(locals.locale, 'dir.edit') }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updatePerson(event.locals.actor, network.id, event.params.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/personen/${r.id}?gespeichert=1`);
	},
	delete: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => deletePerson(event.locals.actor, network.id, event.params.id));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/personen?geloescht=1`);
	}
};
