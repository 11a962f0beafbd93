// Citizen participation: light citizen and group accounts with their consent, ideas with
// moderation and supports, comments on ideas and public measures, reports, pledges, follows, and
// feedback on the portal's accessibility.
import { sql, type SQL } from 'drizzle-orm';
import {
	type AnyPgColumn,
	doublePrecision,
	index,
	integer,
	boolean,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bodies, networks } from '../network/schema';
import { tsvector, networkRef, createdAt } from '../db/columns';
import { fieldTheme, measures } from '../measures/schema';
import { files } from '../files/schema';


/** A person, or a group (a school class, a youth club) whose leader posts on its behalf. */
export const citizenKind = pgEnum('citizen_kind', ['person', 'group']);

/**
 * The participation profile of an account. Citizen accounts are instance-wide (a resident may
 * take part in the portal of more than one network); network members may participate too and
 * get a profile when they first give consent.
 */
export const citizenProfiles = pgTable('citizen_profiles', {
	userId: text('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	kind: citizenKind('kind').notNull().default('person'),
	/** For groups: the school or organisation the group belongs to ("Grundschule Am Regenstein"). */
	organisation: text('organisation').notNull().default(''),
	/** For groups: how many take part (optional, no names). */
	groupSize: integer('group_size'),
	/** The consent exactly as it was shown, with its version and the time it was given. */
	consentVersion: text('consent_version').notNull(),
	consentText: text('consent_text').notNull(),
	consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
	/** Set when the consent is withdrawn: the person can read but no longer post until they consent again. */
	consentWithdrawnAt: timestamp('consent_withdrawn_at', { withTimezone: true }),
	createdAt: createdAt()
});

export const ideaState = pgEnum('idea_state', ['pending', 'published', 'rejected', 'merged', 'measure']);

export const ideas = pgTable(
	'ideas',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		/** The municipality the idea is for (the district is a body too). */
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		theme: fieldTheme('theme').notNull().default('other'),
		title: text('title').notNull(),
		/** Markdown, rendered through the safe renderer. */
		body: text('body').notNull(),
		/** Where, in words ("Marktplatz, vor dem Rathaus"): the form works without the map. */
		locationText: text('location_text').notNull().default(''),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		photoFileId: uuid('photo_file_id').references(() => files.id, { onDelete: 'set null' }),
		photoAlt: text('photo_alt').notNull().default(''),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		/** Shown name at the time of posting (display name or group name). */
		authorName: text('author_name').notNull().default(''),
		state: ideaState('state').notNull().default('pending'),
		/** Why it was rejected; shown to the author and, for rejected ideas, nowhere else. */
		stateReason: text('state_reason').notNull().default(''),
		mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => ideas.id, { onDelete: 'set null' }),
		measureId: uuid('measure_id').references(() => measures.id, { onDelete: 'set null' }),
		moderatedBy: text('moderated_by').references(() => users.id, { onDelete: 'set null' }),
		moderatedAt: timestamp('moderated_at', { withTimezone: true }),
		/** Kept in step with idea_supports in the same transaction, so lists sort by it cheaply. */
		supportCount: integer('support_count').notNull().default(0),
		publishedAt: timestamp('published_at', { withTimezone: true }),
		search: tsvector('search').generatedAlwaysAs(
			(): SQL =>
				sql`setweight(to_tsvector('german', coalesce(${ideas.title}, '')), 'A') || setweight(to_tsvector('german', coalesce(${ideas.body}, '')), 'B')`
		),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('ideas_network_state_idx').on(t.networkId, t.state, t.createdAt),
		index('ideas_network_body_idx').on(t.networkId, t.bodyId, t.state),
		index('ideas_author_idx').on(t.authorId),
		index('ideas_measure_idx').on(t.measureId),
		index('ideas_merged_into_idx').on(t.mergedIntoId),
		index('ideas_search_idx').using('gin', t.search)
	]
);

/** One support per person and idea: the primary key enforces it. */
export const ideaSupports = pgTable(
	'idea_supports',
	{
		ideaId: uuid('idea_id')
			.notNull()
			.references(() => ideas.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.ideaId, t.userId] }), index('idea_supports_user_idx').on(t.userId)]
);

/** What comments, reports and follows can point at. */
export const participationTarget = pgEnum('participation_target', ['idea', 'measure', 'comment']);
export const commentState = pgEnum('comment_state', ['visible', 'hidden', 'deleted']);

