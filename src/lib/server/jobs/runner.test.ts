import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db, query } from '../db/client';
import { jobs } from './schema';
import {
	enqueue,
	jobCounts,
	listFailedJobs,
	purgeDoneJobs,
	registerJobHandler,
	requeueStaleJobs,
	retryJob,
	runDueJobs,
	schedule,
	startJobRunner,
	unschedule
} from './index';

const t = useTestDb();

async function jobById(id: number) {
	const [j] = await db().select().from(jobs).where(eq(jobs.id, id));
	return j;
}

/** Seconds from the database's now() to a timestamp: both sides on one clock. */
async function secondsFromNow(d: Date): Promise<number> {
	const [r] = await query<{ s: number }>(sql`select extract(epoch from (${d.toISOString()}::timestamptz - now()))::float8 as s`);
	return r.s;
}

async function makeDue(id: number) {
	await db().update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, id));
}

afterEach(async () => {
	// Each test starts from an empty queue so counts mean what they say.
	await db().delete(jobs);
});

describe('two runners on one database', () => {
	it('never run a job twice', async () => {
		const runs = new Map<number, string[]>();
		registerJobHandler<{ n: number }>('test.count', async (_p, job) => {
			runs.set(job.id, [...(runs.get(job.id) ?? []), job.lockedBy!]);
			// A short handler keeps both runners busy claiming, so their claim transactions overlap
			// on PostgreSQL: without FOR UPDATE SKIP LOCKED this test sees jobs run twice.
			await new Promise((r) => setImmediate(r));
		});
		const ids: number[] = [];
		for (let n = 0; n < 200; n++) ids.push((await enqueue('test.count', { n }))!.id);

		const drain = async (workerId: string) => {
			let total = 0;
			for (;;) {
				const r = await runDueJobs(workerId, 7);
				if (r.claimed === 0) return total;
				total += r.done;
			}
		};
		const [a, b] = await Promise.all([drain('worker-a'), drain('worker-b')]);

		expect(a + b).toBe(200);
		expect([...runs.keys()].sort((x, y) => x - y)).toEqual(ids);
		for (const by of runs.values()) expect(by).toHaveLength(1);
		// Both took part, so the test really exercised concurrent claiming.
		const workers = new Set([...runs.values()].flat());
		expect(workers).toEqual(new Set(['worker-a', 'worker-b']));
		const rows = await db().select().from(jobs).where(inArray(jobs.id, ids));
		expect(rows.every((r) => r.status === 'done' && r.attempts === 1 && r.finishedAt && !r.lockedBy)).toBe(true);
		if (t.engine() === 'postgres') expect(Math.min(a, b)).toBeGreaterThan(0);
	});

	it('startJobRunner processes jobs and stop() waits for the job in progress', async () => {
		let finished = 0;
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		registerJobHandler('test.slow', async () => {
			await gate;
			finished++;
		});
		const job = (await enqueue('test.slow', {}))!;
		const runner = startJobRunner({ workerId: 'loop', pollMs: 20 });
		// Wait until the runner has claimed the job.
		for (let i = 0; i < 200 && (await jobById(job.id)).status !== 'running'; i++) {
			await new Promise((r) => setTimeout(r, 10));
		}
		expect((await jobById(job.id)).lockedBy).toBe('loop');
		let stopped = false;
		const stopping = runner.stop().then(() => (stopped = true));
		await new Promise((r) => setTimeout(r, 50));
		expect(stopped).toBe(false);
		release();
		await stopping;
		expect(finished).toBe(1);
		expect((await jobById(job.id)).status).toBe('done');
	});
});

