// Enter a new balance of a town (members of the town, coordinators). ?jahr= preselects the year.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { canBalance, saveBalance } from '$lib/server/balance/service';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';
import { getBodyByAgs } from '$lib/server/network/directory';
import { translate } from '$lib/i18n';
import { balanceTown } from '../town.server';
import { yearParam } from '../year';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const town = await balanceTown(event, network);
	if (!canBalance(locals.actor, 'balance.edit', { networkId: network.id, bodyId: town.body.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const title = translate(locals.locale, 'balancePage.form.newTitle', { name: town.body.name });
	const year = yearParam(url.searchParams.get('jahr'));
	return {
		town: town.body,
		href: town.href,
		values: { year: year ? String(year) : '' },
		title,
		crumbs: town.crumbs(locals.locale, { label: translate(locals.locale, 'balancePage.town.new') })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const body = await guard(event, () => getBodyByAgs(event.locals.actor, network.id, event.params.ags));
		const data = await event.request.formData();
		const r = await act(event, data, () => saveBalance(event.locals.actor, network.id, body.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/kommunen/${body.ags}/bilanz/${r.year}?hinweis=gespeichert`);
	}
};
