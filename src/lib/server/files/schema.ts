import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { networks } from '../network/schema';

/** Metadata of stored files; the bytes live in the storage backend under storageKey. */
export const files = pgTable(
	'files',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: uuid('network_id').references(() => networks.id, { onDelete: 'cascade' }),
		/** The record the file belongs to; the registry decides who may see that record. */
		recordType: text('record_type').notNull(),
		recordId: text('record_id').notNull(),
		storageKey: text('storage_key').notNull().unique(),
		filename: text('filename').notNull(),
		contentType: text('content_type').notNull(),
		size: integer('size').notNull(),
		sha256: text('sha256').notNull(),
		uploadedBy: text('uploaded_by'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('files_record_idx').on(t.networkId, t.recordType, t.recordId)]
);
