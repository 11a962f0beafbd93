// Pure balance arithmetic: emissions from final energy and factors, sector and carrier sums,
// per-capita values, the KSG or an own target path, the gap to it and the district sum. No I/O.
import { balanceSector, dataQuality, energyCarrier, targetKind } from './schema';

export const SECTORS = balanceSector.enumValues;
export const CARRIERS = energyCarrier.enumValues;
export const QUALITIES = dataQuality.enumValues;
export const TARGET_KINDS = targetKind.enumValues;
export type Sector = (typeof SECTORS)[number];
export type Carrier = (typeof CARRIERS)[number];
export type Quality = (typeof QUALITIES)[number];
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Emission factors of one year in kg CO2e per kWh; a carrier without a factor is unknown, not 0. */
export type FactorMap = Partial<Record<Carrier, number>>;

export interface EntryInput {
	sector: Sector;
	carrier: Carrier;
	energyMwh: number | null;
	/** Entered directly (a town that only has emissions); wins over energy × factor. */
	emissionsT: number | null;
	quality: Quality | null;
}

export interface BalanceFigures {
	year: number;
	/** t CO2e of every entry whose emissions are known. */
	totalT: number;
	energyMwh: number;
	bySectorT: Record<Sector, number>;
	byCarrierT: Record<Carrier, number>;
	/** Carriers with energy but no factor that year: their emissions are not in the total. */
	missingFactors: Carrier[];
	complete: boolean;
	inhabitants: number | null;
	/** t CO2e per inhabitant; null when the inhabitants are unknown (never 0). */
	perCapitaT: number | null;
	/** Share (0…1) of the final energy per data quality class; energy without a class is in none. */
	qualityShare: Record<Quality, number>;
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * Emissions of one cell in t CO2e: the directly entered value, else energy × factor
 * (1 MWh × 1 kg/kWh = 1 000 kWh × 1 kg = 1 t). Null when energy is there but its factor is not.
 */
export function entryEmissionsT(entry: Pick<EntryInput, 'carrier' | 'energyMwh' | 'emissionsT'>, factors: FactorMap): number | null {
	if (entry.emissionsT != null) return entry.emissionsT;
	if (!entry.energyMwh) return 0;
	const f = factors[entry.carrier];
	return f == null ? null : entry.energyMwh * f;
}

export function computeBalance(input: { year: number; entries: EntryInput[]; factors: FactorMap; inhabitants: number | null }): BalanceFigures {
	const bySectorT = zeros(SECTORS);
	const byCarrierT = zeros(CARRIERS);
	const byQuality = zeros(QUALITIES);
	const missing = new Set<Carrier>();
	let totalT = 0;
	let energyMwh = 0;
	for (const e of input.entries) {
		const energy = e.energyMwh ?? 0;
		energyMwh += energy;
		if (e.quality) byQuality[e.quality] += energy;
		const t = entryEmissionsT(e, input.factors);
		if (t == null) {
			missing.add(e.carrier);
			continue;
		}
		totalT += t;
		bySectorT[e.sector] += t;
		byCarrierT[e.carrier] += t;
	}
	const inhabitants = input.inhabitants && input.inhabitants > 0 ? input.inhabitants : null;
	const qualityShare = zeros(QUALITIES);
	if (energyMwh > 0) for (const q of QUALITIES) qualityShare[q] = byQuality[q] / energyMwh;
	return {
		year: input.year,
		totalT,
		energyMwh,
		bySectorT,
		byCarrierT,
		missingFactors: CARRIERS.filter((c) => missing.has(c)),
		complete: missing.size === 0,
		inhabitants,
		perCapitaT: inhabitants ? totalT / inhabitants : null,
		qualityShare
	};
}

export interface PathPoint {
	year: number;
	valueT: number;
}

/** KSG 2021: −65 % by 2030, −88 % by 2040 against 1990, net neutrality in 2045. */
export const KSG_MILESTONES = [
	{ year: 2030, share: 0.35 },
	{ year: 2040, share: 0.12 },
	{ year: 2045, share: 0 }
] as const;
export const KSG_NEUTRAL_YEAR = 2045;

export interface PathInput {
	baseYear: number;
	baseT: number;
	/** Emissions of 1990 where known; without it the percentages apply to the base year's emissions. */
	reference1990T?: number | null;
	kind: TargetKind;
	/** Own target: the year of net neutrality (before 2045). */
	neutralYear?: number | null;
}

export interface TargetPath {
	points: PathPoint[];
	/** True when the KSG percentages were applied to the base year, not to 1990 (say so beside the chart). */
	referenceIsBaseYear: boolean;
}

function ksgPoints(baseYear: number, baseT: number, ref: number): PathPoint[] {
	const points: PathPoint[] = [{ year: baseYear, valueT: baseT }];
	for (const m of KSG_MILESTONES) {
		// A town already below a milestone is not asked to rise to it: the path never goes up.
		if (m.year > baseYear) points.push({ year: m.year, valueT: Math.min(m.share * ref, baseT) });
	}
	return points;
}

/**
 * The target path from the base year: the KSG path (linear between the base year, 2030, 2040 and
 * 2045), or an own path linear to zero in the neutrality year, never above the KSG path.
 */
export function ksgPath(input: PathInput): TargetPath {
	const ref = input.reference1990T ?? input.baseT;
	const referenceIsBaseYear = input.reference1990T == null && input.baseYear !== 1990;
	const ksg = ksgPoints(input.baseYear, input.baseT, ref);
	if (input.kind !== 'own' || input.neutralYear == null || input.neutralYear <= input.baseYear) {
		return { points: ksg, referenceIsBaseYear };
	}
	const own: PathPoint[] = [
		{ year: input.baseYear, valueT: input.baseT },
		{ year: input.neutralYear, valueT: 0 }
	];
	// The lower of both at every year up to the own neutrality year (0 after it); collinear points dropped.
	const sampled: PathPoint[] = [];
	for (let y = input.baseYear; y <= input.neutralYear; y++) {
		sampled.push({ year: y, valueT: Math.min(pathValueAt(own, y) ?? 0, pathValueAt(ksg, y) ?? 0) });
	}
	return { points: simplify(sampled), referenceIsBaseYear };
}

/** Drops points that lie on the line between their neighbours. */
function simplify(points: PathPoint[]): PathPoint[] {
	if (points.length <= 2) return points;
	const out: PathPoint[] = [points[0]];
	for (let i = 1; i < points.length - 1; i++) {
		const a = out[out.length - 1];
		const b = points[i];
		const c = points[i + 1];
		const onLine = a.valueT + ((c.valueT - a.valueT) * (b.year - a.year)) / (c.year - a.year);
		if (Math.abs(onLine - b.valueT) > 1e-9 * Math.max(1, Math.abs(b.valueT))) out.push(b);
	}
	out.push(points[points.length - 1]);
	return out;
}

/** The path's value in a year: linear between points, 0 after the last, null before the first (the base year). */
export function pathValueAt(points: PathPoint[], year: number): number | null {
	if (!points.length || year < points[0].year) return null;
	for (let i = 0; i < points.length - 1; i++) {
		const a = points[i];
		const b = points[i + 1];
		if (year <= b.year) return a.valueT + ((b.valueT - a.valueT) * (year - a.year)) / (b.year - a.year);
	}
	return year === points[points.length - 1].year ? points[points.length - 1].valueT : 0;
}

/** Actual minus path in t CO2e: positive means above the path (behind the target). */
export function gap(actualT: number, pathT: number): number {
	return actualT - pathT;
}

export interface DistrictSum {
	totalT: number;
	/** Null unless every included town's inhabitants are known. */
	perCapitaT: number | null;
	inhabitants: number | null;
	included: string[];
	missing: string[];
	/** False when a town's total lacks a carrier without a factor. */
	complete: boolean;
}

/** The sum of the towns that have a balance that year; the others are listed as missing. */
export function districtSum(towns: { bodyId: string; figures: BalanceFigures | null }[]): DistrictSum {
	let totalT = 0;
	let inhabitants: number | null = 0;
	let complete = true;
	const included: string[] = [];
	const missing: string[] = [];
	for (const t of towns) {
		if (!t.figures) {
			missing.push(t.bodyId);
			continue;
		}
		included.push(t.bodyId);
		totalT += t.figures.totalT;
		complete &&= t.figures.complete;
		inhabitants = t.figures.inhabitants == null || inhabitants == null ? null : inhabitants + t.figures.inhabitants;
	}
	if (!included.length) inhabitants = null;
	return { totalT, perCapitaT: inhabitants ? totalT / inhabitants : null, inhabitants, included, missing, complete };
}
