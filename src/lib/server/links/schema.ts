// Links between records of any two modules (a measure and an offer, a meeting and a thread, …).
// A link is stored once and shown on both sides; the registry resolves titles, URLs and access.
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { networks } from '../network/schema';

export const recordLinks = pgTable(
	'record_links',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: uuid('network_id')
			.notNull()
			.references(() => networks.id, { onDelete: 'cascade' }),
		fromType: text('from_type').notNull(),
		fromId: text('from_id').notNull(),
		toType: text('to_type').notNull(),
		toId: text('to_id').notNull(),
		/** Optional note on why they belong together ("Förderantrag für diese Maßnahme"). */
		note: text('note').notNull().default(''),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('record_links_pair_uq').on(t.fromType, t.fromId, t.toType, t.toId),
		index('record_links_to_idx').on(t.toType, t.toId)
	]
);
