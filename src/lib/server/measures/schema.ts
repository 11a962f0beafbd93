// Concepts and measures: each body's climate concepts, their fields of action (Handlungsfelder),
// the measures with status history, tasks and constraints check, and indicators with values/goals.
import { sql, type SQL } from 'drizzle-orm';
import {
	type AnyPgColumn,
	boolean,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bodies, networks, people } from '../network/schema';
import { tsvector, networkRef, timestamps } from '../db/columns';


export const conceptKind = pgEnum('concept_kind', ['integrated', 'heat_planning', 'mobility', 'adaptation', 'other']);

/** A body's climate concept (integrated or a sub-concept such as heat planning). */
export const concepts = pgTable(
	'concepts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		kind: conceptKind('kind').notNull().default('integrated'),
		adoptedOn: date('adopted_on'),
		resolution: text('resolution').notNull().default(''),
		documentUrl: text('document_url').notNull().default(''),
		targetYear: integer('target_year'),
		description: text('description').notNull().default(''),
		...timestamps()
	},
	(t) => [index('concepts_network_body_idx').on(t.networkId, t.bodyId)]
);

/**
 * Themes every field of action maps to, so towns whose concepts name their fields differently
 * ("Mobilität", "Verkehr und Mobilität") can still be compared and filtered across the network.
 */
export const fieldTheme = pgEnum('field_theme', [
	'energy',
	'buildings',
	'mobility',
	'municipal',
	'adaptation',
	'land_use',
	'economy',
	'participation',
	'other'
]);

export const fieldsOfAction = pgTable(
	'fields_of_action',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		conceptId: uuid('concept_id')
			.notNull()
			.references(() => concepts.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0),
		name: text('name').notNull(),
		theme: fieldTheme('theme').notNull().default('other'),
		/** #rrggbb; shown as a swatch next to the name, never as the only cue. */
		color: text('color').notNull().default('#4a6f8a'),
		...timestamps()
	},
	(t) => [index('fields_of_action_concept_idx').on(t.conceptId, t.position)]
);

export const measureStatus = pgEnum('measure_status', [
	'idea',
	'planned',
	'preparation',
	'implementation',
	'completed',
	'on_hold',
	'discarded'
]);
export const measurePriority = pgEnum('measure_priority', ['high', 'medium', 'low']);
export const measureTerm = pgEnum('measure_term', ['short', 'medium', 'long']);

export const measures = pgTable(
	'measures',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		conceptId: uuid('concept_id')
			.notNull()
			.references(() => concepts.id, { onDelete: 'cascade' }),
		/** The concept's body, repeated here so lists filter and check permissions without a join. */
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		fieldId: uuid('field_id').references(() => fieldsOfAction.id, { onDelete: 'set null' }),
		code: text('code').notNull(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		status: measureStatus('status').notNull().default('idea'),
		statusReason: text('status_reason').notNull().default(''),
		progress: integer('progress').notNull().default(0),
		priority: measurePriority('priority').notNull().default('medium'),
		term: measureTerm('term'),
		responsibleBodyId: uuid('responsible_body_id').references(() => bodies.id, { onDelete: 'set null' }),
		contactPersonId: uuid('contact_person_id').references(() => people.id, { onDelete: 'set null' }),
		plannedStart: date('planned_start'),
		plannedEnd: date('planned_end'),
		actualStart: date('actual_start'),
		actualEnd: date('actual_end'),
		/** Euros. */
		costEstimate: doublePrecision('cost_estimate'),
		fundingSource: text('funding_source').notNull().default(''),
		/** Expected savings in t CO2e per year. */
		savingsT: doublePrecision('savings_t'),
		isPublic: boolean('is_public').notNull().default(false),
		/** The measure of another town this one was copied from. */
		copiedFromId: uuid('copied_from_id').references((): AnyPgColumn => measures.id, { onDelete: 'set null' }),
		/** Last status update (manual or automatic): the stale-measure reminder looks at it. */
		lastUpdateAt: timestamp('last_update_at', { withTimezone: true }).notNull().defaultNow(),
		/** Raised on every edit; a form sends the version it was loaded with, so a concurrent edit is not lost. */
		version: integer('version').notNull().default(1),
		search: tsvector('search').generatedAlwaysAs(
			(): SQL =>
				sql`setweight(to_tsvector('german', coalesce(${measures.title}, '')), 'A') || setweight(to_tsvector('german', coalesce(${measures.description}, '')), 'B')`
		),
		...timestamps()
	},
	(t) => [
		uniqueIndex('measures_concept_code_uq').on(t.conceptId, t.code),
		index('measures_network_body_idx').on(t.networkId, t.bodyId, t.code),
		index('measures_network_status_idx').on(t.networkId, t.status),
		index('measures_network_updated_idx').on(t.networkId, t.updatedAt),
		index('measures_field_idx').on(t.fieldId),
		index('measures_public_idx').on(t.networkId, t.isPublic),
		index('measures_copied_from_idx').on(t.copiedFromId),
		index('measures_search_idx').using('gin', t.search)
	]
);

