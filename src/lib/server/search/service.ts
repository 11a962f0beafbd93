// One search across everything a person may see: the registered sources (registry.ts) are joined
// with UNION ALL, ranked by Postgres full-text search (German configuration), paginated, counted
// per kind, and only the rows of the page get a highlighted snippet. The service never names a
// module; each source brings its own tables and read rule.
//
// Queries per search: one grouped count (every kind, for the filter) and one page query whose
// outer SELECT runs ts_headline on the ≤ 20 rows the inner LIMIT left.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor';
import { db, query } from '../db/client';
import { networks } from '../db/schema';
import { NotFoundError, ValidationError } from '../errors';
import { isUuid } from '../ids';
import { canNetwork } from '../network/permissions';
import { getNetworkBySlug } from '../network/networks';
import { pageOpts } from '../paging';
import { hitSelectList, searchSources, type SearchScope, type SearchSource } from './registry';
import { HEADLINE_OPTIONS, MARK_START, MARK_STOP, snippetHtml } from './snippet';
import { prefixQuery } from './tsquery';

export const MAX_QUERY_LENGTH = 200;
export const PAGE_SIZE = 20;

/**
 * The user's words → a tsquery text for to_tsquery('german', …). Every word is a stem prefix
 * (tsquery.ts), so "Fördermittel" also finds "Fördermitteln" and "Fördermittels". Only letters and
 * digits pass: `'" OR 1=1 --` is the words "OR" and "1"… as a bound parameter, never SQL.
 * Throws ValidationError({ q: messageKey }).
 */
export function parseSearchQuery(q: string | null | undefined): string {
	const text = (q ?? '').trim();
	if (!text) throw new ValidationError({ q: 'search.error.empty' });
	if (text.length > MAX_QUERY_LENGTH) throw new ValidationError({ q: 'search.error.tooLong' });
	const tsq = prefixQuery(text);
	if (!tsq) throw new ValidationError({ q: 'search.error.noWord' });
	return tsq;
}

export interface SearchOptions {
	q: string | null | undefined;
	/** Only these kinds (unknown ones are ignored; none or only unknown: every kind). */
	kinds?: string[];
	/** Only hits of this municipality (sources without municipalities drop out). */
	bodyId?: string | null;
	page?: number;
}

export interface SearchHit {
	kind: string;
	labelKey: string;
	id: string;
	title: string;
	/** Escaped text with <mark> around the hits (snippet.ts); may be rendered with {@html}. */
	snippetHtml: string;
	href: string;
	bodyId: string | null;
	bodyName: string | null;
	at: Date | null;
}

export interface KindCount {
	kind: string;
	labelKey: string;
	count: number;
}

export interface SearchResult {
	q: string;
	hits: SearchHit[];
	/** Hits of the selected kinds (all pages). */
	total: number;
	page: number;
	pageSize: number;
	/** Hits per kind the actor may see, whatever kind is selected (for the filter). */
	counts: KindCount[];
	/** The selected kinds that exist (empty: all). */
	kinds: string[];
	/** Kinds the actor could see that have no municipality and so drop out while one is chosen. */
	withoutBody: { kind: string; labelKey: string }[];
}

interface Row {
	kind: string;
	id: string;
	title: string;
	ref: string | null;
	body_id: string | null;
	body_name: string | null;
	at: Date | string | null;
	snippet: string | null;
}

async function networkOf(slugOrId: string) {
	if (!isUuid(slugOrId)) return getNetworkBySlug(slugOrId);
	const [n] = await db().select().from(networks).where(eq(networks.id, slugOrId));
	if (!n) throw new NotFoundError();
	return n;
}

/** Removes our highlight markers from a text before ts_headline adds its own. */
const unmarked = (text: SQL) => sql`translate(${text}, ${MARK_START + MARK_STOP}, '')`;

