// Enter a new balance of a town (members of the town, coordinators). ?jahr= preselects the year.
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { canBalance } from '$lib/server/balance/service';
import { translate } from '$lib/i18n';
import { balanceTown, saveBalanceAction } from '../town.server';
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
	default: saveBalanceAction
};
