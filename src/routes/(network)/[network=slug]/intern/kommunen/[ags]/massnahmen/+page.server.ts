// One town's implementation state: status counts, mean progress, and its measures grouped by
// field of action (each group capped; the full list is one link away with the filter set).
import type { PageServerLoad } from './$types';
import { getBodyByAgs } from '$lib/server/network/directory';
import { listConcepts } from '$lib/server/measures/concepts';
import { listMeasures, measureCounts } from '$lib/server/measures/list';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { canMeasure } from '$lib/server/measures/permissions';
import { translate } from '$lib/i18n';

/** Measures shown per field of action before "more in the list". */
const PER_FIELD = 10;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const body = await guard(event, () => getBodyByAgs(actor, network.id, params.ags));
	const [counts, concepts] = await guard(event, () =>
		Promise.all([measureCounts(actor, network.id, { ags: body.ags }), listConcepts(actor, network.id, { bodyId: body.id })])
	);
	// One query per concept field (a town has a handful), each limited.
	const groups = [];
	for (const c of concepts) {
		for (const f of c.fields) {
			if (!f.measureCount) continue;
			const r = await listMeasures(actor, network.id, { conceptId: c.id, fieldId: f.id, sort: 'code', pageSize: PER_FIELD });
			groups.push({ concept: c.title, field: { id: f.id, name: f.name, color: f.color, theme: f.theme }, items: r.items, total: r.total });
		}
		const r = await listMeasures(actor, network.id, { conceptId: c.id, withoutField: true, sort: 'code', pageSize: PER_FIELD });
		if (r.total) groups.push({ concept: c.title, field: null, items: r.items, total: r.total });
	}
	const title = translate(locals.locale, 'measure.body.title', { name: body.name });
	return {
		body: { id: body.id, name: body.name, ags: body.ags },
		counts,
		concepts: concepts.map((c) => ({ id: c.id, title: c.title, kind: c.kind, measureCount: c.measureCount })),
		groups,
		canCreateConcept: canMeasure(actor, 'measure.edit', { networkId: network.id, bodyId: body.id }),
		title,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'dir.bodies.title'), href: `/${network.slug}/intern/kommunen` },
			{ label: body.name, href: `/${network.slug}/intern/kommunen/${body.ags}` },
			{ label: translate(locals.locale, 'measure.list.title') }
		)
	};
};
