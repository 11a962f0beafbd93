// Greenhouse-gas balances (BISKO) and targets: emission factors per network and year, each
// municipality's final energy by sector and energy carrier per year (or emissions entered
// directly), and its target path (KSG or an own, earlier neutrality year).
import {
	boolean,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bodies } from '../network/schema';
import { networkRef, timestamps } from '../db/columns';


/** BISKO sectors as towns receive them; municipal facilities are entered apart from commerce. */
export const balanceSector = pgEnum('balance_sector', ['households', 'commerce', 'industry', 'municipal', 'transport']);

/** BISKO energy carriers (DOMAIN.md). */
export const energyCarrier = pgEnum('energy_carrier', [
	'electricity',
	'natural_gas',
	'heating_oil',
	'liquid_gas',
	'district_heating',
	'biomass',
	'coal',
	'solar_thermal',
	'environmental_heat',
	'petrol',
	'diesel',
	'other'
]);

/** Data quality classes: A regional primary data … D national averages. */
export const dataQuality = pgEnum('data_quality', ['A', 'B', 'C', 'D']);

/** LCA emission factors in kg CO2e per kWh, per network, year and carrier; kept by the coordinator. */
export const emissionFactors = pgTable(
	'emission_factors',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		year: integer('year').notNull(),
		carrier: energyCarrier('carrier').notNull(),
		kgPerKwh: doublePrecision('kg_per_kwh').notNull(),
		source: text('source').notNull().default(''),
		note: text('note').notNull().default(''),
		/** Demo values from DOMAIN.md, to be replaced: shown as examples. */
		isExample: boolean('is_example').notNull().default(false),
		...timestamps()
	},
	(t) => [uniqueIndex('emission_factors_network_year_carrier_uq').on(t.networkId, t.year, t.carrier)]
);

/** One municipality's balance for one year. */
export const balances = pgTable(
	'balances',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		year: integer('year').notNull(),
		/** Inhabitants in that year for per-capita values; null → the directory's population if its year matches, else unknown. */
		inhabitants: integer('inhabitants'),
		/** Who produced it (balancing tool, consultant) and anything a reader should know. */
		source: text('source').notNull().default(''),
		note: text('note').notNull().default(''),
		/** Shown on the participation portal. */
		isPublic: boolean('is_public').notNull().default(false),
		/** Demo data, clearly labelled. */
		isDemo: boolean('is_demo').notNull().default(false),
		/** Raised on every edit; forms send the version they loaded, so concurrent edits are not lost. */
		version: integer('version').notNull().default(1),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(t) => [uniqueIndex('balances_body_year_uq').on(t.bodyId, t.year), index('balances_network_year_idx').on(t.networkId, t.year)]
);

/**
 * One cell of the sector × carrier table: final energy in MWh, or (where a town only has
 * emissions) emissions in t CO2e entered directly; with its data quality class.
 */
export const balanceEntries = pgTable(
	'balance_entries',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		balanceId: uuid('balance_id')
			.notNull()
			.references(() => balances.id, { onDelete: 'cascade' }),
		sector: balanceSector('sector').notNull(),
		carrier: energyCarrier('carrier').notNull(),
		energyMwh: doublePrecision('energy_mwh'),
		/** Entered directly; when set it is used instead of energy × factor. */
		emissionsT: doublePrecision('emissions_t'),
		quality: dataQuality('quality'),
		...timestamps()
	},
	(t) => [uniqueIndex('balance_entries_cell_uq').on(t.balanceId, t.sector, t.carrier)]
);

export const targetKind = pgEnum('target_kind', ['ksg', 'own']);

/** A municipality's target path. */
export const balanceTargets = pgTable('balance_targets', {
	bodyId: uuid('body_id')
		.primaryKey()
		.references(() => bodies.id, { onDelete: 'cascade' }),
	networkId: networkRef(),
	baseYear: integer('base_year').notNull(),
	kind: targetKind('kind').notNull().default('ksg'),
	/** For an own target: the year of net neutrality (before 2045). */
	neutralYear: integer('neutral_year'),
	/**
	 * Emissions of 1990 in t CO2e, where known: the KSG percentages refer to 1990. Without it the
	 * path applies them to the base year's emissions (stated wherever the path is shown).
	 */
	reference1990T: doublePrecision('reference_1990_t'),
	isPublic: boolean('is_public').notNull().default(false),
	updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
	...timestamps()
});

/** A previewed spreadsheet import waiting for the user's confirmation (all or nothing). */
export const balanceImports = pgTable(
	'balance_imports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'cascade' }),
		filename: text('filename').notNull().default(''),
		/** Parsed rows, the column mapping and the plan to apply. */
		plan: jsonb('plan').notNull(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('balance_imports_expires_idx').on(t.expiresAt)]
);
