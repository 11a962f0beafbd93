// Pagination shared by every list: numbers from URLs are floored and capped before they reach
// LIMIT/OFFSET (a fractional or huge offset would make the database throw).

export function pageOpts(opts: { page?: number; pageSize?: number }, defaultSize = 25, maxSize = 100) {
	const pageSize = Math.min(Math.max(1, Math.floor(Number.isFinite(opts.pageSize) ? (opts.pageSize as number) : defaultSize)), maxSize);
	const raw = Number.isFinite(opts.page) ? Math.floor(opts.page as number) : 1;
	const page = Math.min(Math.max(1, raw), 100_000);
	return { page, pageSize, offset: (page - 1) * pageSize };
}

/** ?seite=N (or another parameter) → N; 1 when missing or nonsense. */
export function pageParam(url: URL, name = 'seite'): number {
	const n = Number(url.searchParams.get(name));
	return Number.isInteger(n) && n > 0 && n < 100_000 ? n : 1;
}
