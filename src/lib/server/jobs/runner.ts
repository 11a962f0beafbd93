// The job queue shared by all modules, on PGlite and on PostgreSQL. Delivery is at least once:
// a job whose instance died mid-run is run again, so handlers must be idempotent. Several
// instances on one PostgreSQL never run one job at the same time: they claim rows with
// FOR UPDATE SKIP LOCKED and finish only rows they still hold (locked_by + attempts).
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { db, query, type Db, type Tx } from '../db/client';
import { jobs } from './schema';
import { log } from '../log';
import { sendMail, type Mail } from '../mail';

export type Job = typeof jobs.$inferSelect;
export type JobHandler<P = unknown> = (payload: P, job: Job) => Promise<void>;

const handlers = new Map<string, JobHandler>();

/** Last registration wins: Vite's dev server re-runs modules on change. */
export function registerJobHandler<P>(kind: string, handler: JobHandler<P>) {
	handlers.set(kind, handler as JobHandler);
}

export interface EnqueueOptions {
	runAt?: Date;
	/** A second enqueue with the same key is ignored (while the first row exists, see purge). */
	uniqueKey?: string;
	maxAttempts?: number;
}

/** Queues a job; pass the command's transaction so the job exists only if the command commits.
 *  Returns null when uniqueKey was taken. The payload must survive JSON. */
export async function enqueue<P>(
	kind: string,
	payload: P,
	opts: EnqueueOptions = {},
	tx: Db | Tx = db()
): Promise<Job | null> {
	const [row] = await tx
		.insert(jobs)
		.values({
			kind,
			payload: payload ?? {},
			runAt: opts.runAt,
			uniqueKey: opts.uniqueKey,
			maxAttempts: opts.maxAttempts
		})
		.onConflictDoNothing({ target: jobs.uniqueKey })
		.returning();
	return row ?? null;
}

