// Add a person: coordinators for any body, members for the bodies they represent.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { bodyOptions, canCreateSomewhere, createPerson } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	const actor = locals.actor;
	if (!canCreateSomewhere(actor, network.id)) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const bodies = (await bodyOptions(actor, network.id)).filter((b) =>
		canNetwork(actor, 'person.create', { networkId: network.id, bodyId: b.id })
	);
	const preset = url.searchParams.get('kommune') ?? '';
	const title = translate(locals.locale, 'dir.people.new');
	return {
		bodies,
		allowNoBody: canNetwork(actor, 'person.create', { networkId: network.id, bodyId: null }),
		preset: bodies.some((b) => b.id === preset) ? preset : bodies.length === 1 ? bodies[0].id : '',
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'dir.people.title'), href: `/${network.slug}/intern/personen` }, { label: title })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createPerson(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/personen/${r.id}?gespeichert=1`);
	}
};
