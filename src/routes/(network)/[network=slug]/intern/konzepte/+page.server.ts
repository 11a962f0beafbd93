// All concepts of the network with their fields of action, grouped by body.
import type { PageServerLoad } from './$types';
import { listConcepts } from '$lib/server/measures/concepts';
import { editableBodyIds } from '$lib/server/measures/permissions';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals } = event;
	const { network } = await parent();
	const concepts = await guard(event, () => listConcepts(locals.actor, network.id));
	const editable = editableBodyIds(locals.actor, network.id);
	const title = translate(locals.locale, 'concept.list.title');
	return {
		concepts,
		canCreate: editable === null || editable.length > 0,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
