// One notification model for every module: a module raises an event for some people (notify()),
// each person gets an in-app notification, and their preference for that kind decides how it is
// mailed: at once, in the daily or weekly digest, or not at all.
import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { createdAt, networkRef } from '../db/columns';

export const notificationChannel = pgEnum('notification_channel', ['immediate', 'daily', 'weekly', 'none']);

export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Registered kind, e.g. 'exchange.reply', 'exchange.mention', 'meeting.invitation'. */
		kind: text('kind').notNull(),
		/** Plain text (never HTML): shown in the list, the mail and the digest. */
		title: text('title').notNull(),
		excerpt: text('excerpt').notNull().default(''),
		/** Path inside the app the notification leads to. */
		url: text('url').notNull(),
		/** The record it is about (registry type and id), for grouping and clean-up. */
		recordType: text('record_type'),
		recordId: uuid('record_id'),
		/** Who caused it (null: the system). */
		actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
		/** The channel the person's preference gave when it was raised. */
		channel: notificationChannel('channel').notNull(),
		readAt: timestamp('read_at', { withTimezone: true }),
		/** Mailed on its own or as part of a digest (null: not yet, or never for channel 'none'). */
		mailedAt: timestamp('mailed_at', { withTimezone: true }),
		digestId: uuid('digest_id').references(() => notificationDigests.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [
		index('notifications_user_created_idx').on(t.userId, t.createdAt),
		// withdrawNotifications (a hidden or deleted post) and the digest mail job look rows up by these.
		index('notifications_record_idx').on(t.recordType, t.recordId),
		index('notifications_digest_idx').on(t.digestId),
		index('notifications_user_unread_idx')
			.on(t.userId)
			.where(sql`${t.readAt} is null`),
		// The digest job looks for pending digest items only.
		index('notifications_digest_pending_idx')
			.on(t.channel, t.createdAt)
			.where(sql`${t.mailedAt} is null and ${t.channel} in ('daily', 'weekly')`)
	]
);

/** One digest mail: the notifications it carries point at it (claimed once, so sent once). */
export const notificationDigests = pgTable(
	'notification_digests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		frequency: notificationChannel('frequency').notNull(),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('notification_digests_user_idx').on(t.userId, t.createdAt)]
);

/** A person's choice per kind (applies in every network); missing rows mean the kind's default. */
export const notificationPreferences = pgTable(
	'notification_preferences',
	{
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		channel: notificationChannel('channel').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);
