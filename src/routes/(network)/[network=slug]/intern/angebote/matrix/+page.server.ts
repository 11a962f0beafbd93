// The effort/benefit matrix of the network's offers: filters in the URL (GET form, works without
// JavaScript), the chart laid out on the server, the table of values and the partner-only offers.
import type { PageServerLoad } from './$types';
import { QUADRANTS, layoutMatrix, matrixData, matrixFilterFromUrl, matrixInputs, type MatrixItem, type Quadrant } from '$lib/server/offers/matrix';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = matrixFilterFromUrl(url);
	const data = await guard(event, () => matrixData(locals.actor, network.id, filter));
	const inputs = matrixInputs(data.items);
	// Crowded charts get more height, so spread points stay nearer their place.
	const height = inputs.length > 120 ? 720 : inputs.length > 60 ? 620 : 520;
	const layout = layoutMatrix(inputs, {
		width: 760,
		height,
		padding: { top: 16, right: 16, bottom: 52, left: 60 },
		quadrantLabels: Object.fromEntries(QUADRANTS.map((q) => [q, translate(locals.locale, `offerViews.quadrant.${q}`)])) as Record<Quadrant, string>
	});
	const row = (i: MatrixItem, who: 'towns' | 'partners') => {
		const s = i.aggregate[who];
		return {
			id: i.id,
			title: i.title,
			kind: i.kind,
			archived: i.archived,
			effortMean: s.effortMean,
			benefitMean: s.benefitMean,
			benefitMin: s.benefitMin,
			benefitMax: s.benefitMax,
			benefitSpread: s.benefitSpread,
			count: s.count,
			flagged: i.aggregate.flagged
		};
	};
	const title = translate(locals.locale, 'offerViews.matrix.title');
	const offersLabel = translate(locals.locale, 'offers.list.title');
	return {
		filter: { kind: filter.kind ?? '', theme: filter.theme ?? '', archived: !!filter.includeArchived },
		filtered: !!(filter.kind || filter.theme || filter.includeArchived),
		layout,
		rows: data.items.map((i) => row(i, 'towns')),
		total: data.total,
		capped: data.capped,
		partnerOnly: data.partnerOnly.map((i) => row(i, 'partners')),
		partnerOnlyTotal: data.partnerOnlyTotal,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: offersLabel, href: `/${network.slug}/intern/angebote` }, { label: title })
	};
};
