// Scale helpers shared by the server-rendered SVG charts (indicators, balances): a value axis with
// "nice" ticks, a year axis with a sensible label spacing, and the ink colours the charts use.
// Pure functions, so the charts stay markup and these stay tested.

/** Text, grid and axis colours: text on white is 15:1, the axis line 6:1 (WCAG 1.4.3/1.4.11). */
export const INK = { text: '#171a2b', grid: '#d9dbe3', axis: '#5c5f6e' } as const;

/** Step of 1, 2 or 5 times a power of ten, giving about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
	const raw = span / count;
	const mag = 10 ** Math.floor(Math.log10(raw));
	const n = raw / mag;
	return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

export interface ValueAxis {
	min: number;
	max: number;
	step: number;
	ticks: number[];
	/** Fraction digits the tick labels need (0 for steps of 1 and more). */
	digits: number;
}

/**
 * A value axis over `values` with about `count` intervals. `zero: 'near'` includes zero when the
 * data are near it relative to their spread (line charts, so changes are not exaggerated);
 * `'always'` always includes it (bars must start at zero to be compared by length).
 */
export function valueAxis(values: number[], opts: { count?: number; zero?: 'near' | 'always' } = {}): ValueAxis {
	const count = opts.count ?? 5;
	const finite = values.filter((v) => Number.isFinite(v));
	let lo = finite.length ? Math.min(...finite) : 0;
	let hi = finite.length ? Math.max(...finite) : 0;
	if (opts.zero === 'always') {
		lo = Math.min(lo, 0);
		hi = Math.max(hi, 0);
	}
	if (lo === hi) {
		// With zero included, equal ends mean every value is 0: show 0 to 1.
		const d = Math.abs(lo) * 0.1 || 1;
		if (opts.zero === 'always') hi = 1;
		else {
			lo -= d;
			hi += d;
		}
	}
	// Show zero when the data are near it relative to their spread, so changes are not exaggerated.
	if (lo > 0 && lo < hi - lo) lo = 0;
	if (hi < 0 && -hi < hi - lo) hi = 0;
	const step = niceStep(hi - lo, count);
	const min = Math.floor(lo / step + 1e-9) * step;
	const max = Math.ceil(hi / step - 1e-9) * step;
	const digits = Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
	const ticks: number[] = [];
	// Counted, not accumulated: with values near 1e15 a small step would not move v at all.
	const n = Math.min(20, Math.round((max - min) / step));
	for (let i = 0; i <= n; i++) {
		const v = min + i * step;
		ticks.push(Math.abs(v) < step / 1e6 ? 0 : v);
	}
	return { min, max, step, ticks, digits };
}

/** Maps [d0, d1] linearly onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
	if (d1 === d0) return () => (r0 + r1) / 2;
	return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Room in px for the longest label at 12 px type (about 7.5 px a character), at least `min`. */
export function labelRoom(labels: string[], min = 48): number {
	return Math.max(min, Math.max(0, ...labels.map((l) => l.length)) * 7.5 + 18);
}

/** Years to label on an axis from `first` to `last`: every 1, 2, 5, 10, … years, at most `max` labels. */
export function yearTicks(first: number, last: number, max = 8): number[] {
	const span = Math.max(0, last - first);
	const every = [1, 2, 5, 10, 20, 25, 50].find((s) => span / s <= max) ?? 100;
	const out: number[] = [];
	for (let y = Math.ceil(first / every) * every; y <= last; y += every) out.push(y);
	return out;
}

/** "x1,y1 x2,y2 …" for a polyline. */
export function polylinePoints(points: { x: number; y: number }[]): string {
	return points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/** A diamond marker (path data) around (cx, cy): the shape of goals and target points. */
export function diamond(cx: number, cy: number, r: number): string {
	return `M${cx} ${cy - r} L${cx + r} ${cy} L${cx} ${cy + r} L${cx - r} ${cy} Z`;
}
