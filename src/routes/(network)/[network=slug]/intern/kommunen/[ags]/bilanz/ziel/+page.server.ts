// A town's target: base year (a year with a balance), KSG path or an own neutrality year, the 1990
// emissions where known, public or not. Removing it asks first (?entfernen).
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { canBalance, deleteTarget, getTarget, listBalanceYears, saveTarget, targetAsForm } from '$lib/server/balance/service';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';
import { getBodyByAgs } from '$lib/server/network/directory';
import { translate } from '$lib/i18n';
import { balanceTown } from '../town.server';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const town = await balanceTown(event, network);
	if (!canBalance(locals.actor, 'balance.edit', { networkId: network.id, bodyId: town.body.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const [years, target] = await Promise.all([
		guard(event, () => listBalanceYears(locals.actor, network.id, town.body.id)),
		guard(event, () => getTarget(locals.actor, network.id, town.body.id))
	]);
	const title = translate(locals.locale, 'balancePage.targetForm.title', { name: town.body.name });
	return {
		town: town.body,
		href: town.href,
		years: years.map((y) => y.year),
		hasTarget: !!target,
		values: targetAsForm(target),
		confirmRemove: !!target && url.searchParams.has('entfernen'),
		title,
		crumbs: town.crumbs(locals.locale, { label: translate(locals.locale, 'balancePage.town.targetHeading') })
	};
};

async function command(event: RequestEvent, fn: (networkId: string, bodyId: string, data: FormData) => Promise<unknown>, notice: string) {
	const network = await networkFromParams(event);
	const body = await guard(event, () => getBodyByAgs(event.locals.actor, network.id, event.params.ags));
	const data = await event.request.formData();
	// null, not fn's result: the page's `form` type then is just the failure.
	const r = await act(event, data, async () => {
		await fn(network.id, body.id, data);
		return null;
	});
	if (failed(r)) return r;
	redirect(303, `/${network.slug}/intern/kommunen/${body.ags}/bilanz?hinweis=${notice}`);
}

export const actions = {
	save: (event) => command(event, (n, b, d) => saveTarget(event.locals.actor, n, b, formObject(d)), 'ziel-gespeichert'),
	remove: (event) => command(event, (n, b) => deleteTarget(event.locals.actor, n, b), 'ziel-entfernt')
} satisfies Actions;
