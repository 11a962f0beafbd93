// Read models for pages and charts: a body's balances over the years against its target path, the
// district total of one year, the per-capita comparison of towns. Public views (portal) show only
// balances and targets marked public; the working area sees all of its network's.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { db } from '../db/client';
import { balanceEntries, balances, balanceTargets, bodies } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canBalance, canReadBalance } from './permissions';
import { computeBalance, districtSum, gap, ksgPath, pathValueAt, type BalanceFigures, type DistrictSum, type TargetPath } from './compute';
import { inhabitantsFor, loadBody, yearArg, type BalanceBody, type InhabitantsSource } from './fields';
import { factorMaps } from './factors';
import type { Balance } from './balances';
import type { Target } from './targets';
import { NotFoundError } from '../errors';

export interface YearFigures extends BalanceFigures {
	balanceId: string;
	isPublic: boolean;
	isDemo: boolean;
	inhabitantsSource: InhabitantsSource;
	/** Some factor of that year is still a demo example. */
	exampleFactors: boolean;
}

export interface ViewOpts {
	/** Only what is public, whoever asks (the portal's cached pages). */
	publicOnly?: boolean;
}

/** Whether the view shows internal data: the working area asks and the page is not the portal. */
const internal = (actor: Actor, networkId: string, opts: ViewOpts) => !opts.publicOnly && canBalance(actor, 'balance.read', { networkId });

/** Figures of balance rows: their entries, the factors of their years and inhabitants. */
async function figuresOf(networkId: string, rows: Balance[], bodyOf: (bodyId: string) => Pick<BalanceBody, 'population' | 'populationYear'>): Promise<Map<string, YearFigures>> {
	const out = new Map<string, YearFigures>();
	if (!rows.length) return out;
	const [entries, factors] = await Promise.all([
		db()
			.select()
			.from(balanceEntries)
			.where(
				and(
					eq(balanceEntries.networkId, networkId),
					inArray(
						balanceEntries.balanceId,
						rows.map((r) => r.id)
					)
				)
			),
		factorMaps(db(), networkId, rows.map((r) => r.year))
	]);
	for (const b of rows) {
		const inh = inhabitantsFor(b, bodyOf(b.bodyId));
		const figures = computeBalance({ year: b.year, entries: entries.filter((e) => e.balanceId === b.id), factors: factors.maps.get(b.year) ?? {}, inhabitants: inh.inhabitants });
		out.set(b.id, { ...figures, balanceId: b.id, isPublic: b.isPublic, isDemo: b.isDemo, inhabitantsSource: inh.source, exampleFactors: factors.examples.has(b.year) });
	}
	return out;
}

export interface GapRow {
	year: number;
	actualT: number;
	pathT: number;
	/** Actual minus path: positive means above the path. */
	gapT: number;
}

export interface BodyBalanceView {
	body: BalanceBody;
	/** Visible balances, ascending by year. */
	years: YearFigures[];
	target: Target | null;
	/** Null without a target, when the base year's balance is gone, or (portal) when it is not public. */
	path: TargetPath | null;
	/** Emissions of the base year the path starts from (null without a path). */
	baseT: number | null;
	/**
	 * The base year lacks a factor for some carrier, so its total and the whole path start too low:
	 * pages say so where the path is shown.
	 */
	baseIncomplete: boolean;
	gaps: GapRow[];
	/** Where each year's inhabitants come from (also in each year's figures). */
	inhabitantsSource: Record<number, InhabitantsSource>;
	canEdit: boolean;
}

/**
 * A body's balances over the years against its target path. The path starts at the base year's
 * total; every path value is a fixed share of it (2030 = 0,35 × base), so showing the path would
 * reveal that total: where only public data counts, an internal base-year balance means no path,
 * no gaps and no base value (the public target itself, base year and kind, is still shown).
 */
export async function bodyBalanceView(actor: Actor, networkId: string, bodyId: string, opts: ViewOpts = {}): Promise<BodyBalanceView> {
	const body = await loadBody(db(), networkId, bodyId);
	const all = internal(actor, networkId, opts);
	const [rows, [targetRow]] = await Promise.all([
		db()
			.select()
			.from(balances)
			.where(and(eq(balances.networkId, networkId), eq(balances.bodyId, bodyId)))
			.orderBy(asc(balances.year)),
		db()
			.select()
			.from(balanceTargets)
			.where(and(eq(balanceTargets.networkId, networkId), eq(balanceTargets.bodyId, bodyId)))
	]);
	const target = targetRow && (all ? canReadBalance(actor, targetRow) : targetRow.isPublic) ? targetRow : null;
	const visible = rows.filter((r) => all || r.isPublic);
	const baseRow = target ? visible.find((r) => r.year === target.baseYear) : undefined;
	const figures = await figuresOf(networkId, visible, () => body);
	const years = visible.map((r) => figures.get(r.id)!);
	const base = baseRow ? figures.get(baseRow.id)! : null;
	const baseT = base ? base.totalT : null;
	const path =
		target && baseT !== null
			? ksgPath({ baseYear: target.baseYear, baseT, reference1990T: target.reference1990T, kind: target.kind, neutralYear: target.neutralYear })
			: null;
	const gaps: GapRow[] = [];
	if (path) {
		for (const y of years) {
			const pathT = pathValueAt(path.points, y.year);
			if (pathT !== null) gaps.push({ year: y.year, actualT: y.totalT, pathT, gapT: gap(y.totalT, pathT) });
		}
	}
	return {
		body,
		years,
		target,
		path,
		baseT: path ? baseT : null,
		baseIncomplete: !!path && !!base && !base.complete,
		gaps,
		inhabitantsSource: Object.fromEntries(years.map((y) => [y.year, y.inhabitantsSource])),
		canEdit: canBalance(actor, 'balance.edit', { networkId, bodyId })
	};
}

