// The search registry: each module declares what it contributes to the one search page, as a SQL
// fragment over its own tables. The service (service.ts) unions the fragments of every registered
// source without knowing a single table, so a new module plugs in by registering a source.
//
// Why SQL and not a JS filter afterwards: the read rule of a source must sit in the query itself,
// so LIMIT/OFFSET and the per-kind counts only ever see rows the actor may open. A person never
// sees a hit – nor a count of hits – they could not open.
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor';

/** What a source's fragment is built for. */
export interface SearchScope {
	actor: Actor;
	networkId: string;
	/** The user's words as a tsquery expression (`to_tsquery('german', $1)`, a bound parameter). */
	query: SQL;
	/** Only hits of this municipality; sources without municipalities are not asked while it is set. */
	bodyId: string | null;
}

/**
 * The uniform columns of a hit. Each is a SQL expression over the source's FROM clause; the
 * registry casts them, so every branch of the UNION has the same types in the same order.
 */
export interface HitColumns {
	id: SQL;
	title: SQL;
	/** The text the snippet is cut from (Markdown is fine; the service strips it roughly). */
	text: SQL;
	/** Usually `ts_rank_cd(search, query, 1)`: weight A (titles) outranks the body. */
	rank: SQL;
	/** The municipality shown beside the hit (and filtered by), or null. */
	bodyId: SQL | null;
	/** The date shown and used to order equally ranked hits (newer first). */
	at: SQL;
	/** Whatever else `href` needs (a thread id, an AGS …). */
	ref?: SQL;
}

export interface SearchSelect {
	columns: HitColumns;
	/**
	 * `FROM … WHERE …`: the match (`search @@ query`), the network (`network_id = …`), the actor's
	 * read rule and, when `scope.bodyId` is set, the municipality.
	 */
	from: SQL;
}

/** A hit as `href` sees it. */
export interface HitRef {
	id: string;
	ref: string | null;
}

export interface LinkContext {
	slug: string;
	/** The actor works in the network: link the working area's pages, otherwise the portal's. */
	internal: boolean;
}

export interface SearchSource {
	/** Unique, also the value of the kind filter in URLs (`?art=measure`). */
	kind: string;
	/** Message key of the kind's label in the result list and the filter (plural). */
	labelKey: string;
	/** Hits belong to a municipality, so the source stays while the municipality filter is set. */
	byBody: boolean;
	/** The fragment for this actor, or null when the actor may see nothing of this kind. */
	select(scope: SearchScope): SearchSelect | null;
	/** The page a hit opens. */
	href(hit: HitRef, ctx: LinkContext): string;
}

const sources = new Map<string, SearchSource>();

export function registerSearchSource(def: SearchSource) {
	// Same rule as registerRecordType: the dev server's hot reload registers fresh definitions of
	// the same kinds (the newer wins); anywhere else a kind registered twice is a bug.
	if (sources.has(def.kind) && sources.get(def.kind) !== def && !import.meta.env?.DEV) {
		throw new Error(`search source ${def.kind} registered twice`);
	}
	sources.set(def.kind, def);
}

/** Removes a source (tests that register their own). */
export function unregisterSearchSource(kind: string) {
	sources.delete(kind);
}

export function searchSource(kind: string): SearchSource | undefined {
	return sources.get(kind);
}

export function searchSources(): SearchSource[] {
	return [...sources.values()];
}

/** The SELECT list of one branch, in the order and with the types every branch shares. */
export function hitSelectList(kind: string, c: HitColumns): SQL {
	return sql`${kind}::text as kind, (${c.id})::text as id, (${c.title})::text as title, (${c.text})::text as text,
		(${c.rank})::float8 as rank, (${c.bodyId ?? sql`null`})::uuid as body_id, (${c.at})::timestamptz as at,
		(${c.ref ?? sql`null`})::text as ref`;
}
