// Aggregates of the current assessments of offers: mean, range and number of ratings, which towns
// use an offer, and the "discuss at the next meeting" flag when the towns' benefit ratings disagree.
// Towns (body_id) and partner organisations (partner_id) are counted apart; the flag, the matrix and
// the list use the towns' figures, partners are shown separately.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies } from '../network/schema';
import type { Recommendation } from '$lib/offers/enums';
import { offerAssessments, offers } from './schema';

/** Benefit ratings of the towns that differ by this much or more are flagged for discussion. */
export const DISAGREEMENT_SPREAD = 2;

export type { Recommendation };

export interface RatingStats {
	count: number;
	effortMean: number | null;
	benefitMean: number | null;
	effortMin: number | null;
	effortMax: number | null;
	benefitMin: number | null;
	benefitMax: number | null;
	/** max − min */
	benefitSpread: number | null;
	effortSpread: number | null;
	/** Mean of the stated actual costs (euros); null when nobody stated one. */
	costMean: number | null;
	recommend: { yes: number; no: number; reservations: number };
}

export interface OfferAggregate {
	offerId: string;
	towns: RatingStats;
	partners: RatingStats;
	/** Names of the municipalities with a current assessment, sorted */
	townNames: string[];
	/** Newest current assessment of anyone (towns or partners). */
	lastAssessedAt: Date | null;
	/** towns' benefit spread ≥ 2 and not discussed since the last assessment */
	flagged: boolean;
}

export interface Rating {
	effort: number;
	benefit: number;
	costEur: number | null;
	recommend: Recommendation;
}

export const EMPTY_STATS: RatingStats = Object.freeze({
	count: 0,
	effortMean: null,
	benefitMean: null,
	effortMin: null,
	effortMax: null,
	benefitMin: null,
	benefitMax: null,
	benefitSpread: null,
	effortSpread: null,
	costMean: null,
	recommend: Object.freeze({ yes: 0, no: 0, reservations: 0 })
}) as RatingStats;

function emptyStats(): RatingStats {
	return { ...EMPTY_STATS, recommend: { yes: 0, no: 0, reservations: 0 } };
}

/** The statistics of a list of ratings (pure; the SQL in aggregatesFor computes the same). */
export function ratingStats(ratings: readonly Rating[]): RatingStats {
	if (!ratings.length) return emptyStats();
	const efforts = ratings.map((r) => r.effort);
	const benefits = ratings.map((r) => r.benefit);
	const costs = ratings.map((r) => r.costEur).filter((c): c is number => c != null);
	const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	const effortMin = Math.min(...efforts);
	const effortMax = Math.max(...efforts);
	const benefitMin = Math.min(...benefits);
	const benefitMax = Math.max(...benefits);
	const recommend = { yes: 0, no: 0, reservations: 0 };
	for (const r of ratings) recommend[r.recommend]++;
	return {
		count: ratings.length,
		effortMean: mean(efforts),
		benefitMean: mean(benefits),
		effortMin,
		effortMax,
		benefitMin,
		benefitMax,
		benefitSpread: benefitMax - benefitMin,
		effortSpread: effortMax - effortMin,
		costMean: costs.length ? mean(costs) : null,
		recommend
	};
}

/**
 * Whether an offer is flagged "discuss at the next meeting": the towns' benefit ratings differ by
 * DISAGREEMENT_SPREAD or more, and no coordinator marked it as discussed after the last assessment.
 */
export function isFlagged(benefitSpread: number | null, discussedAt: Date | null, lastAssessedAt: Date | null): boolean {
	if (benefitSpread == null || benefitSpread < DISAGREEMENT_SPREAD) return false;
	if (!discussedAt) return true;
	return !!lastAssessedAt && lastAssessedAt.getTime() > discussedAt.getTime();
}

interface StatsRow {
	offerId: string;
	isTown: boolean;
	count: number;
	effortMean: number | null;
	benefitMean: number | null;
	effortMin: number | null;
	effortMax: number | null;
	benefitMin: number | null;
	benefitMax: number | null;
	costMean: number | null;
	yes: number;
	no: number;
	reservations: number;
	lastAt: Date | string | null;
	discussedAt: Date | string | null;
}

const toDate = (v: Date | string | null): Date | null => (v == null ? null : v instanceof Date ? v : new Date(v));
const num = (v: unknown): number | null => (v == null ? null : Number(v));

