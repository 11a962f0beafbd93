// Exchange (Austausch): topics by field, threads with replies in safe Markdown, edit history,
// follows and @mentions. References from a thread to measures, offers, meetings, activities … go
// through record_links (links/), attachments through the file service (files/), both keyed by the
// thread's record ref { type: 'thread', id }.
import { sql, type SQL } from 'drizzle-orm';
import { type AnyPgColumn, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { createdAt, networkRef, timestamps, tsvector } from '../db/columns';

/** A field the network talks about (energy, buildings, mobility …), managed by the coordinator. */
export const exchangeTopics = pgTable(
	'exchange_topics',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		/** Order on the overview (ascending). */
		position: integer('position').notNull().default(0),
		/** Archived topics stay readable but take no new threads. */
		archived: boolean('archived').notNull().default(false),
		version: integer('version').notNull().default(1),
		...timestamps()
	},
	(t) => [
		uniqueIndex('exchange_topics_network_title_uq').on(t.networkId, sql`lower(${t.title})`),
		index('exchange_topics_network_position_idx').on(t.networkId, t.position)
	]
);

export const exchangeThreads = pgTable(
	'exchange_threads',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		topicId: uuid('topic_id')
			.notNull()
			.references(() => exchangeTopics.id, { onDelete: 'restrict' }),
		title: text('title').notNull(),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		/** The reply the asker marked as the answer that helped. */
		answerPostId: uuid('answer_post_id').references((): AnyPgColumn => exchangePosts.id, { onDelete: 'set null' }),
		/** Locked by a coordinator: readable, no new replies. */
		locked: boolean('locked').notNull().default(false),
		/** Hidden by a coordinator (moderation): only coordinators still see it. */
		hiddenAt: timestamp('hidden_at', { withTimezone: true }),
		hiddenBy: text('hidden_by').references(() => users.id, { onDelete: 'set null' }),
		hiddenReason: text('hidden_reason').notNull().default(''),
		/** Replies that are not deleted or hidden (the opening post not counted); kept in step by the service. */
		replyCount: integer('reply_count').notNull().default(0),
		lastPostAt: timestamp('last_post_at', { withTimezone: true }).notNull().defaultNow(),
		isDemo: boolean('is_demo').notNull().default(false),
		version: integer('version').notNull().default(1),
		...timestamps(),
		search: tsvector('search').generatedAlwaysAs((): SQL => sql`setweight(to_tsvector('german', coalesce(${exchangeThreads.title}, '')), 'A')`)
	},
	(t) => [
		index('exchange_threads_topic_last_idx').on(t.topicId, t.lastPostAt),
		index('exchange_threads_network_last_idx').on(t.networkId, t.lastPostAt),
		index('exchange_threads_search_idx').using('gin', t.search)
	]
);

/** The opening post (isOpening) and the replies of a thread. Deleting is soft (deletedAt). */
export const exchangePosts = pgTable(
	'exchange_posts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		threadId: uuid('thread_id')
			.notNull()
			.references(() => exchangeThreads.id, { onDelete: 'cascade' }),
		authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
		isOpening: boolean('is_opening').notNull().default(false),
		/** Safe Markdown; mentions stay as the plain text "@Name" the author wrote. */
		body: text('body').notNull(),
		/** Set on every edit by the author ("bearbeitet"); earlier texts are in exchange_post_revisions. */
		editedAt: timestamp('edited_at', { withTimezone: true }),
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
		hiddenAt: timestamp('hidden_at', { withTimezone: true }),
		hiddenBy: text('hidden_by').references(() => users.id, { onDelete: 'set null' }),
		hiddenReason: text('hidden_reason').notNull().default(''),
		version: integer('version').notNull().default(1),
		...timestamps(),
		search: tsvector('search').generatedAlwaysAs((): SQL => sql`to_tsvector('german', coalesce(${exchangePosts.body}, ''))`)
	},
	(t) => [
		index('exchange_posts_thread_created_idx').on(t.threadId, t.createdAt),
		index('exchange_posts_network_created_idx').on(t.networkId, t.createdAt),
		index('exchange_posts_author_idx').on(t.authorId),
		index('exchange_posts_search_idx').using('gin', t.search)
	]
);

/** The text a post had before each edit (history kept). */
export const exchangePostRevisions = pgTable(
	'exchange_post_revisions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		postId: uuid('post_id')
			.notNull()
			.references(() => exchangePosts.id, { onDelete: 'cascade' }),
		body: text('body').notNull(),
		/** Who wrote this text and when it was replaced. */
		editedBy: text('edited_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('exchange_post_revisions_post_idx').on(t.postId, t.createdAt)]
);

/** Who follows a thread (the asker and everyone who replied follow it until they unfollow). */
export const exchangeThreadFollows = pgTable(
	'exchange_thread_follows',
	{
		threadId: uuid('thread_id')
			.notNull()
			.references(() => exchangeThreads.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		networkId: networkRef(),
		/** false: unfollowed on purpose – replying again does not re-follow. */
		following: boolean('following').notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.threadId, t.userId] }), index('exchange_thread_follows_user_idx').on(t.userId)]
);

/** People in the network a post mentions (resolved when the post is saved or edited). */
export const exchangeMentions = pgTable(
	'exchange_mentions',
	{
		postId: uuid('post_id')
			.notNull()
			.references(() => exchangePosts.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		networkId: networkRef(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.postId, t.userId] }), index('exchange_mentions_user_idx').on(t.userId)]
);
