// Portal settings (coordinators): the map's tile server with its attribution, and whether new ideas
// are open. Others get 403.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { canParticipation } from '$lib/server/participation/permissions';
import { getPortalSettings, updatePortalSettings } from '$lib/server/participation/settings';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ parent, locals, url }) => {
	const { network } = await parent();
	if (!canParticipation(locals.actor, 'participation.manage', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const s = await getPortalSettings(network.id);
	const parentLabel = translate(locals.locale, 'ideas.mod.title');
	const title = translate(locals.locale, 'ideas.settings.title');
	return {
		values: { tileUrl: s.tileUrl, tileAttribution: s.tileAttribution, ideasOpen: s.ideasOpen ? 'on' : '' },
		saved: url.searchParams.has('gespeichert'),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: parentLabel, href: `/${network.slug}/intern/beteiligung` }, { label: title })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updatePortalSettings(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/beteiligung/einstellungen?gespeichert`);
	}
};