function statsOf(r: StatsRow | undefined): RatingStats {
	if (!r || !r.count) return emptyStats();
	const effortMin = num(r.effortMin);
	const effortMax = num(r.effortMax);
	const benefitMin = num(r.benefitMin);
	const benefitMax = num(r.benefitMax);
	return {
		count: Number(r.count),
		effortMean: num(r.effortMean),
		benefitMean: num(r.benefitMean),
		effortMin,
		effortMax,
		benefitMin,
		benefitMax,
		benefitSpread: benefitMin != null && benefitMax != null ? benefitMax - benefitMin : null,
		effortSpread: effortMin != null && effortMax != null ? effortMax - effortMin : null,
		costMean: num(r.costMean),
		recommend: { yes: Number(r.yes), no: Number(r.no), reservations: Number(r.reservations) }
	};
}

/**
 * Aggregates of the current assessments of the given offers of a network. Every requested offer of
 * the network gets an entry (with zero counts when nobody assessed it); ids of other networks are
 * left out.
 */
export async function aggregatesFor(networkId: string, offerIds: string[]): Promise<Map<string, OfferAggregate>> {
	const result = new Map<string, OfferAggregate>();
	const ids = [...new Set(offerIds)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
	if (!ids.length) return result;
	const a = offerAssessments;
	const [known, rows, towns] = await Promise.all([
		db()
			.select({ id: offers.id, discussedAt: offers.discussedAt })
			.from(offers)
			.where(and(eq(offers.networkId, networkId), inArray(offers.id, ids))),
		db()
			.select({
				offerId: a.offerId,
				isTown: sql<boolean>`(${a.bodyId} is not null)`,
				count: sql<number>`count(*)::int`,
				effortMean: sql<number | null>`avg(${a.effort})::float8`,
				benefitMean: sql<number | null>`avg(${a.benefit})::float8`,
				effortMin: sql<number | null>`min(${a.effort})::int`,
				effortMax: sql<number | null>`max(${a.effort})::int`,
				benefitMin: sql<number | null>`min(${a.benefit})::int`,
				benefitMax: sql<number | null>`max(${a.benefit})::int`,
				costMean: sql<number | null>`avg(${a.costEur})::float8`,
				yes: sql<number>`(count(*) filter (where ${a.recommend} = 'yes'))::int`,
				no: sql<number>`(count(*) filter (where ${a.recommend} = 'no'))::int`,
				reservations: sql<number>`(count(*) filter (where ${a.recommend} = 'reservations'))::int`,
				lastAt: sql<Date | string | null>`max(${a.createdAt})`
			})
			.from(a)
			.where(and(eq(a.networkId, networkId), eq(a.isCurrent, true), inArray(a.offerId, ids)))
			.groupBy(a.offerId, sql`(${a.bodyId} is not null)`),
		db()
			.select({ offerId: a.offerId, name: bodies.name })
			.from(a)
			.innerJoin(bodies, eq(bodies.id, a.bodyId))
			.where(and(eq(a.networkId, networkId), eq(a.isCurrent, true), inArray(a.offerId, ids)))
			.orderBy(asc(bodies.name))
	]);
	// Grouped once, so each offer's lookup is constant time (a page of the matrix has 300 offers).
	const statsOfOffer = new Map<string, { town?: StatsRow; partner?: StatsRow }>();
	for (const r of rows as StatsRow[]) {
		const e = statsOfOffer.get(r.offerId) ?? {};
		if (r.isTown) e.town = r;
		else e.partner = r;
		statsOfOffer.set(r.offerId, e);
	}
	const namesOfOffer = new Map<string, string[]>();
	for (const t of towns) {
		const list = namesOfOffer.get(t.offerId);
		if (list) list.push(t.name);
		else namesOfOffer.set(t.offerId, [t.name]);
	}
	for (const o of known) {
		const { town: townRow, partner: partnerRow } = statsOfOffer.get(o.id) ?? {};
		const townStats = statsOf(townRow);
		const townLast = toDate(townRow?.lastAt ?? null);
		const partnerLast = toDate(partnerRow?.lastAt ?? null);
		const lastAssessedAt = townLast && partnerLast ? (townLast > partnerLast ? townLast : partnerLast) : (townLast ?? partnerLast);
		result.set(o.id, {
			offerId: o.id,
			towns: townStats,
			partners: statsOf(partnerRow),
			townNames: (namesOfOffer.get(o.id) ?? []).sort((x, y) => x.localeCompare(y, 'de')),
			lastAssessedAt,
			// The partners' ratings neither raise nor renew the flag: it is about the towns.
			flagged: isFlagged(townStats.benefitSpread, toDate(o.discussedAt), townLast)
		});
	}
	return result;
}