describe('failures', () => {
	it('re-queues with exponential backoff and stores the last error, then fails after maxAttempts', async () => {
		let fail = true;
		registerJobHandler('test.flaky', async () => {
			if (fail) throw new Error('SMTP nicht erreichbar');
		});
		const job = (await enqueue('test.flaky', {}, { maxAttempts: 3 }))!;

		expect(await runDueJobs('w')).toMatchObject({ claimed: 1, retried: 1 });
		let j = await jobById(job.id);
		expect(j).toMatchObject({ status: 'queued', attempts: 1, lockedBy: null });
		expect(j.lastError).toContain('SMTP nicht erreichbar');
		expect(await secondsFromNow(j.runAt)).toBeGreaterThan(25);
		expect(await secondsFromNow(j.runAt)).toBeLessThanOrEqual(30);
		// Not due yet: nothing runs.
		expect((await runDueJobs('w')).claimed).toBe(0);

		await makeDue(job.id);
		await runDueJobs('w');
		j = await jobById(job.id);
		expect(j.attempts).toBe(2);
		expect(await secondsFromNow(j.runAt)).toBeGreaterThan(55);
		expect(await secondsFromNow(j.runAt)).toBeLessThanOrEqual(60);

		await makeDue(job.id);
		expect(await runDueJobs('w')).toMatchObject({ failed: 1 });
		j = await jobById(job.id);
		expect(j).toMatchObject({ status: 'failed', attempts: 3 });
		expect(j.finishedAt).toBeInstanceOf(Date);

		const failed = await listFailedJobs({ page: 1, pageSize: 10 });
		expect(failed.total).toBe(1);
		expect(failed.items.map((i) => i.id)).toEqual([job.id]);
		expect(await jobCounts()).toMatchObject({ failed: 1, queued: 0, running: 0 });

		// The operator retries after the cause is fixed.
		fail = false;
		expect(await retryJob(job.id)).toMatchObject({ status: 'queued', attempts: 0 });
		expect(await retryJob(job.id)).toBeNull(); // only failed jobs can be retried
		expect(await runDueJobs('w')).toMatchObject({ done: 1 });
		expect((await listFailedJobs()).total).toBe(0);
		expect(await jobCounts()).toMatchObject({ done: 1, failed: 0 });
	});

	it('pages the failed list, newest first', async () => {
		registerJobHandler('test.fail', async () => {
			throw new Error('kaputt');
		});
		for (let i = 0; i < 5; i++) await enqueue('test.fail', { i }, { maxAttempts: 1 });
		expect((await runDueJobs('w', 10)).failed).toBe(5);
		const p1 = await listFailedJobs({ page: 1, pageSize: 2 });
		const p3 = await listFailedJobs({ page: 3, pageSize: 2 });
		expect(p1.total).toBe(5);
		expect(p1.items).toHaveLength(2);
		expect(p3.items).toHaveLength(1);
		const all = [...p1.items, ...(await listFailedJobs({ page: 2, pageSize: 2 })).items, ...p3.items];
		expect(new Set(all.map((j) => j.id)).size).toBe(5);
	});

	it('fails a job of an unknown kind visibly', async () => {
		const job = (await enqueue('test.nobody-handles-this', {}, { maxAttempts: 1 }))!;
		await runDueJobs('w');
		const j = await jobById(job.id);
		expect(j.status).toBe('failed');
		expect(j.lastError).toContain('Kein Handler für die Job-Art "test.nobody-handles-this"');
	});
});

describe('uniqueKey', () => {
	it('ignores a second enqueue with the same key', async () => {
		const first = await enqueue('test.count', { a: 1 }, { uniqueKey: 'reminder:meeting-1' });
		const second = await enqueue('test.count', { a: 2 }, { uniqueKey: 'reminder:meeting-1' });
		expect(first).not.toBeNull();
		expect(second).toBeNull();
		const rows = await db().select().from(jobs).where(eq(jobs.uniqueKey, 'reminder:meeting-1'));
		expect(rows).toHaveLength(1);
		expect(rows[0].payload).toEqual({ a: 1 });
	});

	it('enqueues inside a transaction only if it commits', async () => {
		await expect(
			db().transaction(async (tx) => {
				await enqueue('test.count', {}, { uniqueKey: 'rolled-back' }, tx);
				throw new Error('rollback');
			})
		).rejects.toThrow('rollback');
		expect(await db().select().from(jobs).where(eq(jobs.uniqueKey, 'rolled-back'))).toHaveLength(0);
	});
});

describe('stale jobs', () => {
	it('re-queues a job left running by a crashed instance and runs it again', async () => {
		const seen: string[] = [];
		registerJobHandler('test.stale', async (_p, job) => {
			seen.push(job.lockedBy!);
		});
		const job = (await enqueue('test.stale', {}))!;
		await db()
			.update(jobs)
			.set({ status: 'running', attempts: 1, lockedBy: 'crashed', lockedAt: sql`now() - interval '30 minutes'` })
			.where(eq(jobs.id, job.id));
		// A job that is running but fresh is left alone.
		const fresh = (await enqueue('test.stale', {}))!;
		await db()
			.update(jobs)
			.set({ status: 'running', attempts: 1, lockedBy: 'alive', lockedAt: sql`now()` })
			.where(eq(jobs.id, fresh.id));

		expect(await runDueJobs('rescuer')).toMatchObject({ claimed: 1, done: 1 });
		expect(seen).toEqual(['rescuer']);
		expect(await jobById(job.id)).toMatchObject({ status: 'done', attempts: 2 });
		expect(await jobById(fresh.id)).toMatchObject({ status: 'running', lockedBy: 'alive' });
	});

	it('fails a stale job that has no attempts left', async () => {
		const job = (await enqueue('test.stale', {}, { maxAttempts: 2 }))!;
		await db()
			.update(jobs)
			.set({ status: 'running', attempts: 2, lockedBy: 'crashed', lockedAt: sql`now() - interval '1 hour'` })
			.where(eq(jobs.id, job.id));
		expect(await requeueStaleJobs()).toBe(1);
		const j = await jobById(job.id);
		expect(j.status).toBe('failed');
		expect(j.lastError).toContain('crashed');
	});

	it('lets only the holder finish: a worker whose job was taken over does not overwrite it', async () => {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		registerJobHandler('test.hijacked', async () => gate);
		const job = (await enqueue('test.hijacked', {}))!;
		const running = runDueJobs('slow');
		for (let i = 0; i < 200 && (await jobById(job.id)).status !== 'running'; i++) {
			await new Promise((r) => setTimeout(r, 5));
		}
		// Meanwhile the stale check handed it to another worker (simulated).
		await db().update(jobs).set({ lockedBy: 'other', attempts: 2 }).where(eq(jobs.id, job.id));
		release();
		expect(await running).toMatchObject({ claimed: 1, done: 0 });
		expect(await jobById(job.id)).toMatchObject({ status: 'running', lockedBy: 'other' });
	});
});