/** Partner bodies of a measure (other towns or the district taking part). */
export const measurePartners = pgTable(
	'measure_partners',
	{
		measureId: uuid('measure_id')
			.notNull()
			.references(() => measures.id, { onDelete: 'cascade' }),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		networkId: networkRef()
	},
	(t) => [primaryKey({ columns: [t.measureId, t.bodyId] }), index('measure_partners_body_idx').on(t.bodyId)]
);

export const measureUpdateKind = pgEnum('measure_update_kind', ['note', 'status', 'created', 'import']);

/** Dated status updates: the history of what happened to a measure. */
export const measureUpdates = pgTable(
	'measure_updates',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		measureId: uuid('measure_id')
			.notNull()
			.references(() => measures.id, { onDelete: 'cascade' }),
		kind: measureUpdateKind('kind').notNull().default('note'),
		happenedOn: date('happened_on').notNull(),
		text: text('text').notNull().default(''),
		statusFrom: measureStatus('status_from'),
		statusTo: measureStatus('status_to'),
		progressFrom: integer('progress_from'),
		progressTo: integer('progress_to'),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		/** Kept as written at the time, so the history still reads after an account is deleted. */
		authorName: text('author_name').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('measure_updates_measure_idx').on(t.measureId, t.happenedOn, t.createdAt)]
);

export const taskState = pgEnum('task_state', ['open', 'in_progress', 'done', 'cancelled']);

export const measureTasks = pgTable(
	'measure_tasks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		measureId: uuid('measure_id')
			.notNull()
			.references(() => measures.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		ownerPersonId: uuid('owner_person_id').references(() => people.id, { onDelete: 'set null' }),
		dueOn: date('due_on'),
		state: taskState('state').notNull().default('open'),
		...timestamps()
	},
	(t) => [
		index('measure_tasks_measure_idx').on(t.measureId, t.dueOn),
		index('measure_tasks_network_due_idx').on(t.networkId, t.state, t.dueOn)
	]
);

export const constraintAspect = pgEnum('constraint_aspect', ['economic', 'building', 'nature', 'monument', 'other']);
export const constraintState = pgEnum('constraint_state', ['not_relevant', 'to_check', 'cleared', 'conflict']);

/** The constraints check: one row per measure and aspect once someone has assessed it. */
export const measureConstraints = pgTable(
	'measure_constraints',
	{
		measureId: uuid('measure_id')
			.notNull()
			.references(() => measures.id, { onDelete: 'cascade' }),
		aspect: constraintAspect('aspect').notNull(),
		networkId: networkRef(),
		state: constraintState('state').notNull(),
		note: text('note').notNull().default(''),
		checkedOn: date('checked_on'),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.measureId, t.aspect] }),
		index('measure_constraints_network_state_idx').on(t.networkId, t.state)
	]
);

/** An indicator of a body (e.g. "installed PV capacity", kWp), optionally tied to measures. */
export const indicators = pgTable(
	'indicators',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		unit: text('unit').notNull(),
		description: text('description').notNull().default(''),
		isPublic: boolean('is_public').notNull().default(false),
		...timestamps()
	},
	(t) => [index('indicators_network_body_idx').on(t.networkId, t.bodyId, t.name)]
);

export const indicatorValues = pgTable(
	'indicator_values',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		indicatorId: uuid('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'cascade' }),
		observedOn: date('observed_on').notNull(),
		value: doublePrecision('value').notNull(),
		note: text('note').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('indicator_values_indicator_date_uq').on(t.indicatorId, t.observedOn)]
);

export const indicatorGoals = pgTable(
	'indicator_goals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		indicatorId: uuid('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'cascade' }),
		year: integer('year').notNull(),
		value: doublePrecision('value').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('indicator_goals_indicator_year_uq').on(t.indicatorId, t.year)]
);

export const indicatorMeasures = pgTable(
	'indicator_measures',
	{
		indicatorId: uuid('indicator_id')
			.notNull()
			.references(() => indicators.id, { onDelete: 'cascade' }),
		measureId: uuid('measure_id')
			.notNull()
			.references(() => measures.id, { onDelete: 'cascade' }),
		networkId: networkRef()
	},
	(t) => [primaryKey({ columns: [t.indicatorId, t.measureId] }), index('indicator_measures_measure_idx').on(t.measureId)]
);

/** Per-network settings of the module. */
export const measureSettings = pgTable('measure_settings', {
	networkId: uuid('network_id')
		.primaryKey()
		.references(() => networks.id, { onDelete: 'cascade' }),
	/** A measure without a status update for this many days counts as stale (reminder). */
	staleAfterDays: integer('stale_after_days').notNull().default(90),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * A spreadsheet import between preview and confirmation: the parsed changes wait here, so the
 * confirm step (a plain form post, no JavaScript) applies exactly what the preview showed.
 */
export const measureImports = pgTable(
	'measure_imports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		filename: text('filename').notNull(),
		/** The planned changes: [{ measureId, version, changes: { field: [before, after] } }]. */
		changes: jsonb('changes').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		appliedAt: timestamp('applied_at', { withTimezone: true })
	},
	(t) => [index('measure_imports_user_idx').on(t.userId, t.createdAt)]
);
