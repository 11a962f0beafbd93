// Offers that reach the towns (consultancies, software, products, campaigns, events, trainings,
// funding programmes) and each municipality's or partner's assessment of them: the network agrees
// on effort and benefit together instead of each town paying to find out alone.
import { sql, type SQL } from 'drizzle-orm';
import { boolean, check, date, doublePrecision, index, integer, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bodies, partners } from '../network/schema';
import { fieldTheme } from '../measures/schema';
import { networkRef, timestamps, tsvector } from '../db/columns';

export const offerKind = pgEnum('offer_kind', ['consultancy', 'software', 'product', 'campaign', 'event', 'training', 'funding_programme']);

/** How the price is stated; the cost range is in euros (per year, per inhabitant, … as the model says). */
export const priceModel = pgEnum('price_model', ['one_off', 'per_year', 'per_inhabitant', 'free']);

export const offers = pgTable(
	'offers',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		title: text('title').notNull(),
		provider: text('provider').notNull(),
		kind: offerKind('kind').notNull(),
		/** Safe Markdown (renderMarkdown). */
		description: text('description').notNull().default(''),
		priceModel: priceModel('price_model').notNull(),
		/** Euros; null when unknown. For 'free' both are null. */
		costMin: doublePrecision('cost_min'),
		costMax: doublePrecision('cost_max'),
		url: text('url').notNull().default(''),
		/** Fields of action the offer serves, as the network-wide themes of measures. */
		themes: fieldTheme('themes').array().notNull().default(sql`'{}'::field_theme[]`),
		/** Archived offers stay readable and keep their assessments, but leave the default list. */
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		/**
		 * When a coordinator marked the disagreement as discussed (at a meeting). The "discuss"
		 * flag returns only if an assessment arrives after this.
		 */
		discussedAt: timestamp('discussed_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		/** Raised on every edit; forms send the version they loaded (lost-update guard). */
		version: integer('version').notNull().default(1),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps(),
		search: tsvector('search').generatedAlwaysAs(
			(): SQL =>
				sql`setweight(to_tsvector('german', coalesce(${offers.title}, '') || ' ' || coalesce(${offers.provider}, '')), 'A') || setweight(to_tsvector('german', coalesce(${offers.description}, '')), 'B')`
		)
	},
	(t) => [
		index('offers_network_title_idx').on(t.networkId, t.title),
		index('offers_network_kind_idx').on(t.networkId, t.kind),
		index('offers_search_idx').using('gin', t.search),
		check('offers_cost_range_ck', sql`${t.costMin} IS NULL OR ${t.costMax} IS NULL OR ${t.costMin} <= ${t.costMax}`),
		check('offers_cost_nonneg_ck', sql`coalesce(${t.costMin}, 0) >= 0 AND coalesce(${t.costMax}, 0) >= 0`)
	]
);

export const recommendation = pgEnum('recommendation', ['yes', 'no', 'reservations']);

/**
 * One assessment of an offer by a municipality (body) or by a partner organisation (shown apart
 * from the towns). One current assessment per assessor and offer; a new one supersedes it and the
 * earlier stays as history.
 */
export const offerAssessments = pgTable(
	'offer_assessments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		offerId: uuid('offer_id')
			.notNull()
			.references(() => offers.id, { onDelete: 'cascade' }),
		/** Exactly one of bodyId and partnerId is set. */
		bodyId: uuid('body_id').references(() => bodies.id, { onDelete: 'cascade' }),
		partnerId: uuid('partner_id').references(() => partners.id, { onDelete: 'cascade' }),
		effort: smallint('effort').notNull(),
		benefit: smallint('benefit').notNull(),
		/** What it actually cost, in euros; null when not stated. */
		costEur: doublePrecision('cost_eur'),
		recommend: recommendation('recommend').notNull(),
		experience: text('experience').notNull().default(''),
		/** When the town tried or evaluated the offer. */
		assessedOn: date('assessed_on').notNull(),
		isCurrent: boolean('is_current').notNull().default(true),
		/** Set when a newer assessment by the same assessor replaced this one. */
		supersededAt: timestamp('superseded_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// The database itself refuses a second current assessment by the same town or partner.
		uniqueIndex('offer_assessments_current_body_uq').on(t.offerId, t.bodyId).where(sql`${t.isCurrent} AND ${t.bodyId} IS NOT NULL`),
		uniqueIndex('offer_assessments_current_partner_uq').on(t.offerId, t.partnerId).where(sql`${t.isCurrent} AND ${t.partnerId} IS NOT NULL`),
		index('offer_assessments_offer_idx').on(t.offerId, t.createdAt),
		index('offer_assessments_network_current_idx').on(t.networkId, t.isCurrent),
		check('offer_assessments_effort_ck', sql`${t.effort} BETWEEN 1 AND 5`),
		check('offer_assessments_benefit_ck', sql`${t.benefit} BETWEEN 1 AND 5`),
		check('offer_assessments_cost_ck', sql`${t.costEur} IS NULL OR ${t.costEur} >= 0`),
		check('offer_assessments_assessor_ck', sql`(${t.bodyId} IS NULL) <> (${t.partnerId} IS NULL)`)
	]
);
