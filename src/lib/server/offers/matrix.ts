// The effort/benefit matrix: which offers the towns found worth it. `layoutMatrix` is pure (no I/O)
// and turns offers with the towns' mean effort and benefit into SVG coordinates: x = effort, y =
// benefit (both 1–5), circle area by number of assessments, points that would overlap spread on a
// small circle around where they belong (deterministically, so the chart is the same on every
// request and every point stays clickable), short labels where they fit. `matrixData` loads the
// assessed offers of a network with the towns' current assessments; offers only partners assessed
// are listed apart (the matrix shows the towns' view).
import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { db } from '../db/client';
import type { Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { OFFER_KINDS, OFFER_THEMES, QUADRANTS, type OfferKind, type OfferTheme, type Quadrant } from '$lib/offers/enums';
import { offerAssessments, offers } from './schema';
import { canOffer } from './permissions';
import { aggregatesFor, type OfferAggregate } from './aggregates';

export { QUADRANTS, type Quadrant };

// ---------------------------------------------------------------------------------------------
// Layout (pure)

export interface MatrixInput {
	id: string;
	title: string;
	/** Towns' mean effort, 1–5. */
	effort: number;
	/** Towns' mean benefit, 1–5. */
	benefit: number;
	/** Number of (current) town assessments. */
	count: number;
	/** Benefit ratings disagree and were not discussed yet. */
	flagged: boolean;
}

export interface MatrixLabel {
	x: number;
	y: number;
	anchor: 'start' | 'end' | 'middle';
	text: string;
}

export interface MatrixPoint extends MatrixInput {
	/** Where the point is drawn. */
	cx: number;
	cy: number;
	/** Where its values put it (differs from cx/cy when it was spread apart from others). */
	trueX: number;
	trueY: number;
	r: number;
	label: MatrixLabel | null;
}

export interface MatrixLayout {
	width: number;
	height: number;
	/** The plot area in SVG coordinates (y grows downwards). */
	plot: { left: number; right: number; top: number; bottom: number };
	/** Where the scale's middle (3) lies: the quadrant borders. */
	midX: number;
	midY: number;
	xTicks: { value: number; x: number }[];
	yTicks: { value: number; y: number }[];
	quadrants: { key: Quadrant; x: number; y: number; anchor: 'start' | 'end' }[];
	points: MatrixPoint[];
	/** For the size legend: the smallest and largest count drawn, with their radii (one entry when equal). */
	sizes: { count: number; r: number }[];
}

export interface MatrixOptions {
	width: number;
	height: number;
	padding: { top: number; right: number; bottom: number; left: number };
	/** Radius of the smallest point (one assessment); 7 px by default. */
	minRadius?: number;
	/** Radius of the point with the most assessments; 20 px by default. */
	maxRadius?: number;
	/** Space kept between neighbouring points; 3 px by default. */
	gap?: number;
	/** Characters of a title shown as a label beside its point; 18 by default. */
	labelChars?: number;
	/** The quadrant labels as shown (their room is kept free of point labels); 30 characters assumed. */
	quadrantLabels?: Record<Quadrant, string>;
}

/** The scale's ends (ratings are 1–5); half a step of room on each side so points at 1 and 5 fit. */
const DOMAIN_MIN = 0.5;
const DOMAIN_MAX = 5.5;
/**
 * Point areas are proportional to the count relative to at least this many assessments, so a
 * network where every offer has one rating does not show them all at full size.
 */
const COUNT_REFERENCE = 6;
/** Label type: 11 px, about 6.2 px a character. */
const LABEL_CHAR_W = 6.2;
const LABEL_H = 13;
/** Quadrant labels at 12 px (they are drawn in the plot's corners and kept free of point labels). */
const QUADRANT_CHAR_W = 6.8;

const clamp = (v: number, lo: number, hi: number) => (lo > hi ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, v)));
const round1 = (v: number) => Math.round(v * 10) / 10;

