// Working area: one year's balance as a sector × carrier table (MWh, t CO2e, data quality), its
// sums, per capita and warnings (missing or example factors). Delete asks first (?loeschen); the
// target's base-year balance is not offered for deletion (the service refuses it too).
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deleteBalance, getBalance, listFactors } from '$lib/server/balance/service';
import { entryEmissionsT, type FactorMap } from '$lib/server/balance/compute';
import { act, guard } from '$lib/server/http/route';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';
import { getBodyByAgs } from '$lib/server/network/directory';
import { translate } from '$lib/i18n';
import { balanceTown } from '../town.server';
import { balanceIdOf } from './balance.server';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const town = await balanceTown(event, network);
	const id = await balanceIdOf(event, network.id, town.body.id);
	const detail = await guard(event, () => getBalance(locals.actor, network.id, id));
	const factors = await guard(event, () => listFactors(locals.actor, network.id, detail.balance.year));
	const map: FactorMap = Object.fromEntries(factors.rows.filter((r) => r.kgPerKwh != null).map((r) => [r.carrier, r.kgPerKwh as number]));
	const b = detail.balance;
	return {
		town: town.body,
		href: town.href,
		balance: { id: b.id, year: b.year, source: b.source, note: b.note, isPublic: b.isPublic, isDemo: b.isDemo, version: b.version, updatedAt: b.updatedAt },
		entries: detail.entries.map((e) => ({ sector: e.sector, carrier: e.carrier, energyMwh: e.energyMwh, emissionsT: entryEmissionsT(e, map), direct: e.emissionsT != null, quality: e.quality })),
		figures: detail.figures,
		inhabitantsSource: detail.inhabitantsSource,
		exampleFactors: detail.exampleFactors,
		canEdit: detail.canEdit,
		confirmDelete: detail.canEdit && url.searchParams.has('loeschen'),
		// The target's base year cannot be deleted: the confirmation says why instead of asking.
		isBaseYear: detail.isBaseYear,
		saved: url.searchParams.get('hinweis') === 'gespeichert',
		title: translate(locals.locale, 'balancePage.year.title', { year: b.year, name: town.body.name }),
		crumbs: town.crumbs(locals.locale, { label: String(b.year) })
	};
};

export const actions: Actions = {
	delete: async (event) => {
		const network = await networkFromParams(event);
		const body = await guard(event, () => getBodyByAgs(event.locals.actor, network.id, event.params.ags));
		const id = await balanceIdOf(event, network.id, body.id);
		const data = await event.request.formData();
		const r = await act(event, data, () => deleteBalance(event.locals.actor, network.id, id));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/kommunen/${body.ags}/bilanz?geloescht=${event.params.jahr}`);
	}
};
