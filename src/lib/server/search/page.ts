// The search page's load, shared by the working area (/<netz>/intern/suche) and the portal
// (/<netz>/suche): URL → options, the search, and a bad query as a message beside the field
// (status 200, the query kept) instead of an error page.
import type { Actor } from '../auth/actor';
import { ValidationError } from '../errors';
import { bodyOptions } from '../network/bodies';
import { clampPage } from '../network/directory-pages';
import { pageParam } from '../paging';
import { search, type SearchResult } from './service';

export interface SearchFilter {
	/** null: the page was opened without a search (only the form is shown). */
	q: string | null;
	kinds: string[];
	/** AGS of the chosen municipality ('' for all), as in the other lists' `kommune` parameter. */
	ags: string;
	page: number;
}

/** ?q=…&art=…&art=…&kommune=<AGS>&seite=N */
export function searchFilterFromUrl(url: URL): SearchFilter {
	const p = url.searchParams;
	return {
		q: p.get('q'),
		kinds: p.getAll('art').filter(Boolean).slice(0, 20),
		ags: (p.get('kommune') ?? '').trim().slice(0, 12),
		page: pageParam(url)
	};
}

export interface SearchPageData {
	filter: SearchFilter;
	/** Message key for a bad query, shown beside the field. */
	error: string | null;
	result: SearchResult | null;
	bodies: { name: string; ags: string }[];
}

export async function loadSearchPage(actor: Actor, network: { id: string }, url: URL): Promise<SearchPageData> {
	const filter = searchFilterFromUrl(url);
	const all = await bodyOptions(actor, network.id);
	const bodies = all.map(({ name, ags }) => ({ name, ags }));
	// An unknown AGS (another network's, a typo) means no municipality filter.
	const bodyId = (filter.ags && all.find((b) => b.ags === filter.ags)?.id) || null;
	if (!bodyId) filter.ags = '';
	if (filter.q === null) return { filter, error: null, result: null, bodies };
	try {
		const result = await search(actor, network.id, { q: filter.q, kinds: filter.kinds, bodyId, page: filter.page });
		// A page past the end (an old link, a forged ?seite=) goes to the last one, like every list.
		clampPage(url, result);
		return { filter, error: null, result, bodies };
	} catch (e) {
		if (e instanceof ValidationError) return { filter, error: e.fieldErrors.q ?? 'search.error.empty', result: null, bodies };
		throw e;
	}
}