export async function search(actor: Actor, networkSlugOrId: string, opts: SearchOptions): Promise<SearchResult> {
	const tsq = parseSearchQuery(opts.q);
	const network = await networkOf(networkSlugOrId);
	const bodyId = isUuid(opts.bodyId) ? opts.bodyId : null;
	const scope: SearchScope = { actor, networkId: network.id, query: sql`to_tsquery('german', ${tsq})`, bodyId };

	// Every source the actor may see something of (and, with a municipality, that has one).
	const visible: { source: SearchSource; from: SQL; list: SQL }[] = [];
	const withoutBody: SearchResult['withoutBody'] = [];
	for (const source of searchSources()) {
		if (bodyId && !source.byBody) {
			if (source.select({ ...scope, bodyId: null })) withoutBody.push({ kind: source.kind, labelKey: source.labelKey });
			continue;
		}
		const sel = source.select(scope);
		if (sel) visible.push({ source, from: sel.from, list: hitSelectList(source.kind, sel.columns) });
	}
	const known = new Set(visible.map((v) => v.source.kind));
	const kinds = [...new Set((opts.kinds ?? []).filter((k) => known.has(k)))];
	const chosen = kinds.length ? visible.filter((v) => kinds.includes(v.source.kind)) : visible;
	const { page, pageSize, offset } = pageOpts({ page: opts.page, pageSize: PAGE_SIZE }, PAGE_SIZE, PAGE_SIZE);

	const empty: SearchResult = { q: (opts.q ?? '').trim(), hits: [], total: 0, page, pageSize, counts: [], kinds, withoutBody };
	if (!visible.length) return empty;

	// Counts: the branches select only their kind, so no rank or text is computed for them.
	const countUnion = sql.join(
		visible.map((v) => sql`(select ${v.source.kind}::text as kind ${v.from})`),
		sql` union all `
	);
	const countRows = await query<{ kind: string; n: number | string }>(sql`select kind, count(*) as n from (${countUnion}) u group by kind`);
	const byKind = new Map(countRows.map((r) => [r.kind, Number(r.n)]));
	const counts = visible.map((v) => ({ kind: v.source.kind, labelKey: v.source.labelKey, count: byKind.get(v.source.kind) ?? 0 }));
	const total = chosen.reduce((s, v) => s + (byKind.get(v.source.kind) ?? 0), 0);
	if (!total || offset >= total) return { ...empty, counts, total };

	// The page: rank first (titles weigh more), then newer first; kind and id make the order total,
	// so pages neither repeat nor skip a hit. ts_headline runs in the outer query: on this page only.
	const hitUnion = sql.join(
		chosen.map((v) => sql`(select ${v.list} ${v.from})`),
		sql` union all `
	);
	const rows = await query<Row>(sql`
		select h.kind, h.id, h.title, h.ref, h.body_id, b.name as body_name, h.at,
			ts_headline('german', ${unmarked(sql`h.text`)}, ${scope.query}, ${HEADLINE_OPTIONS}) as snippet
		from (
			select * from (${hitUnion}) u
			order by u.rank desc, u.at desc nulls last, u.kind, u.id
			limit ${pageSize} offset ${offset}
		) h
		left join bodies b on b.id = h.body_id and b.network_id = ${network.id}
		order by h.rank desc, h.at desc nulls last, h.kind, h.id`);

	const sourceOf = new Map(chosen.map((v) => [v.source.kind, v.source]));
	const ctx = { slug: network.slug, internal: canNetwork(actor, 'network.enter', { networkId: network.id }) };
	const hits = rows.map((r): SearchHit => {
		const source = sourceOf.get(r.kind)!;
		return {
			kind: r.kind,
			labelKey: source.labelKey,
			id: r.id,
			title: r.title,
			snippetHtml: snippetHtml(r.snippet),
			href: source.href({ id: r.id, ref: r.ref }, ctx),
			bodyId: r.body_id,
			bodyName: r.body_name,
			at: r.at === null ? null : new Date(r.at)
		};
	});
	return { ...empty, hits, counts, total };
}
