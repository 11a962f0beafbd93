// Joint activities of several towns (a joint campaign, a shared procurement, a regional event):
// proposer, participating municipalities (each joins or leaves through its member), status and
// tasks. Links to the meetings where they were discussed go through record_links.
import { sql, type SQL } from 'drizzle-orm';
import { boolean, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bodies, people } from '../network/schema';
import { networkRef, timestamps, tsvector } from '../db/columns';

export const activityStatus = pgEnum('activity_status', ['idea', 'planning', 'running', 'done', 'dropped']);

export const activities = pgTable(
	'activities',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		title: text('title').notNull(),
		/** Safe Markdown. */
		description: text('description').notNull().default(''),
		status: activityStatus('status').notNull().default('idea'),
		/** The body that proposed it (null: the coordination) and the person who did. */
		proposerBodyId: uuid('proposer_body_id').references(() => bodies.id, { onDelete: 'set null' }),
		proposedBy: text('proposed_by').references(() => users.id, { onDelete: 'set null' }),
		isPublic: boolean('is_public').notNull().default(false),
		isDemo: boolean('is_demo').notNull().default(false),
		version: integer('version').notNull().default(1),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps(),
		search: tsvector('search').generatedAlwaysAs(
			(): SQL =>
				sql`setweight(to_tsvector('german', coalesce(${activities.title}, '')), 'A') || setweight(to_tsvector('german', coalesce(${activities.description}, '')), 'B')`
		)
	},
	(t) => [
		index('activities_network_status_idx').on(t.networkId, t.status),
		index('activities_network_updated_idx').on(t.networkId, t.updatedAt),
		index('activities_search_idx').using('gin', t.search)
	]
);

/** A municipality taking part; joining and leaving are audited. */
export const activityParticipants = pgTable(
	'activity_participants',
	{
		activityId: uuid('activity_id')
			.notNull()
			.references(() => activities.id, { onDelete: 'cascade' }),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		networkId: networkRef(),
		joinedBy: text('joined_by').references(() => users.id, { onDelete: 'set null' }),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.activityId, t.bodyId] }), index('activity_participants_body_idx').on(t.bodyId)]
);

export const activityTasks = pgTable(
	'activity_tasks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		activityId: uuid('activity_id')
			.notNull()
			.references(() => activities.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		ownerPersonId: uuid('owner_person_id').references(() => people.id, { onDelete: 'set null' }),
		ownerBodyId: uuid('owner_body_id').references(() => bodies.id, { onDelete: 'set null' }),
		dueOn: date('due_on'),
		done: boolean('done').notNull().default(false),
		doneAt: timestamp('done_at', { withTimezone: true }),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(t) => [index('activity_tasks_activity_idx').on(t.activityId, t.done, t.dueOn)]
);
