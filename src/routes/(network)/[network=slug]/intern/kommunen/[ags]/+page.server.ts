// Working area: one body with its people and their contact details.
import type { PageServerLoad } from './$types';
import { getBodyByAgs, listPeople } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const body = await guard(event, () => getBodyByAgs(locals.actor, network.id, params.ags));
	const people = await listPeople(locals.actor, network.id, { bodyId: body.id, pageSize: 100 });
	const subject = { networkId: network.id, bodyId: body.id };
	return {
		body,
		people,
		can: {
			edit: canNetwork(locals.actor, 'body.edit', subject),
			addPerson: canNetwork(locals.actor, 'person.create', subject),
			readAudit: canNetwork(locals.actor, 'network.readAudit', subject)
		},
		saved: url.searchParams.has('gespeichert'),
		title: body.name,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'dir.bodies.title'), href: `/${network.slug}/intern/kommunen` }, { label: body.name })
	};
};
