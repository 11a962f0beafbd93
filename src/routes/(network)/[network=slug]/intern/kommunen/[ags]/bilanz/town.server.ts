// Shared by the balance pages of one town: the town from the URL (404 in another network), the
// working-area guard of the balance module, and the breadcrumbs up to the town's balance page.
import { error } from '@sveltejs/kit';
import { getBodyByAgs } from '$lib/server/network/directory';
import { canBalance } from '$lib/server/balance/service';
import { guard } from '$lib/server/http/route';
import { internCrumbs, type Crumb } from '$lib/server/network/directory-pages';
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
