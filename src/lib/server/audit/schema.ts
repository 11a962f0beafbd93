import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { networks } from '../network/schema';

/** Every change to network data: who, what, which record, before/after, when. Append-only. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		networkId: uuid('network_id').references(() => networks.id, { onDelete: 'cascade' }),
		/** No foreign key: the entry must outlive the account (shown as "ehemaliges Mitglied"). */
		actorUserId: text('actor_user_id'),
		action: text('action').notNull(),
		recordType: text('record_type').notNull(),
		recordId: text('record_id').notNull(),
		before: jsonb('before'),
		after: jsonb('after'),
		requestId: text('request_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('audit_network_created_idx').on(t.networkId, t.createdAt),
		index('audit_record_idx').on(t.networkId, t.recordType, t.recordId, t.createdAt)
	]
);
