// Column builders every module's schema uses alike, so the columns read the same in every table.
import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';
import { networks } from '../network/schema';

/** Postgres full-text vector (generated columns with a GIN index). */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** The network a row belongs to; removed with the network. */
export const networkRef = () =>
	uuid('network_id')
		.notNull()
		.references(() => networks.id, { onDelete: 'cascade' });

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const timestamps = () => ({
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
