// Side-by-side comparison of two to four offers of a network (?id=…&id=…), and the offers to pick
// from when no ids are given. Bad input (too few or too many ids, malformed or unknown ones, offers
// of another network) is a ValidationError with a message key for the page, never a server error;
// another network's offer is "not found", whether it exists or not.
import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { db } from '../db/client';
import type { Actor } from '../auth/actor';
import { ForbiddenError, ValidationError } from '../errors';
import { isUuid, likePattern } from '../network/directory-shared';
import { prefixQuery } from '../search/tsquery';
import { pageOpts } from '../paging';
import { offers } from './schema';
import { canOffer } from './permissions';
import { aggregatesFor, type OfferAggregate } from './aggregates';

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;
/** Offers offered for picking on one page of the form. */
export const CHOICES_PAGE_SIZE = 50;

export interface CompareOffer {
	id: string;
	title: string;
	provider: string;
	kind: (typeof offers.$inferSelect)['kind'];
	priceModel: (typeof offers.$inferSelect)['priceModel'];
	costMin: number | null;
	costMax: number | null;
	themes: (typeof offers.$inferSelect)['themes'];
	url: string;
	archived: boolean;
	isDemo: boolean;
	aggregate: OfferAggregate;
}

/** Parameters beyond this many are not looked at: the list is "too many" without parsing them. */
const MAX_PARAMS = 20;
/**
 * Ticked offers the picker keeps while paging and searching: more than COMPARE_MAX, so a person who
 * ticked too many gets the message when comparing instead of losing some silently.
 */
export const PICK_KEEP_MAX = MAX_PARAMS;

/** The ids as given (trimmed, lower case, each once, in order; empty values dropped). */
export function compareIds(raw: string[]): string[] {
	const out: string[] = [];
	for (const v of raw.slice(0, MAX_PARAMS)) {
		const id = v.trim().toLowerCase();
		if (id && !out.includes(id)) out.push(id);
	}
	return out;
}

/** Refuses bad id lists with the message key under `id`; returns the offers in the order asked. */
export async function compareOffers(actor: Actor, networkId: string, rawIds: string[]): Promise<CompareOffer[]> {
	if (!canOffer(actor, 'offer.read', { networkId })) throw new ForbiddenError();
	const ids = compareIds(rawIds);
	if (rawIds.length > MAX_PARAMS || ids.length > COMPARE_MAX) throw new ValidationError({ id: 'offerViews.compare.tooMany' });
	if (ids.length < COMPARE_MIN) throw new ValidationError({ id: 'offerViews.compare.tooFew' });
	if (ids.some((id) => !isUuid(id))) throw new ValidationError({ id: 'offerViews.compare.malformed' });
	const rows = await db()
		.select()
		.from(offers)
		.where(and(eq(offers.networkId, networkId), inArray(offers.id, ids)));
	if (rows.length !== ids.length) throw new ValidationError({ id: 'offerViews.compare.notFound' });
	const aggregates = await aggregatesFor(networkId, ids);
	return ids.map((id) => {
		const o = rows.find((r) => r.id === id)!;
		return {
			id: o.id,
			title: o.title,
			provider: o.provider,
			kind: o.kind,
			priceModel: o.priceModel,
			costMin: o.costMin,
			costMax: o.costMax,
			themes: o.themes,
			url: o.url,
			archived: o.archivedAt !== null,
			isDemo: o.isDemo,
			aggregate: aggregates.get(id)!
		};
	});
}

export interface CompareChoice {
	id: string;
	title: string;
	provider: string;
	kind: CompareOffer['kind'];
	archived: boolean;
}

/**
 * Offers to pick for a comparison: the current (not archived) offers by title, filtered by words of
 * title, provider or description; plus any offer named in `keep` (ticked before), so a search does
 * not lose a choice.
 */
export async function compareChoices(
	actor: Actor,
	networkId: string,
	opts: { q?: string; page?: number; keep?: string[] } = {}
): Promise<{ items: CompareChoice[]; kept: CompareChoice[]; total: number; page: number; pageSize: number }> {
	if (!canOffer(actor, 'offer.read', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts({ page: opts.page, pageSize: CHOICES_PAGE_SIZE }, CHOICES_PAGE_SIZE);
	const q = opts.q?.replace(/\0/g, '').trim().slice(0, 200) ?? '';
	const tsq = q ? prefixQuery(q) : null;
	const where = and(
		eq(offers.networkId, networkId),
		isNull(offers.archivedAt),
		q ? or(tsq ? sql`${offers.search} @@ to_tsquery('german', ${tsq})` : undefined, ilike(offers.title, likePattern(q))) : undefined
	);
	const cols = { id: offers.id, title: offers.title, provider: offers.provider, kind: offers.kind, archivedAt: offers.archivedAt };
	const keep = compareIds(opts.keep ?? [])
		.filter(isUuid)
		.slice(0, PICK_KEEP_MAX);
	const [rows, [{ n }], keptRows] = await Promise.all([
		db().select(cols).from(offers).where(where).orderBy(asc(offers.title), asc(offers.id)).limit(pageSize).offset(offset),
		db().select({ n: sql<number>`count(*)::int` }).from(offers).where(where),
		keep.length
			? db()
					.select(cols)
					.from(offers)
					.where(and(eq(offers.networkId, networkId), inArray(offers.id, keep)))
					.orderBy(asc(offers.title), asc(offers.id))
			: Promise.resolve([])
	]);
	const choice = (r: (typeof rows)[number]): CompareChoice => ({ id: r.id, title: r.title, provider: r.provider, kind: r.kind, archived: r.archivedAt !== null });
	const listed = new Set(rows.map((r) => r.id));
	return {
		items: rows.map(choice),
		kept: keptRows.filter((r) => !listed.has(r.id)).map(choice),
		total: Number(n),
		page,
		pageSize
	};
}
