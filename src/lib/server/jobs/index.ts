// Public face of the job queue, plus the data of the operator's view. The operator functions do
// no permission check: callers check canOperate(actor, 'jobs.read') first.
import { and, desc, eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { jobs } from './schema';
import type { Job } from './runner';
import { pageOpts } from '../paging';

export {
	enqueue,
	registerJobHandler,
	schedule,
	unschedule,
	runDueJobs,
	startJobRunner,
	requeueStaleJobs,
	purgeDoneJobs,
	backoffSeconds,
	type Job,
	type JobHandler,
	type JobRunner,
	type EnqueueOptions,
	type RunSummary
} from './runner';

export async function listFailedJobs(
	opts: { page?: number; pageSize?: number } = {}
): Promise<{ items: Job[]; total: number; page: number; pageSize: number }> {
	const { page, pageSize, offset } = pageOpts(opts, 50, 200);
	const failed = eq(jobs.status, 'failed');
	const [items, [{ total }]] = await Promise.all([
		db()
			.select()
			.from(jobs)
			.where(failed)
			.orderBy(desc(jobs.finishedAt), desc(jobs.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(jobs).where(failed)
	]);
	return { items, total, page, pageSize };
}

export interface JobCounts {
	queued: number;
	running: number;
	done: number;
	failed: number;
	/** Queued and due now: a growing number means no runner is keeping up. */
	due: number;
}

export async function jobCounts(): Promise<JobCounts> {
	const rows = await db()
		.select({
			status: jobs.status,
			n: sql<number>`count(*)::int`,
			due: sql<number>`(count(*) filter (where ${jobs.runAt} <= now()))::int`
		})
		.from(jobs)
		.groupBy(jobs.status);
	const counts: JobCounts = { queued: 0, running: 0, done: 0, failed: 0, due: 0 };
	for (const r of rows) {
		counts[r.status] = r.n;
		if (r.status === 'queued') counts.due = r.due;
	}
	return counts;
}

/** Puts a failed job back in the queue with fresh attempts; its last error stays for reference. */
export async function retryJob(id: number): Promise<Job | null> {
	const [row] = await db()
		.update(jobs)
		.set({ status: 'queued', runAt: sql`now()`, attempts: 0, finishedAt: null })
		.where(and(eq(jobs.id, id), eq(jobs.status, 'failed')))
		.returning();
	return row ?? null;
}
