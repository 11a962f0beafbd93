// Create a concept for a body the user may edit (?kommune=AGS preselects it).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createConcept } from '$lib/server/measures/concepts';
import { editableBodyIds } from '$lib/server/measures/permissions';
import { bodyOptions } from '$lib/server/network/directory';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import type { Actor } from '$lib/server/auth/actor';
import { ValidationError } from '$lib/server/errors';

async function creatableBodies(actor: Actor, networkId: string) {
	const editable = editableBodyIds(actor, networkId);
	const all = await bodyOptions(actor, networkId);
	return editable === null ? all : all.filter((b) => editable.includes(b.id));
}

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	const bodies = await creatableBodies(locals.actor, network.id);
	if (!bodies.length) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const pre = bodies.find((b) => b.ags === url.searchParams.get('kommune'));
	return {
		bodies: bodies.map((b) => ({ id: b.id, name: b.name })),
		values: { bodyId: pre?.id ?? bodies[0].id },
		title: translate(locals.locale, 'concept.new.title'),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'concept.list.title'), href: `/${network.slug}/intern/konzepte` },
			{ label: translate(locals.locale, 'concept.new.title') }
		)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const bodyId = String(data.get('bodyId') ?? '');
		const bodies = await creatableBodies(event.locals.actor, network.id);
		const r = await act(event, data, async () => {
			if (!bodies.some((b) => b.id === bodyId)) {
				throw new ValidationError({ bodyId: 'measure.bodyUnknown' });
			}
			return createConcept(event.locals.actor, network.id, bodyId, formObject(data));
		});
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/konzepte/${r.id}?ok=created`);
	}
};
