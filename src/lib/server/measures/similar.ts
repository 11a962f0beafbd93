// "Who else does this": measures of other towns in the same theme whose text resembles this one,
// ranked by PostgreSQL's German full-text ranking against the measure's own words.
import { and, asc, desc, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, fieldsOfAction, measures } from '../db/schema';
import type { Actor } from '../auth/actor';
import { NotFoundError } from '../errors';
import { canMeasure, canReadMeasure } from './permissions';
import { loadMeasure, type MeasureStatus } from './measures';

export interface SimilarMeasure {
	id: string;
	code: string;
	title: string;
	bodyName: string;
	bodyAgs: string;
	status: MeasureStatus;
	/** Similarity relative to the measure itself: 1 would be the same text, MIN_SIMILARITY the floor. */
	rank: number;
}

/**
 * Below this share of the source's own score a match is noise (one common word such as
 * "Umsetzung" in a long description), so the list stays empty rather than suggesting it.
 */
export const MIN_SIMILARITY = 0.08;
const MAX_WORDS = 40;

/**
 * The source's words as an OR of German stem prefixes, for to_tsquery('german', …).
 *
 * Why prefixes and the variant without a final "n": PostgreSQL 15's German stemmer keeps a final
 * n that 18's (PGlite) drops ("Fördermitteln" → fordermitteln vs. fordermittel). A prefix query
 * for "fordermittel" matches both; the trimmed variant lets "Fördermitteln" in the source find
 * "Fördermittel" elsewhere on 15. Only letters and digits pass, so no operator reaches the parser.
 * Title words come first: with the cap, long descriptions cannot crowd the title out.
 */
export function similarityQuery(title: string, description: string, maxWords = MAX_WORDS): string | null {
	const seen = new Set<string>();
	const terms: string[] = [];
	for (const w of `${title} ${description}`.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []) {
		if (w.length < 3) continue;
		const key = w.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		terms.push(`${key}:*`);
		if (key.length >= 6 && key.endsWith('n')) terms.push(`${key.slice(0, -1)}:*`);
		if (seen.size >= maxWords) break;
	}
	return terms.length ? terms.join(' | ') : null;
}

/**
 * Measures of other bodies of the same network in the same theme (all themes when the source has
 * no field of action), most similar first. Internal measures only for the working area; the
 * source itself must be readable (404 otherwise).
 */
export async function similarMeasures(
	actor: Actor,
	networkId: string,
	measureId: string,
	opts: { limit?: number } = {}
): Promise<SimilarMeasure[]> {
	const source = await loadMeasure(db(), networkId, measureId);
	if (!canReadMeasure(actor, source)) throw new NotFoundError();
	const q = similarityQuery(source.title, source.description);
	if (!q) return [];
	const limit = Math.min(Math.max(1, Math.trunc(opts.limit ?? 5)), 50);
	const inArea = canMeasure(actor, 'measure.read', { networkId });

	const [theme] = source.fieldId
		? await db().select({ theme: fieldsOfAction.theme }).from(fieldsOfAction).where(eq(fieldsOfAction.id, source.fieldId))
		: [];

	const tsq = sql`to_tsquery('german', ${q})`;
	// The source's score against its own words: ts_rank divides by the number of query terms, so
	// absolute ranks shrink with longer sources; relative to this they are comparable.
	const [self] = await db()
		.select({ rank: sql<number>`ts_rank(${measures.search}, ${tsq})` })
		.from(measures)
		.where(eq(measures.id, source.id));
	const selfRank = Number(self?.rank ?? 0);
	if (!(selfRank > 0)) return [];

	const rank = sql<number>`ts_rank(${measures.search}, ${tsq}) / ${selfRank}::float8`;
	const rows = await db()
		.select({
			id: measures.id,
			code: measures.code,
			title: measures.title,
			bodyName: bodies.name,
			bodyAgs: bodies.ags,
			status: measures.status,
			rank
		})
		.from(measures)
		.innerJoin(bodies, eq(bodies.id, measures.bodyId))
		.leftJoin(fieldsOfAction, eq(fieldsOfAction.id, measures.fieldId))
		.where(
			and(
				eq(measures.networkId, networkId),
				ne(measures.bodyId, source.bodyId),
				inArea ? undefined : eq(measures.isPublic, true),
				theme ? eq(fieldsOfAction.theme, theme.theme) : undefined,
				// Copies of this measure and its own original are listed on the page already.
				or(isNull(measures.copiedFromId), ne(measures.copiedFromId, source.id)),
				source.copiedFromId ? ne(measures.id, source.copiedFromId) : undefined,
				// @@ lets the GIN index on measures.search pick the candidates.
				sql`${measures.search} @@ ${tsq}`,
				sql`ts_rank(${measures.search}, ${tsq}) >= ${selfRank * MIN_SIMILARITY}::float8`
			)
		)
		.orderBy(desc(rank), asc(bodies.name), asc(measures.code))
		.limit(limit);
	return rows.map((r) => ({ ...r, rank: Math.round(Number(r.rank) * 1000) / 1000 }));
}
