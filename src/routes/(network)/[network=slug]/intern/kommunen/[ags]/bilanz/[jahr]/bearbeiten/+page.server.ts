// Edit one year's balance; the form carries id and version, so a concurrent change is not lost.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { balanceFormValues, saveBalance } from '$lib/server/balance/service';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';
import { getBodyByAgs } from '$lib/server/network/directory';
import { translate } from '$lib/i18n';
import { balanceTown } from '../../town.server';
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
	default: async (event) => {
		const network = await networkFromParams(event);
		const body = await guard(event, () => getBodyByAgs(event.locals.actor, network.id, event.params.ags));
		const data = await event.request.formData();
		const r = await act(event, data, () => saveBalance(event.locals.actor, network.id, body.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/kommunen/${body.ags}/bilanz/${r.year}?hinweis=gespeichert`);
	}
};