/** 30 s, 60 s, 120 s, … capped at one hour. */
export function backoffSeconds(attempts: number): number {
	return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

export const DEFAULT_STALE_MS = 15 * 60_000;

// ---- recurring jobs -------------------------------------------------------------------------

interface Schedule {
	everySeconds: number;
	payload: unknown;
	maxAttempts: number;
}
const schedules = new Map<string, Schedule>();

/**
 * Runs `kind` every `everySeconds`, aligned to the clock of the database (one clock for all
 * instances). Keeps exactly one queued-or-running job per kind: the slot number in the unique key
 * stops instances from queueing the same slot twice, the advisory lock stops two instances from
 * queueing neighbouring slots at a slot boundary. A failed run is not retried (maxAttempts 1 by
 * default): the next slot is the retry.
 */
export async function schedule(
	kind: string,
	everySeconds: number,
	opts: { payload?: unknown; maxAttempts?: number } = {}
): Promise<Job | null> {
	if (!Number.isInteger(everySeconds) || everySeconds < 1) throw new Error('everySeconds must be a positive integer');
	const s = { everySeconds, payload: opts.payload ?? {}, maxAttempts: opts.maxAttempts ?? 1 };
	schedules.set(kind, s);
	return ensureScheduled(kind, s);
}

/** Stops a recurring job and removes its queued run. */
export async function unschedule(kind: string): Promise<void> {
	schedules.delete(kind);
	await db()
		.delete(jobs)
		.where(and(eq(jobs.kind, kind), eq(jobs.status, 'queued'), sql`${jobs.uniqueKey} like ${'sched:' + kind + ':%'}`));
}

async function ensureScheduled(kind: string, s: Schedule): Promise<Job | null> {
	return db().transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'sched:' + kind}))`);
		const rows = await query<{ id: string | number }>(
			sql`with slot as (select floor(extract(epoch from now()) / ${s.everySeconds}::int)::bigint + 1 as n)
				insert into jobs (kind, payload, run_at, max_attempts, unique_key)
				select ${kind}, ${JSON.stringify(s.payload)}::jsonb, to_timestamp(slot.n * ${s.everySeconds}::int),
					${s.maxAttempts}::int, ${'sched:' + kind + ':'}::text || slot.n::text
				from slot
				where not exists (select 1 from jobs where kind = ${kind} and status in ('queued', 'running'))
				on conflict (unique_key) do nothing
				returning id`,
			tx
		);
		if (!rows.length) return null;
		const [job] = await tx.select().from(jobs).where(eq(jobs.id, Number(rows[0].id)));
		return job;
	});
}

export async function ensureSchedules(): Promise<void> {
	for (const [kind, s] of schedules) await ensureScheduled(kind, s);
}

// ---- running ----------------------------------------------------------------------------------

/** Jobs left 'running' by an instance that died are queued again, or failed if out of attempts. */
export async function requeueStaleJobs(staleAfterMs = DEFAULT_STALE_MS): Promise<number> {
	const stale = and(
		eq(jobs.status, 'running'),
		lt(jobs.lockedAt, sql`now() - ${Math.round(staleAfterMs / 1000)}::int * interval '1 second'`)
	);
	const reason = sql`'Abgebrochen: ' || coalesce(${jobs.lockedBy}, '?') || ' hat den Job nicht beendet (Instanz abgestürzt?)'`;
	const requeued = await db()
		.update(jobs)
		.set({ status: 'queued', runAt: sql`now()`, lockedBy: null, lockedAt: null, lastError: reason })
		.where(and(stale, lt(jobs.attempts, jobs.maxAttempts)))
		.returning({ id: jobs.id, kind: jobs.kind });
	const failed = await db()
		.update(jobs)
		.set({ status: 'failed', finishedAt: sql`now()`, lockedBy: null, lockedAt: null, lastError: reason })
		.where(stale)
		.returning({ id: jobs.id, kind: jobs.kind });
	for (const j of requeued) log.warn('jobs.stale_requeued', { jobId: j.id, kind: j.kind });
	for (const j of failed) log.error('jobs.stale_failed', { jobId: j.id, kind: j.kind });
	for (const j of failed) if (schedules.has(j.kind)) await ensureScheduled(j.kind, schedules.get(j.kind)!);
	return requeued.length + failed.length;
}

async function claim(workerId: string, limit: number): Promise<Job[]> {
	const claimed = await db().transaction(async (tx) => {
		const due = await tx
			.select({ id: jobs.id })
			.from(jobs)
			.where(and(eq(jobs.status, 'queued'), lte(jobs.runAt, sql`now()`)))
			.orderBy(asc(jobs.runAt), asc(jobs.id))
			.limit(limit)
			.for('update', { skipLocked: true });
		if (!due.length) return [];
		return tx
			.update(jobs)
			.set({ status: 'running', lockedBy: workerId, lockedAt: sql`now()`, attempts: sql`${jobs.attempts} + 1` })
			.where(inArray(jobs.id, due.map((d) => d.id)))
			.returning();
	});
	return claimed.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** Only the worker that holds this attempt may finish it; a re-queued stale job belongs to someone else. */
function held(job: Job, workerId: string) {
	return and(
		eq(jobs.id, job.id),
		eq(jobs.status, 'running'),
		eq(jobs.lockedBy, workerId),
		eq(jobs.attempts, job.attempts)
	);
}

function errorText(err: unknown): string {
	const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
	return text.slice(0, 4000);
}

type Outcome = 'done' | 'retried' | 'failed' | 'lost';

async function runOne(job: Job, workerId: string, staleAfterMs: number): Promise<Outcome> {
	// Keeps locked_at fresh so a long job is not taken for the job of a crashed instance.
	const heartbeat = setInterval(
		() => {
			db()
				.update(jobs)
				.set({ lockedAt: sql`now()` })
				.where(held(job, workerId))
				.catch((e) => log.warn('jobs.heartbeat_failed', { jobId: job.id, err: String(e) }));
		},
		Math.max(1000, Math.min(60_000, staleAfterMs / 3))
	);
	heartbeat.unref();
	let error: unknown = null;
	const started = Date.now();
	try {
		const handler = handlers.get(job.kind);
		// Not failed at once: during a rolling deploy an older instance may not know a new kind yet.
		if (!handler) throw new Error(`Kein Handler für die Job-Art "${job.kind}" registriert`);
		await handler(job.payload, job);
	} catch (e) {
		error = e ?? new Error('unknown error');
	} finally {
		clearInterval(heartbeat);
	}

	let outcome: Outcome;
	if (!error) {
		const rows = await db()
			.update(jobs)
			.set({ status: 'done', finishedAt: sql`now()`, lockedBy: null, lockedAt: null, lastError: null })
			.where(held(job, workerId))
			.returning({ id: jobs.id });
		outcome = rows.length ? 'done' : 'lost';
	} else {
		const final = job.attempts >= job.maxAttempts;
		const delay = backoffSeconds(job.attempts);
		const rows = await db()
			.update(jobs)
			.set(
				final
					? { status: 'failed', finishedAt: sql`now()`, lockedBy: null, lockedAt: null, lastError: errorText(error) }
					: {
							status: 'queued',
							runAt: sql`now() + ${delay}::int * interval '1 second'`,
							lockedBy: null,
							lockedAt: null,
							lastError: errorText(error)
						}
			)
			.where(held(job, workerId))
			.returning({ id: jobs.id });
		outcome = !rows.length ? 'lost' : final ? 'failed' : 'retried';
	}
	const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts, workerId, ms: Date.now() - started };
	if (outcome === 'done') log.info('jobs.done', fields);
	else if (outcome === 'lost') log.warn('jobs.lock_lost', fields);
	else log[outcome === 'failed' ? 'error' : 'warn'](`jobs.${outcome}`, { ...fields, err: String(error) });

	const s = schedules.get(job.kind);
	if (s && outcome !== 'retried') await ensureScheduled(job.kind, s);
	return outcome;
}

export interface RunSummary {
	claimed: number;
	done: number;
	retried: number;
	failed: number;
}

async function runBatch(
	workerId: string,
	limit: number,
	staleAfterMs: number,
	stopping: () => boolean
): Promise<RunSummary> {
	await requeueStaleJobs(staleAfterMs);
	const batch = await claim(workerId, limit);
	const summary: RunSummary = { claimed: batch.length, done: 0, retried: 0, failed: 0 };
	for (let i = 0; i < batch.length; i++) {
		if (stopping()) {
			// Hands unstarted jobs back at once instead of leaving them to the stale check.
			const rest = batch.slice(i);
			await db()
				.update(jobs)
				.set({ status: 'queued', lockedBy: null, lockedAt: null, attempts: sql`${jobs.attempts} - 1` })
				.where(and(inArray(jobs.id, rest.map((j) => j.id)), eq(jobs.status, 'running'), eq(jobs.lockedBy, workerId)));
			summary.claimed = i;
			break;
		}
		const outcome = await runOne(batch[i], workerId, staleAfterMs);
		if (outcome !== 'lost') summary[outcome]++;
	}
	return summary;
}

/** Runs up to `limit` due jobs once (tests, CLI). */
export function runDueJobs(workerId: string, limit = 10, opts: { staleAfterMs?: number } = {}): Promise<RunSummary> {
	return runBatch(workerId, limit, opts.staleAfterMs ?? DEFAULT_STALE_MS, () => false);
}

export interface JobRunner {
	workerId: string;
	/** Resolves when the job in progress has finished; unstarted claimed jobs go back to the queue. */
	stop(): Promise<void>;
}

export function startJobRunner(
	opts: { workerId?: string; pollMs?: number; batchSize?: number; staleAfterMs?: number } = {}
): JobRunner {
	const workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
	const pollMs = opts.pollMs ?? 2000;
	const batchSize = opts.batchSize ?? 10;
	const staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_MS;
	let stopping = false;
	let wake: (() => void) | null = null;

	const loop = (async () => {
		let lastEnsure = 0;
		while (!stopping) {
			let full = false;
			try {
				// Safety net for schedules whose queued row vanished (deleted by hand, purged).
				if (Date.now() - lastEnsure > 60_000) {
					await ensureSchedules();
					lastEnsure = Date.now();
				}
				const r = await runBatch(workerId, batchSize, staleAfterMs, () => stopping);
				full = r.claimed === batchSize;
			} catch (e) {
				// The database may be briefly unreachable; keep polling rather than dying.
				log.error('jobs.runner_error', { workerId, err: errorText(e) });
			}
			if (!full && !stopping) {
				await new Promise<void>((resolve) => {
					const t = setTimeout(resolve, pollMs);
					wake = () => {
						clearTimeout(t);
						resolve();
					};
				});
				wake = null;
			}
		}
	})();
	log.info('jobs.runner_started', { workerId, pollMs });

	return {
		workerId,
		async stop() {
			stopping = true;
			(wake as (() => void) | null)?.();
			await loop;
			log.info('jobs.runner_stopped', { workerId });
		}
	};
}

// ---- built-in kinds -------------------------------------------------------------------------

/** Mail whose delivery is retried: `enqueue('mail.send', mail, {}, tx)`. */
registerJobHandler<Mail>('mail.send', async (mail) => {
	await sendMail({
		...mail,
		// Buffers come back from JSON as { type: 'Buffer', data: [...] }.
		attachments: mail.attachments?.map((a) => ({ ...a, content: reviveBuffer(a.content) }))
	});
});

function reviveBuffer(c: unknown): string | Buffer {
	if (c && typeof c === 'object' && (c as { type?: unknown }).type === 'Buffer') {
		return Buffer.from((c as { data: number[] }).data);
	}
	return c as string | Buffer;
}

/** Deletes finished jobs after the retention period; failed ones stay for the operator. */
export async function purgeDoneJobs(olderThanDays = 30): Promise<number> {
	const rows = await db()
		.delete(jobs)
		.where(and(eq(jobs.status, 'done'), lt(jobs.finishedAt, sql`now() - ${olderThanDays}::int * interval '1 day'`)))
		.returning({ id: jobs.id });
	return rows.length;
}

registerJobHandler('jobs.purge', async () => {
	const n = await purgeDoneJobs();
	if (n) log.info('jobs.purged', { count: n });
});
// Queued by every runner's loop (ensureSchedules), so no module has to remember it.
schedules.set('jobs.purge', { everySeconds: 86_400, payload: {}, maxAttempts: 1 });
