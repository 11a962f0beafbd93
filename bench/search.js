#!/usr/bin/env node
// Search at scale: one network with 200,000 exchange posts in 20,000 threads of generated German
// text (bench/search-data.js: common words like "Förderung", "Klimaschutz", "Wärmepumpe" in most
// posts, made-up compounds in 0.01 %), on PGlite and on PostgreSQL (both analyzed, as the app does);
// then p50/p99 of the search
// for common and rare words as the network's coordinator.
//
// Service level: the real search service (src/lib/server/search/service.ts with every registered
// source, ranking, counts and snippets) is loaded through Vite's SSR module loader – no build, no
// HTTP. So the figures are the search's own database work plus its JavaScript, without the page.
// Prints figures only; nothing here is a timed assertion.
//
//   npm run bench:search
//   BENCH_POSTS=200000     posts (threads = posts / 10)
//   BENCH_RUNS=50          timed searches per word (after 3 unmeasured)
//   BENCH_ENGINES=pglite,postgres
//   BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres   (server to create the scratch database on)
//   BENCH_PLANS=1          print EXPLAIN ANALYZE of the service's queries for the first common and rare word
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase } from './scratch-db.js';
import { createServer } from 'vite';
import { COMMON, RARE, batches } from './search-data.js';

process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
process.env.LOG_SILENT = '1';

const POSTS = Number(process.env.BENCH_POSTS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((s) => s.trim());
const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SLUG = 'bench-suche';

const QUERIES = [
	...COMMON.map((q) => ({ q, what: 'common' })),
	{ q: 'Förderung Wärmepumpe', what: 'common, two words' },
	{ q: 'Förderung', page: 50, what: 'common, page 50' },
	{ q: 'Förderung', kinds: ['thread'], what: 'common, threads only' },
	...RARE.map((q) => ({ q, what: 'rare' })),
	{ q: 'Quantenwärme', what: 'rare, prefix' }
];

const cleanups = [];
async function cleanUp() {
	while (cleanups.length) {
		try {
			await cleanups.pop()();
		} catch (e) {
			console.error('clean-up:', e.message);
		}
	}
}
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		console.error(`\n${sig}: cleaning up …`);
		cleanUp().finally(() => process.exit(130));
	});
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1)).padStart(7);

// The app's modules, as the server would run them ($lib alias, import.meta.glob for messages).
const vite = await createServer({
	configFile: false,
	logLevel: 'error',
	resolve: { alias: { $lib: path.resolve('src/lib') } },
	server: { middlewareMode: true, hmr: false, watch: null },
	appType: 'custom',
	optimizeDeps: { noDiscovery: true, include: [] }
});
cleanups.push(() => vite.close());
const load = (p) => vite.ssrLoadModule(p);
const client = await load('/src/lib/server/db/client.ts');
const { runMigrations } = await load('/src/lib/server/db/migrate.ts');
const { registerAllRecords } = await load('/src/lib/server/records.ts');
const { loadActor } = await load('/src/lib/server/auth/actor.ts');
const { search } = await load('/src/lib/server/search/service.ts');
registerAllRecords();

async function fill() {
	const { db, sql } = client;
	const run = (q) => db().execute(q);
	const networkId = randomUUID();
	await run(sql`insert into networks (id, slug, name) values (${networkId}, ${SLUG}, 'Benchmark-Netzwerk')`);
	for (let i = 0; i < 21; i++) {
		await run(sql`insert into bodies (network_id, ags, name, kind) values (${networkId}, ${String(15085000 + i)}, ${`Gemeinde ${i}`}, 'gemeinde')`);
	}
	const topicId = randomUUID();
	await run(sql`insert into exchange_topics (id, network_id, title) values (${topicId}, ${networkId}, 'Förderung')`);
	const userId = randomUUID();
	await run(sql`insert into users (id, email, name, email_verified) values (${userId}, 'koordination@bench.example', 'Koordination', true)`);
	await run(sql`insert into memberships (network_id, user_id, role) values (${networkId}, ${userId}, 'coordinator')`);
	const t0 = process.hrtime.bigint();
	let done = 0;
	for (const b of batches({ posts: POSTS })) {
		// One statement per batch, the rows as one JSON parameter: the same on both drivers.
		if (b.threads.length) {
			await run(sql`insert into exchange_threads (id, network_id, topic_id, title, author_id, last_post_at, created_at)
				select x.id, ${networkId}, ${topicId}, x.title, ${userId}, x.at, x.at
				from jsonb_to_recordset(${JSON.stringify(b.threads)}::jsonb) as x(id uuid, title text, at timestamptz)`);
		}
		await run(sql`insert into exchange_posts (network_id, thread_id, author_id, is_opening, body, created_at)
			select ${networkId}, x.thread_id, ${userId}, x.opening, x.body, x.created_at
			from jsonb_to_recordset(${JSON.stringify(b.posts)}::jsonb) as x(thread_id uuid, body text, opening boolean, created_at timestamptz)`);
		done += b.posts.length;
		if (done % 20_000 === 0) process.stdout.write(`\r  filled ${done.toLocaleString('de-DE')} posts (${(ms(t0) / 1000).toFixed(0)} s)`);
	}
	process.stdout.write('\n');
	// Statistics as in the app: PostgreSQL's autovacuum analyzes by itself, on PGlite the app runs
	// ANALYZE at start and daily (app.ts) – without, the planner takes the tables for tiny.
	await run(sql`analyze`);
	const fillSeconds = ms(t0) / 1000;
	return { userId, fillSeconds };
}

