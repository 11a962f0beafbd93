// Working area: one town's balances over the years against its target path, its target, the list
// of years, and the ways to add one (form or import) for those who may edit.
import type { PageServerLoad } from './$types';
import { bodyBalanceView } from '$lib/server/balance/service';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';
import { yearParam } from './year';
import { balanceChartData } from '$lib/components/balance/view';
import { balanceTown } from './town.server';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const town = await balanceTown(event, network);
	const view = await guard(event, () => bodyBalanceView(locals.actor, network.id, town.body.id));
	return {
		town: town.body,
		href: town.href,
		...balanceChartData(view),
		canEdit: view.canEdit,
		// Confirmations after a redirect; anything else in the URL is ignored.
		imported: yearParam(url.searchParams.get('importiert')),
		deleted: yearParam(url.searchParams.get('geloescht')),
		targetSaved: url.searchParams.get('hinweis') === 'ziel-gespeichert',
		targetDeleted: url.searchParams.get('hinweis') === 'ziel-entfernt',
		title: translate(locals.locale, 'balancePage.town.title', { name: town.body.name }),
		crumbs: town.crumbs(locals.locale)
	};
};