type BodyRow = BalanceBody & { verbandsgemeinde: string | null };

async function networkBodies(networkId: string): Promise<BodyRow[]> {
	// A network has tens of bodies (a district's towns), not thousands: listed all at once.
	return db()
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags, kind: bodies.kind, verbandsgemeinde: bodies.verbandsgemeinde, population: bodies.population, populationYear: bodies.populationYear })
		.from(bodies)
		.where(eq(bodies.networkId, networkId))
		.orderBy(asc(bodies.name))
		.limit(1000);
}

async function yearFigures(actor: Actor, networkId: string, year: number, opts: ViewOpts) {
	const all = internal(actor, networkId, opts);
	const [list, rows] = await Promise.all([
		networkBodies(networkId),
		db()
			.select()
			.from(balances)
			.where(and(eq(balances.networkId, networkId), eq(balances.year, year), all ? undefined : eq(balances.isPublic, true)))
	]);
	const byId = new Map(list.map((b) => [b.id, b]));
	const figures = await figuresOf(networkId, rows, (id) => byId.get(id)!);
	const byBody = new Map(rows.map((r) => [r.bodyId, figures.get(r.id)!]));
	return { list, byBody };
}

export interface BodyFigures {
	body: BodyRow;
	figures: YearFigures | null;
}

export interface DistrictView {
	year: number;
	/** Every town, Verbandsgemeinde and municipality the sum is over (not the district, not `notCounted`), by name. */
	towns: BodyFigures[];
	/** Sum of the towns with a (visible) balance; `missing` names the others. */
	sum: DistrictSum;
	/** Verbandsgemeinden left out because members of theirs have a balance that year ("nicht mitgezählt"), by name. */
	notCounted: BodyFigures[];
	/** The district body (Landkreis) with its own balance, if any: listed, never added to the sum. */
	district: BodyFigures | null;
}

/** "Verbandsgemeinde Vorharz", "VG Vorharz" and "Vorharz" name the same Verbandsgemeinde. */
const vgKey = (name: string) =>
	name
		.trim()
		.toLowerCase()
		.replace(/^(verbandsgemeinde|vg)\s+/, '')
		.replace(/\s+/g, ' ');

/**
 * The district total of one year. Decision: the sum is over the member bodies that are not the
 * Landkreis: a district's own balance usually covers its whole territory (or only its facilities)
 * and adding it to its towns would count the same emissions twice; it is shown beside the sum.
 * The same holds one level down: a member town records its Verbandsgemeinde by name (the body's
 * `verbandsgemeinde` field). When any member of a Verbandsgemeinde has a balance that year, the
 * members are counted and the Verbandsgemeinde is left out: neither counted nor missing, listed
 * as not counted. Without member balances that year its own balance counts like a town's.
 */
export async function districtView(actor: Actor, networkId: string, year: number | string, opts: ViewOpts = {}): Promise<DistrictView> {
	const y = yearArg(year);
	if (y === null) throw new NotFoundError();
	const { list, byBody } = await yearFigures(actor, networkId, y, opts);
	const membersCounted = new Set(list.filter((b) => b.verbandsgemeinde && byBody.has(b.id)).map((b) => vgKey(b.verbandsgemeinde!)));
	const leftOut = (b: BodyRow) => b.kind === 'verbandsgemeinde' && membersCounted.has(vgKey(b.name));
	const withFigures = (body: BodyRow) => ({ body, figures: byBody.get(body.id) ?? null });
	const towns = list.filter((b) => b.kind !== 'landkreis' && !leftOut(b)).map(withFigures);
	const kreis = list.find((b) => b.kind === 'landkreis');
	return {
		year: y,
		towns,
		sum: districtSum(towns.map((t) => ({ bodyId: t.body.id, figures: t.figures }))),
		notCounted: list.filter(leftOut).map(withFigures),
		district: kreis ? { body: kreis, figures: byBody.get(kreis.id) ?? null } : null
	};
}

export interface PerCapitaRow {
	body: BodyRow;
	totalT: number;
	inhabitants: number | null;
	/** Null when the inhabitants are unknown: shown as missing, never as 0. */
	perCapitaT: number | null;
	complete: boolean;
	balanceId: string;
}

/** Per-capita emissions of every body with a (visible) balance that year, highest first, unknown last. */
export async function perCapitaComparison(actor: Actor, networkId: string, year: number | string, opts: ViewOpts = {}): Promise<PerCapitaRow[]> {
	const y = yearArg(year);
	if (y === null) throw new NotFoundError();
	const { list, byBody } = await yearFigures(actor, networkId, y, opts);
	const rows: PerCapitaRow[] = [];
	for (const body of list) {
		const f = byBody.get(body.id);
		if (f) rows.push({ body, totalT: f.totalT, inhabitants: f.inhabitants, perCapitaT: f.perCapitaT, complete: f.complete, balanceId: f.balanceId });
	}
	return rows.sort((a, b) => (b.perCapitaT ?? -1) - (a.perCapitaT ?? -1) || a.body.name.localeCompare(b.body.name, 'de'));
}

/** Years with any (visible) balance in the network, latest first. */
export async function latestYears(actor: Actor, networkId: string, opts: ViewOpts = {}): Promise<number[]> {
	const all = internal(actor, networkId, opts);
	const rows = await db()
		.selectDistinct({ year: balances.year })
		.from(balances)
		.where(and(eq(balances.networkId, networkId), all ? undefined : eq(balances.isPublic, true)))
		.orderBy(desc(balances.year));
	return rows.map((r) => r.year);
}
