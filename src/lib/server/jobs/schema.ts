import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const jobStatus = pgEnum('job_status', ['queued', 'running', 'done', 'failed']);

/**
 * The job queue shared by all modules. Runners claim due rows with FOR UPDATE SKIP LOCKED,
 * so several app instances on one PostgreSQL never run one job twice.
 */
export const jobs = pgTable(
	'jobs',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		kind: text('kind').notNull(),
		payload: jsonb('payload').notNull().default({}),
		status: jobStatus('status').notNull().default('queued'),
		runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
		attempts: integer('attempts').notNull().default(0),
		maxAttempts: integer('max_attempts').notNull().default(5),
		lastError: text('last_error'),
		lockedBy: text('locked_by'),
		lockedAt: timestamp('locked_at', { withTimezone: true }),
		/** Optional de-duplication key: a second enqueue with the same key is ignored. */
		uniqueKey: text('unique_key').unique(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		finishedAt: timestamp('finished_at', { withTimezone: true })
	},
	(t) => [
		index('jobs_due_idx').on(t.status, t.runAt),
		index('jobs_failed_idx').on(t.status, t.finishedAt)
	]
);