/** Comments on ideas and public measures; a reply has a parent (one level deep). */
export const comments = pgTable(
	'comments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		targetType: participationTarget('target_type').notNull(),
		targetId: uuid('target_id').notNull(),
		parentId: uuid('parent_id').references((): AnyPgColumn => comments.id, { onDelete: 'cascade' }),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		authorName: text('author_name').notNull().default(''),
		body: text('body').notNull(),
		state: commentState('state').notNull().default('visible'),
		/** Why a moderator hid it (shown in place of the text). */
		stateReason: text('state_reason').notNull().default(''),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('comments_target_idx').on(t.targetType, t.targetId, t.createdAt),
		index('comments_parent_idx').on(t.parentId),
		index('comments_author_idx').on(t.authorId),
		index('comments_network_idx').on(t.networkId, t.createdAt)
	]
);

export const reportState = pgEnum('report_state', ['open', 'resolved']);

/** A report of an idea or comment: it lands in the moderation queue of the network. */
export const reports = pgTable(
	'reports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		targetType: participationTarget('target_type').notNull(),
		targetId: uuid('target_id').notNull(),
		/** Null for reports by visitors without an account. */
		reporterId: text('reporter_id').references(() => users.id, { onDelete: 'set null' }),
		reason: text('reason').notNull(),
		state: reportState('state').notNull().default('open'),
		resolvedBy: text('resolved_by').references(() => users.id, { onDelete: 'set null' }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolution: text('resolution').notNull().default(''),
		createdAt: createdAt()
	},
	(t) => [
		index('reports_network_state_idx').on(t.networkId, t.state, t.createdAt),
		index('reports_target_idx').on(t.targetType, t.targetId)
	]
);

/** Personal actions residents commit to ("Ich beziehe Ökostrom"), defined by the coordinator. */
export const pledgeActions = pgTable(
	'pledge_actions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		/** Estimated savings per pledge, kg CO2e per year. */
		savingsKg: doublePrecision('savings_kg').notNull().default(0),
		theme: fieldTheme('theme').notNull().default('other'),
		position: integer('position').notNull().default(0),
		/** Archived actions keep their pledges in the totals but take no new ones. */
		active: boolean('active').notNull().default(true),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('pledge_actions_network_idx').on(t.networkId, t.position)]
);

/** A pledge, with an account (user) or without one (postcode only). */
export const pledges = pgTable(
	'pledges',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		actionId: uuid('action_id')
			.notNull()
			.references(() => pledgeActions.id, { onDelete: 'cascade' }),
		/** The town the pledge counts for. */
		bodyId: uuid('body_id').references(() => bodies.id, { onDelete: 'set null' }),
		postcode: text('postcode').notNull().default(''),
		userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt()
	},
	(t) => [
		index('pledges_network_action_idx').on(t.networkId, t.actionId),
		index('pledges_network_body_idx').on(t.networkId, t.bodyId),
		uniqueIndex('pledges_action_user_uq').on(t.actionId, t.userId).where(sql`${t.userId} is not null`)
	]
);

/** Citizens follow ideas and measures and get an e-mail when they change. */
export const follows = pgTable(
	'follows',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		networkId: networkRef(),
		targetType: participationTarget('target_type').notNull(),
		targetId: uuid('target_id').notNull(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.userId, t.targetType, t.targetId] }), index('follows_target_idx').on(t.targetType, t.targetId)]
);

export const feedbackState = pgEnum('feedback_state', ['open', 'done']);

/** Feedback on barriers in the portal (BITV 2.0 feedback mechanism); it reaches the coordinators. */
export const accessibilityFeedback = pgTable(
	'accessibility_feedback',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		/** The page the barrier is on, as the person gave it. */
		pageUrl: text('page_url').notNull().default(''),
		message: text('message').notNull(),
		/** Optional: only if the person wants an answer. */
		name: text('name').notNull().default(''),
		email: text('email').notNull().default(''),
		state: feedbackState('state').notNull().default('open'),
		createdAt: createdAt()
	},
	(t) => [index('accessibility_feedback_network_idx').on(t.networkId, t.state, t.createdAt)]
);

/** Per-network portal settings: map tiles and the rules of participation. */
export const portalSettings = pgTable('portal_settings', {
	networkId: uuid('network_id')
		.primaryKey()
		.references(() => networks.id, { onDelete: 'cascade' }),
	/** Leaflet tile URL template; empty: no map, the address text field only. */
	tileUrl: text('tile_url').notNull().default(''),
	tileAttribution: text('tile_attribution').notNull().default(''),
	/** Whether new ideas are open at all (a network may start with reading only). */
	ideasOpen: boolean('ideas_open').notNull().default(true),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
