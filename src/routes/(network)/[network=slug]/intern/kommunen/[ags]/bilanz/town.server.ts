// Shared by the balance pages of one town: the town from the URL (404 in another network), the
// working-area guard of the balance module, the breadcrumbs up to the town's balance page, and
// the save action of the new and edit forms.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { getBodyByAgs } from '$lib/server/network/directory';
import { canBalance, saveBalance } from '$lib/server/balance/service';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams, type Crumb } from '$lib/server/network/directory-pages';
import { translate, type Locale } from '$lib/i18n';

interface TownEvent {
	params: { ags: string };
	locals: App.Locals;
	url: URL;
}

export async function balanceTown(event: TownEvent, network: { id: string; slug: string; name: string }) {
	const body = await guard(event, () => getBodyByAgs(event.locals.actor, network.id, event.params.ags));
	if (!canBalance(event.locals.actor, 'balance.read', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const href = `/${network.slug}/intern/kommunen/${body.ags}/bilanz`;
	/** Kommunen › Stadt › Bilanz › …rest */
	const crumbs = (locale: Locale, ...rest: Crumb[]) =>
		internCrumbs(
			locale,
			network,
			{ label: translate(locale, 'dir.bodies.title'), href: `/${network.slug}/intern/kommunen` },
			{ label: body.name, href: `/${network.slug}/intern/kommunen/${body.ags}` },
			...(rest.length ? [{ label: translate(locale, 'balancePage.nav'), href }, ...rest] : [{ label: translate(locale, 'balancePage.nav') }])
		);
	return { body: { id: body.id, name: body.name, ags: body.ags, population: body.population, populationYear: body.populationYear }, href, crumbs };
}

/**
 * The balance form's action (new and edit alike: the form says by id and version which balance it
 * edits): saves, then shows the saved year, or returns the errors with the input kept.
 */
export async function saveBalanceAction(event: RequestEvent<{ network: string; ags: string }>) {
	const network = await networkFromParams(event);
	const body = await guard(event, () => getBodyByAgs(event.locals.actor, network.id, event.params.ags));
	const data = await event.request.formData();
	const r = await act(event, data, () => saveBalance(event.locals.actor, network.id, body.id, formObject(data)));
	if (failed(r)) return r;
	redirect(303, `/${network.slug}/intern/kommunen/${body.ags}/bilanz/${r.year}?hinweis=gespeichert`);
}