/** The engine's open database (the explain spy swaps it for a moment). */
let handle = null;

/** EXPLAIN ANALYZE of the statements search() runs: the handle's execute() is wrapped to catch them. */
async function explain(actor) {
	const real = client.db();
	const caught = [];
	const spy = new Proxy(real, { get: (t, k) => (k === 'execute' ? (q) => (caught.push(q), t.execute(q)) : Reflect.get(t, k)) });
	for (const q of [COMMON[0], RARE[0]]) {
		caught.length = 0;
		client.setDatabase({ db: spy, engine: client.engine(), close: async () => {} });
		await search(actor, SLUG, { q });
		client.setDatabase(handle);
		for (const stmt of caught) {
			const res = await real.execute(client.sql`explain (analyze, buffers off) ${stmt}`);
			console.log(`\n  EXPLAIN „${q}“:\n` + res.rows.map((r) => '    ' + Object.values(r)[0]).join('\n'));
		}
	}
}

async function benchEngine(engine) {
	console.log(`\n── ${engine} ──`);
	if (engine === 'pglite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-bench-search-'));
		cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
		handle = await client.openDatabase({ dataDir: path.join(dir, 'pglite') });
		client.setDatabase(handle);
	} else {
		const scratch = await createScratchDatabase(PG, `kn_bench_search_${randomBytes(4).toString('hex')}`);
		cleanups.push(scratch.drop);
		handle = await client.openDatabase({ url: scratch.url, poolSize: 2 });
		client.setDatabase(handle);
	}
	cleanups.push(() => client.closeDatabase());
	await runMigrations(client.db());
	const { userId, fillSeconds } = await fill();
	console.log(`  ${POSTS.toLocaleString('de-DE')} posts in ${(POSTS / 10).toLocaleString('de-DE')} threads filled in ${fillSeconds.toFixed(0)} s`);
	const actor = await loadActor(userId);
	if (process.env.BENCH_PLANS) await explain(actor);
	console.log(`  ${'query'.padEnd(44)} ${'hits'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}`);
	for (const s of QUERIES) {
		const opts = { q: s.q, page: s.page ?? 1, kinds: s.kinds };
		let total = 0;
		for (let i = 0; i < 3; i++) total = (await search(actor, SLUG, opts)).total;
		const times = [];
		for (let i = 0; i < RUNS; i++) {
			const t0 = process.hrtime.bigint();
			await search(actor, SLUG, opts);
			times.push(ms(t0));
		}
		times.sort((a, b) => a - b);
		const label = `„${s.q}“ (${s.what})`;
		console.log(`  ${label.padEnd(44)} ${String(total).padStart(8)} ${fmt(pct(times, 50))} ${fmt(pct(times, 99))} ${fmt(times.at(-1))}`);
	}
	await cleanUp();
}

const started = Date.now();
console.log(`Search benchmark: ${POSTS.toLocaleString('de-DE')} posts, ${RUNS} runs per query (service level, see the header of bench/search.js)`);
try {
	for (const engine of ENGINES) {
		// Keep the Vite server across engines: only the database handle is replaced.
		const keep = cleanups.splice(0);
		await benchEngine(engine);
		cleanups.push(...keep);
	}
} finally {
	await cleanUp();
}
console.log(`\nTotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(0);
