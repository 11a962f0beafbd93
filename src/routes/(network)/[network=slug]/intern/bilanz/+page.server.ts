// Working area: the network's balances. Year chosen by ?jahr= (GET, works without JavaScript):
// the district total over the years, the per-capita comparison of that year, and every town with
// its latest balance, target and gap to the path.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { bodyBalanceView, canBalance, districtView, latestYears, perCapitaComparison } from '$lib/server/balance/service';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

/** The district chart shows at most this many recent years (one query each). */
const DISTRICT_YEARS = 12;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	if (!canBalance(actor, 'balance.read', { networkId: network.id })) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const years = await latestYears(actor, network.id);
	const asked = Number(url.searchParams.get('jahr'));
	const year = years.includes(asked) ? asked : (years[0] ?? null);
	const title = translate(locals.locale, 'balancePage.overview.title');
	const base = {
		years,
		year,
		canFactors: canBalance(actor, 'balance.factors', { networkId: network.id }),
		title,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
	if (year === null) return { ...base, notCounted: [], district: [], perCapita: null, towns: [] };

	const [selected, perCapita, series] = await Promise.all([
		guard(event, () => districtView(actor, network.id, year)),
		guard(event, () => perCapitaComparison(actor, network.id, year)),
		Promise.all(years.slice(0, DISTRICT_YEARS).map((y) => districtView(actor, network.id, y)))
	]);
	// Left-out Verbandsgemeinden (their members are counted) still appear in the town list.
	const listed = [...selected.towns, ...selected.notCounted].sort((a, b) => a.body.name.localeCompare(b.body.name, 'de'));
	const nameOf = new Map(listed.map((t) => [t.body.id, t.body.name]));
	const townHref = (ags: string) => `/${network.slug}/intern/kommunen/${ags}/bilanz`;
	// Each town's latest balance against its own path (a network has tens of towns, not thousands).
	const views = await Promise.all(listed.map((t) => bodyBalanceView(actor, network.id, t.body.id)));
	return {
		...base,
		notCounted: selected.notCounted.map((t) => t.body.name),
		district: series.map((d) => ({
			year: d.year,
			totalT: d.sum.totalT,
			included: d.sum.included.length,
			towns: d.towns.length,
			missing: d.sum.missing.map((id) => nameOf.get(id) ?? ''),
			complete: d.sum.complete
		})),
		perCapita: {
			towns: perCapita
				.filter((r) => r.body.kind !== 'landkreis')
				.map((r) => ({ name: r.body.name, href: townHref(r.body.ags), totalT: r.totalT, inhabitants: r.inhabitants, perCapitaT: r.perCapitaT, complete: r.complete })),
			missing: selected.towns.filter((t) => !t.figures).map((t) => ({ name: t.body.name, href: townHref(t.body.ags) })),
			average: selected.sum.perCapitaT
		},
		towns: views.map((v) => {
			const latest = v.years.at(-1) ?? null;
			return {
				name: v.body.name,
				href: townHref(v.body.ags),
				latestYear: latest?.year ?? null,
				totalT: latest?.totalT ?? null,
				perCapitaT: latest?.perCapitaT ?? null,
				complete: latest?.complete ?? true,
				targetKind: v.target?.kind ?? null,
				neutralYear: v.target?.neutralYear ?? null,
				gapT: latest ? (v.gaps.find((g) => g.year === latest.year)?.gapT ?? null) : null
			};
		})
	};
};
