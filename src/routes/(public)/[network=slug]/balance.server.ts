// The network home's summary of public balances: the latest public district sum and every town
// with a public balance (its latest public year). Public data only, whoever looks (cached page).
import type { Actor } from '$lib/server/auth/actor';
import { districtView, latestYears } from '$lib/server/balance/service';

/** Looking further back than this for a town's latest public year is not worth the queries. */
const YEARS_BACK = 5;

export async function publicBalanceSummary(actor: Actor, networkId: string, slug: string) {
	const years = (await latestYears(actor, networkId, { publicOnly: true })).slice(0, YEARS_BACK);
	if (!years.length) return null;
	const views = await Promise.all(years.map((y) => districtView(actor, networkId, y, { publicOnly: true })));
	const latestOf = new Map<string, { name: string; href: string; year: number }>();
	for (const v of views)
		for (const t of [...v.towns, ...v.notCounted, ...(v.district ? [v.district] : [])])
			if (t.figures && !latestOf.has(t.body.id)) latestOf.set(t.body.id, { name: t.body.name, href: `/${slug}/kommunen/${t.body.ags}#bilanz`, year: v.year });
	const latest = views[0];
	return {
		year: latest.year,
		totalT: latest.sum.totalT,
		included: latest.sum.included.length,
		towns: latest.towns.length,
		published: [...latestOf.values()].sort((a, b) => a.name.localeCompare(b.name, 'de'))
	};
}
