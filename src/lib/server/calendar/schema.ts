// Private calendar-feed tokens: a calendar client has no session, so each person subscribes with
// a secret link per network. Only the SHA-256 of the token is stored; revoking ends the feed.
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { networkRef, createdAt } from '../db/columns';

export const calendarTokens = pgTable(
	'calendar_tokens',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull(),
		createdAt: createdAt(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [uniqueIndex('calendar_tokens_hash_uq').on(t.tokenHash), index('calendar_tokens_user_idx').on(t.networkId, t.userId)]
);
