// Edit one year's balance; the form carries id and version, so a concurrent change is not lost.
import type { Actions, PageServerLoad } from './$types';
import { balanceFormValues } from '$lib/server/balance/service';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';
import { balanceTown, saveBalanceAction } from '../../town.server';
import { balanceIdOf } from '../balance.server';

export const load: PageServerLoad = async (event) => {
	const { parent, locals } = event;
	const { network } = await parent();
	const town = await balanceTown(event, network);
	const id = await balanceIdOf(event, network.id, town.body.id);
	const { balance, values } = await guard(event, () => balanceFormValues(locals.actor, network.id, id));
	return {
		town: town.body,
		href: town.href,
		year: balance.year,
		values,
		title: translate(locals.locale, 'balancePage.form.editTitle', { year: balance.year, name: town.body.name }),
		crumbs: town.crumbs(locals.locale, { label: String(balance.year), href: `${town.href}/${balance.year}` }, { label: translate(locals.locale, 'balancePage.year.edit') })
	};
};

export const actions: Actions = {
	default: saveBalanceAction
};