describe('schedule', () => {
	afterEach(async () => unschedule('test.tick'));

	it('keeps exactly one future job per kind and queues the next slot after a run', async () => {
		let ticks = 0;
		registerJobHandler('test.tick', async () => {
			ticks++;
		});
		// Several instances starting at once all call schedule().
		const created = await Promise.all([schedule('test.tick', 1), schedule('test.tick', 1), schedule('test.tick', 1)]);
		expect(created.filter(Boolean)).toHaveLength(1);
		const queued = await db().select().from(jobs).where(eq(jobs.kind, 'test.tick'));
		expect(queued).toHaveLength(1);
		expect(queued[0].uniqueKey).toMatch(/^sched:test\.tick:\d+$/);
		// The next 1-second slot: at most a second ahead. On a busy machine the slot may already
		// have begun by the time we look, so only a little lateness is allowed below zero.
		const wait = await secondsFromNow(queued[0].runAt);
		expect(wait).toBeGreaterThan(-2);
		expect(wait).toBeLessThanOrEqual(1);

		await new Promise((r) => setTimeout(r, Math.max(0, wait) * 1000 + 50));
		expect(await runDueJobs('w')).toMatchObject({ done: 1 });
		expect(ticks).toBe(1);
		const after = await db().select().from(jobs).where(eq(jobs.kind, 'test.tick'));
		expect(after.map((j) => j.status).sort()).toEqual(['done', 'queued']);
		const next = after.find((j) => j.status === 'queued')!;
		expect(next.uniqueKey).not.toBe(queued[0].uniqueKey);
		expect(next.runAt.getTime()).toBeGreaterThan(queued[0].runAt.getTime());
		// Another instance re-ensuring does not add a second one.
		expect(await schedule('test.tick', 1)).toBeNull();
		expect(await db().select().from(jobs).where(eq(jobs.status, 'queued'))).toHaveLength(1);
	});
});

describe('mail.send', () => {
	it('delivers a queued mail, attachments included, through sendMail', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-jobs-'));
		const saved = { DATA_DIR: process.env.DATA_DIR, SMTP_URL: process.env.SMTP_URL };
		process.env.DATA_DIR = dir;
		delete process.env.SMTP_URL;
		try {
			await enqueue('mail.send', {
				to: 'kommune@example.org',
				subject: 'Protokoll der Sitzung',
				text: 'Anbei das Protokoll.',
				html: '<p>Anbei das Protokoll.</p>',
				attachments: [{ filename: 'protokoll.txt', content: Buffer.from('Tagesordnung: Wärmeplanung'), contentType: 'text/plain' }]
			});
			expect(await runDueJobs('w')).toMatchObject({ done: 1 });
			const files = fs.readdirSync(path.join(dir, 'outbox'));
			expect(files).toHaveLength(1);
			const eml = fs.readFileSync(path.join(dir, 'outbox', files[0]), 'utf8');
			expect(eml).toContain('To: kommune@example.org');
			expect(eml).toContain('filename=protokoll.txt');
			// The Buffer survived the JSON payload: its bytes, not '[object Object]', are attached.
			expect(eml).toContain(Buffer.from('Tagesordnung: Wärmeplanung').toString('base64'));
		} finally {
			for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('housekeeping', () => {
	it('purges done jobs after the retention period, keeps failed and recent ones', async () => {
		const old = (await enqueue('test.count', {}))!;
		const recent = (await enqueue('test.count', {}))!;
		const failed = (await enqueue('test.count', {}))!;
		await db().update(jobs).set({ status: 'done', finishedAt: sql`now() - interval '40 days'` }).where(eq(jobs.id, old.id));
		await db().update(jobs).set({ status: 'done', finishedAt: sql`now()` }).where(eq(jobs.id, recent.id));
		await db().update(jobs).set({ status: 'failed', finishedAt: sql`now() - interval '40 days'` }).where(eq(jobs.id, failed.id));
		expect(await purgeDoneJobs(30)).toBe(1);
		const left = (await db().select({ id: jobs.id }).from(jobs)).map((r) => r.id).sort((a, b) => a - b);
		expect(left).toEqual([recent.id, failed.id]);
	});
});
