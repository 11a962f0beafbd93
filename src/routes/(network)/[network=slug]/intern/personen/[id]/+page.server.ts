// Working area: one person with function, body, tenure and contact details.
import type { PageServerLoad } from './$types';
import { canEditPerson, getPerson } from '$lib/server/network/directory';
import { canNetwork } from '$lib/server/network/permissions';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const person = await guard(event, () => getPerson(locals.actor, network.id, params.id));
	return {
		person,
		can: {
			edit: canEditPerson(locals.actor, network.id, person),
			readAudit: canNetwork(locals.actor, 'network.readAudit', { networkId: network.id })
		},
		saved: url.searchParams.has('gespeichert'),
		title: person.name,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'dir.people.title'), href: `/${network.slug}/intern/personen` }, { label: person.name })
	};
};