/** Area-proportional radius: r² ∝ count, at least `min`, `max` for the largest count (or the reference). */
export function pointRadius(count: number, maxCount: number, min: number, max: number): number {
	const ref = Math.max(maxCount, COUNT_REFERENCE, 1);
	return Math.max(min, max * Math.sqrt(Math.max(0, count) / ref));
}

/** A title cut to `max` characters at a word boundary where possible, with "…". */
export function shortLabel(title: string, max: number): string {
	const s = title.replace(/\s+/g, ' ').trim();
	if (s.length <= max) return s;
	const cut = s.slice(0, max - 1);
	const space = cut.lastIndexOf(' ');
	return (space >= max / 2 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

interface Box {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}
const boxesMeet = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const boxMeetsCircle = (b: Box, cx: number, cy: number, r: number) => {
	const nx = clamp(cx, b.x0, b.x1);
	const ny = clamp(cy, b.y0, b.y1);
	return (nx - cx) ** 2 + (ny - cy) ** 2 < r * r;
};

interface Group {
	/** Unique within one layout (a merged group gets a new one). */
	key: number;
	members: number[];
	/** Centre of the group's true positions, moved inside the plot when the group would stick out. */
	cx: number;
	cy: number;
	/** Radius of the disc the group occupies. */
	extent: number;
	/** Offsets of the members from the centre, in `members` order. */
	offsets: { dx: number; dy: number }[];
}

/**
 * Offsets for `radii.length` points around a centre so that none overlap: one point stays put; up
 * to eight sit on one circle (evenly, from the angle `start` — the top by default — clockwise in
 * SVG coordinates); more fill rings around a centre point (6, 12, 18, … a ring).
 */
export function spreadOffsets(radii: number[], gap: number, start = -Math.PI / 2): { dx: number; dy: number }[] {
	const n = radii.length;
	if (n === 1) return [{ dx: 0, dy: 0 }];
	const d = 2 * Math.max(...radii) + gap;
	const out: { dx: number; dy: number }[] = [];
	const at = (radius: number, i: number, slots: number) => {
		const a = start + (2 * Math.PI * i) / slots;
		return { dx: round1(radius * Math.cos(a)), dy: round1(radius * Math.sin(a)) };
	};
	if (n <= 8) {
		// Neighbours on a circle of radius R are 2R·sin(π/n) apart.
		const R = Math.max(d / 2, d / (2 * Math.sin(Math.PI / n)));
		for (let i = 0; i < n; i++) out.push(at(R, i, n));
		return out;
	}
	out.push({ dx: 0, dy: 0 });
	for (let ring = 1; out.length < n; ring++) {
		const slots = 6 * ring;
		const take = Math.min(slots, n - out.length);
		// A ring that is not full spreads its points evenly (still at least d apart: 2·k·d·sin(π/6k) > d).
		for (let i = 0; i < take; i++) out.push(at(ring * d, i, take));
	}
	return out;
}

/**
 * Lays out the matrix. Input order does not matter: points are ordered by count (largest first),
 * then title and id, and every decision follows that order.
 */
export function layoutMatrix(items: MatrixInput[], opts: MatrixOptions): MatrixLayout {
	const { width, height, padding } = opts;
	const minR = opts.minRadius ?? 7;
	const maxR = Math.max(minR, opts.maxRadius ?? 20);
	const gap = opts.gap ?? 3;
	const labelChars = opts.labelChars ?? 18;
	const plot = { left: padding.left, right: width - padding.right, top: padding.top, bottom: height - padding.bottom };
	const sx = (v: number) => plot.left + ((v - DOMAIN_MIN) / (DOMAIN_MAX - DOMAIN_MIN)) * (plot.right - plot.left);
	const sy = (v: number) => plot.bottom - ((v - DOMAIN_MIN) / (DOMAIN_MAX - DOMAIN_MIN)) * (plot.bottom - plot.top);

	const sorted = [...items]
		.filter((i) => Number.isFinite(i.effort) && Number.isFinite(i.benefit))
		.sort((a, b) => b.count - a.count || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const maxCount = Math.max(0, ...sorted.map((i) => i.count));
	const base = sorted.map((i) => {
		const effort = clamp(i.effort, 1, 5);
		const benefit = clamp(i.benefit, 1, 5);
		return { ...i, effort: i.effort, benefit: i.benefit, x: sx(effort), y: sy(benefit), r: pointRadius(i.count, maxCount, minR, maxR) };
	});

	// Groups start as single points; two groups whose discs meet are merged and laid out again
	// around the centre of their true positions, until no two groups meet. Each merge lowers the
	// number of groups, so this ends. A merge that would make a group larger than a quarter of the
	// plot is left out: where the plot is that crowded, the push-apart pass below takes over.
	const maxExtent = Math.max(4 * maxR, Math.min(plot.right - plot.left, plot.bottom - plot.top) / 4);
	let nextKey = 0;
	const place = (members: number[]): Group => {
		const mx = members.reduce((s, m) => s + base[m].x, 0) / members.length;
		const my = members.reduce((s, m) => s + base[m].y, 0) / members.length;
		// Members keep the order of their true positions' angles around the centre, ties (the same
		// spot) by the overall order; the circle is turned so they move as little as possible.
		const angleOf = (m: number) => {
			const dx = base[m].x - mx;
			const dy = base[m].y - my;
			return Math.hypot(dx, dy) < 0.5 ? null : Math.atan2(dy, dx);
		};
		const key = (m: number) => {
			const a = angleOf(m);
			return a === null ? Infinity : (a + Math.PI / 2 + 2 * Math.PI) % (2 * Math.PI);
		};
		const ordered = [...members].sort((a, b) => key(a) - key(b) || a - b);
		const radii = ordered.map((m) => base[m].r);
		let start = -Math.PI / 2;
		if (ordered.length > 1 && ordered.length <= 8) {
			// Turn the circle to where the members move least: with v the member's offset from the
			// centre and θ its slot's angle, the squared distances are smallest where
			// Σ v·(cos(a+θ), sin(a+θ)) = A·cos a + B·sin a is largest, at a = atan2(B, A).
			let A = 0;
			let B = 0;
			ordered.forEach((m, i) => {
				const th = (2 * Math.PI * i) / ordered.length;
				const vx = base[m].x - mx;
				const vy = base[m].y - my;
				A += vx * Math.cos(th) + vy * Math.sin(th);
				B += vy * Math.cos(th) - vx * Math.sin(th);
			});
			if (Math.hypot(A, B) > 1e-6) start = Math.atan2(B, A);
		}
		const offsets = spreadOffsets(radii, gap, start);
		const extent = Math.max(...ordered.map((m, i) => Math.hypot(offsets[i].dx, offsets[i].dy) + base[m].r));
		// The whole group moves inside the plot, so its members keep their distances.
		const cx = clamp(mx, plot.left + extent, plot.right - extent);
		const cy = clamp(my, plot.top + extent, plot.bottom - extent);
		return { key: nextKey++, members: ordered, cx, cy, extent, offsets };
	};
	// A work list: each group is checked against the others once, and again only when it is new.
	const groups = new Map<number, Group>();
	for (let i = 0; i < base.length; i++) {
		const g = place([i]);
		groups.set(g.key, g);
	}
	const refused = new Set<number>();
	const pairKey = (a: Group, b: Group) => Math.min(a.key, b.key) * 1_000_000 + Math.max(a.key, b.key);
	const queue = [...groups.keys()];
	while (queue.length) {
		const ga = groups.get(queue.shift()!);
		if (!ga) continue;
		for (const gb of groups.values()) {
			if (gb === ga) continue;
			if (Math.hypot(ga.cx - gb.cx, ga.cy - gb.cy) >= ga.extent + gb.extent + gap - 1e-9) continue;
			if (refused.has(pairKey(ga, gb))) continue;
			const both = place([...ga.members, ...gb.members].sort((x, y) => x - y));
			if (both.extent > maxExtent) {
				refused.add(pairKey(ga, gb));
				continue;
			}
			groups.delete(ga.key);
			groups.delete(gb.key);
			groups.set(both.key, both);
			queue.push(both.key);
			break;
		}
	}
	const pos = new Array<{ x: number; y: number }>(base.length);
	for (const g of groups.values()) g.members.forEach((m, i) => (pos[m] = { x: g.cx + g.offsets[i].dx, y: g.cy + g.offsets[i].dy }));

	// Push apart what still overlaps (only in crowded plots): each overlapping pair moves apart
	// along the line between them by half the overlap, everything stays inside the plot; points
	// on the very same spot part in a direction fixed by their order. Neighbours are found through
	// a grid of cells as wide as the largest distance needed. A bounded number of rounds.
	const n = base.length;
	const X = Float64Array.from(pos, (p) => p.x);
	const Y = Float64Array.from(pos, (p) => p.y);
	const R = Float64Array.from(base, (p) => p.r);
	const inside = (i: number) => {
		X[i] = clamp(X[i], plot.left + R[i], plot.right - R[i]);
		Y[i] = clamp(Y[i], plot.top + R[i], plot.bottom - R[i]);
	};
	const cell = 2 * Math.max(minR, ...R) + gap;
	const cols = Math.max(1, Math.ceil((plot.right - plot.left) / cell) + 1);
	const rowsN = Math.max(1, Math.ceil((plot.bottom - plot.top) / cell) + 1);
	const head = new Int32Array(cols * rowsN);
	const next = new Int32Array(n);
	const cx = new Int32Array(n);
	const cy = new Int32Array(n);
	for (let round = 0; round < 400; round++) {
		// Linked lists of the points in each cell (head → next → …), rebuilt every round.
		head.fill(-1);
		for (let i = n - 1; i >= 0; i--) {
			cx[i] = Math.min(cols - 1, Math.max(0, Math.floor((X[i] - plot.left) / cell)));
			cy[i] = Math.min(rowsN - 1, Math.max(0, Math.floor((Y[i] - plot.top) / cell)));
			const c = cy[i] * cols + cx[i];
			next[i] = head[c];
			head[c] = i;
		}
		let moved = false;
		for (let i = 0; i < n; i++) {
			for (let oy = -1; oy <= 1; oy++) {
				const gy = cy[i] + oy;
				if (gy < 0 || gy >= rowsN) continue;
				for (let ox = -1; ox <= 1; ox++) {
					const gx = cx[i] + ox;
					if (gx < 0 || gx >= cols) continue;
					for (let j = head[gy * cols + gx]; j !== -1; j = next[j]) {
						if (j <= i) continue;
						const need = R[i] + R[j] + gap;
						let dx = X[j] - X[i];
						let dy = Y[j] - Y[i];
						let dist = Math.sqrt(dx * dx + dy * dy);
						if (dist >= need - 1e-6) continue;
						const push = (need - dist) / 2 + 0.05;
						if (dist < 1e-6) {
							const a = (i * 7 + j * 13) * 2.399963; // golden-angle steps
							dx = Math.cos(a);
							dy = Math.sin(a);
							dist = 1;
						}
						X[i] -= (dx / dist) * push;
						Y[i] -= (dy / dist) * push;
						X[j] += (dx / dist) * push;
						Y[j] += (dy / dist) * push;
						inside(i);
						inside(j);
						moved = true;
					}
				}
			}
		}
		if (!moved) break;
	}
	for (let i = 0; i < n; i++) pos[i] = { x: X[i], y: Y[i] };

	const points: MatrixPoint[] = base.map((p, i) => ({
		id: p.id,
		title: p.title,
		effort: p.effort,
		benefit: p.benefit,
		count: p.count,
		flagged: p.flagged,
		cx: round1(pos[i].x),
		cy: round1(pos[i].y),
		trueX: round1(p.x),
		trueY: round1(p.y),
		r: round1(p.r),
		label: null
	}));

	const midX = round1(sx(3));
	const midY = round1(sy(3));
	const quadrants: MatrixLayout['quadrants'] = [
		{ key: 'highBenefitLowEffort', x: plot.left + 6, y: plot.top + 16, anchor: 'start' },
		{ key: 'highBenefitHighEffort', x: plot.right - 6, y: plot.top + 16, anchor: 'end' },
		{ key: 'lowBenefitLowEffort', x: plot.left + 6, y: plot.bottom - 8, anchor: 'start' },
		{ key: 'lowBenefitHighEffort', x: plot.right - 6, y: plot.bottom - 8, anchor: 'end' }
	];
	// Labels: the largest points first; beside, then above or below; never over a point, another
	// label, a quadrant label or the plot's edge. No room → no label (the link and table name it).
	const taken: Box[] = quadrants.map((q) => {
		const w = (opts.quadrantLabels?.[q.key].length ?? 30) * QUADRANT_CHAR_W;
		return { x0: q.anchor === 'start' ? q.x : q.x - w, x1: q.anchor === 'start' ? q.x + w : q.x, y0: q.y - 13, y1: q.y + 4 };
	});
	for (const p of points) {
		const text = shortLabel(p.title, labelChars);
		if (!text) continue;
		const w = text.length * LABEL_CHAR_W;
		const candidates: MatrixLabel[] = [
			{ x: p.cx + p.r + 4, y: p.cy + 4, anchor: 'start', text },
			{ x: p.cx - p.r - 4, y: p.cy + 4, anchor: 'end', text },
			{ x: p.cx, y: p.cy - p.r - 5, anchor: 'middle', text },
			{ x: p.cx, y: p.cy + p.r + LABEL_H, anchor: 'middle', text }
		];
		for (const c of candidates) {
			const x0 = c.anchor === 'start' ? c.x : c.anchor === 'end' ? c.x - w : c.x - w / 2;
			const box: Box = { x0, x1: x0 + w, y0: c.y - LABEL_H + 3, y1: c.y + 3 };
			if (box.x0 < plot.left + 2 || box.x1 > plot.right - 2 || box.y0 < plot.top + 2 || box.y1 > plot.bottom - 2) continue;
			if (taken.some((t) => boxesMeet(t, box))) continue;
			if (points.some((o) => boxMeetsCircle(box, o.cx, o.cy, o.r + 1))) continue;
			p.label = { ...c, x: round1(c.x), y: round1(c.y) };
			taken.push(box);
			break;
		}
	}

	return {
		width,
		height,
		plot,
		midX,
		midY,
		xTicks: [1, 2, 3, 4, 5].map((value) => ({ value, x: round1(sx(value)) })),
		yTicks: [1, 2, 3, 4, 5].map((value) => ({ value, y: round1(sy(value)) })),
		quadrants,
		points,
		sizes: [...new Set([Math.min(...sorted.map((i) => i.count)), maxCount])]
			.filter((c) => sorted.length > 0 && c > 0)
			.map((count) => ({ count, r: round1(pointRadius(count, maxCount, minR, maxR)) }))
	};
}

// ---------------------------------------------------------------------------------------------
// Data

/** At most this many offers are drawn (the most assessed first); the page says when more exist. */
export const MATRIX_CAP = 300;
/** At most this many partner-only offers are listed under the chart. */
export const PARTNER_ONLY_CAP = 100;

export interface MatrixFilter {
	kind?: OfferKind;
	theme?: OfferTheme;
	includeArchived?: boolean;
}

export interface MatrixItem {
	id: string;
	title: string;
	provider: string;
	kind: OfferKind;
	archived: boolean;
	aggregate: OfferAggregate;
}

export interface MatrixData {
	/** Offers with at least one current town assessment (at most MATRIX_CAP). */
	items: MatrixItem[];
	/** How many offers match with town assessments (more than items.length when capped). */
	total: number;
	capped: boolean;
	/** Offers assessed only by partner organisations, shown apart under the chart. */
	partnerOnly: MatrixItem[];
	partnerOnlyTotal: number;
}

/** The filter from URL parameters (?art=, ?handlungsfeld=, ?archiv=1); unknown values are ignored. */
export function matrixFilterFromUrl(url: URL): MatrixFilter {
	const kind = url.searchParams.get('art') ?? '';
	const theme = url.searchParams.get('handlungsfeld') ?? '';
	return {
		kind: (OFFER_KINDS as readonly string[]).includes(kind) ? (kind as OfferKind) : undefined,
		theme: (OFFER_THEMES as readonly string[]).includes(theme) ? (theme as OfferTheme) : undefined,
		includeArchived: url.searchParams.get('archiv') === '1'
	};
}

export async function matrixData(actor: Actor, networkId: string, filter: MatrixFilter = {}): Promise<MatrixData> {
	if (!canOffer(actor, 'offer.read', { networkId })) throw new ForbiddenError();
	const kind = filter.kind && (OFFER_KINDS as readonly string[]).includes(filter.kind) ? filter.kind : undefined;
	const theme = filter.theme && (OFFER_THEMES as readonly string[]).includes(filter.theme) ? filter.theme : undefined;
	const where = and(
		eq(offers.networkId, networkId),
		kind ? eq(offers.kind, kind) : undefined,
		theme ? sql`${theme}::field_theme = any(${offers.themes})` : undefined,
		filter.includeArchived ? undefined : isNull(offers.archivedAt)
	);
	const townCount = sql<number>`count(*) filter (where ${offerAssessments.bodyId} is not null)`;
	const select = (having: SQL, limit: number) =>
		db()
			.select({
				id: offers.id,
				title: offers.title,
				provider: offers.provider,
				kind: offers.kind,
				archivedAt: offers.archivedAt,
				towns: sql<number>`${townCount}::int`,
				total: sql<number>`(count(*) over ())::int`
			})
			.from(offers)
			.innerJoin(
				offerAssessments,
				and(eq(offerAssessments.offerId, offers.id), eq(offerAssessments.networkId, networkId), eq(offerAssessments.isCurrent, true))
			)
			.where(where)
			.groupBy(offers.id)
			.having(having)
			.orderBy(desc(townCount), asc(offers.title), asc(offers.id))
			.limit(limit);
	const [townRows, partnerRows] = await Promise.all([select(sql`${townCount} > 0`, MATRIX_CAP), select(sql`${townCount} = 0`, PARTNER_ONLY_CAP)]);
	const aggregates = await aggregatesFor(networkId, [...townRows, ...partnerRows].map((r) => r.id));
	const toItem = (r: (typeof townRows)[number]): MatrixItem | null => {
		const aggregate = aggregates.get(r.id);
		return aggregate
			? { id: r.id, title: r.title, provider: r.provider, kind: r.kind, archived: r.archivedAt !== null, aggregate }
			: null;
	};
	const total = Number(townRows[0]?.total ?? 0);
	return {
		items: townRows.map(toItem).filter((i): i is MatrixItem => i !== null),
		total,
		capped: total > townRows.length,
		partnerOnly: partnerRows.map(toItem).filter((i): i is MatrixItem => i !== null),
		partnerOnlyTotal: Number(partnerRows[0]?.total ?? 0)
	};
}

/** The matrix's points from the data: the towns' means (offers without them are left out). */
export function matrixInputs(items: MatrixItem[]): MatrixInput[] {
	return items
		.filter((i) => i.aggregate.towns.count > 0 && i.aggregate.towns.effortMean !== null && i.aggregate.towns.benefitMean !== null)
		.map((i) => ({
			id: i.id,
			title: i.title,
			effort: i.aggregate.towns.effortMean as number,
			benefit: i.aggregate.towns.benefitMean as number,
			count: i.aggregate.towns.count,
			flagged: i.aggregate.flagged
		}));
}
