// The slice of a body's balance view (service bodyBalanceView) that the charts and the portal
// need, so pages send the browser only these figures. Types only from the server module.
import type { BodyBalanceView } from '$lib/server/balance/views';

export function balanceChartData(view: BodyBalanceView) {
	return {
		years: view.years.map((y) => ({
			year: y.year,
			totalT: y.totalT,
			bySectorT: y.bySectorT,
			complete: y.complete,
			perCapitaT: y.perCapitaT,
			isPublic: y.isPublic,
			isDemo: y.isDemo,
			exampleFactors: y.exampleFactors
		})),
		target: view.target && {
			kind: view.target.kind,
			baseYear: view.target.baseYear,
			neutralYear: view.target.neutralYear,
			reference1990T: view.target.reference1990T,
			isPublic: view.target.isPublic
		},
		path: view.path?.points ?? [],
		referenceIsBaseYear: view.path?.referenceIsBaseYear ?? false,
		baseT: view.baseT,
		baseIncomplete: view.baseIncomplete,
		gaps: view.gaps.map((g) => ({ year: g.year, pathT: g.pathT, gapT: g.gapT }))
	};
}

export type BalanceChartData = ReturnType<typeof balanceChartData>;
