#!/usr/bin/env node
// The citizen portal under load: requests per second and p50/p99 latency of the portal home
// (/harz: counts, latest updates, pledge totals, towns) and the public measure list (/harz/massnahmen,
// plain and filtered) with 50 concurrent visitors, on PGlite and on PostgreSQL. Visitors have no
// session, so every request reaches the app (the Cache-Control header would let a proxy in front
// answer most of them; this measures the app alone). Data: the Harz demo (seed-demo); with
// BENCH_LARGE=1 also a network of 500 towns with 20,000 measures (bench/measures-data.js), a tenth
// of them public. Prints figures; fails when a request is not answered with 2xx.
// The server runs from a private copy of build/ (others may rebuild it meanwhile), as in bench/measures.js.
//
//   npm run bench:portal
//   BENCH_DURATION=10      seconds per scenario (plus BENCH_WARMUP=2 s unmeasured)
//   BENCH_CONNECTIONS=50   concurrent connections
//   BENCH_ENGINES=pglite,postgres
//   BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres   (server to create the scratch database on;
//                          BENCH_DATABASE_URL is read too)
//   BENCH_LARGE=1          add the 20,000-measure network
//   BENCH_NO_BUILD=1       use build/ and build-cli/ as they are
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createScratchDatabase } from './scratch-db.js';
import { SLUG as LARGE_SLUG, fillStatements } from './measures-data.js';

process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((s) => s.trim());
const PG = process.env.BENCH_PG ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LARGE = !!process.env.BENCH_LARGE;

const SCENARIOS = [
	{ name: 'portal home /harz', path: '/harz', expect: 'Was bisher geschah' },
	{ name: 'measure list /harz/massnahmen', path: '/harz/massnahmen', expect: '/harz/massnahmen/' },
	{ name: 'measure list, filtered', path: '/harz/massnahmen?status=implementation&handlungsfeld=energy', expect: '/harz/massnahmen/' },
	...(LARGE
		? [
				{ name: `portal home /${LARGE_SLUG} (20,000)`, path: `/${LARGE_SLUG}`, expect: 'Was bisher geschah' },
				{ name: `measure list /${LARGE_SLUG} (20,000)`, path: `/${LARGE_SLUG}/massnahmen`, expect: `/${LARGE_SLUG}/massnahmen/` },
				{ name: `list page 20 /${LARGE_SLUG}`, path: `/${LARGE_SLUG}/massnahmen?seite=20`, expect: `/${LARGE_SLUG}/massnahmen/` }
			]
		: [])
];

// ── clean-up on every exit path ────────────────────────────────────────────────────────────────
const cleanups = [];
let server = null;
let serverStderr = '';
async function cleanUp() {
	while (cleanups.length) {
		try {
			await cleanups.pop()();
		} catch (e) {
			console.error('clean-up:', e.message);
		}
	}
}
let appCopy = null;
process.on('exit', () => {
	if (server && server.exitCode === null) server.kill('SIGKILL');
	if (appCopy) fs.rmSync(appCopy, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		console.error(`\n${sig}: cleaning up …`);
		cleanUp().finally(() => process.exit(130));
	});
}
const fail = (msg) => {
	throw new Error(msg);
};

// ── the built app (a private copy, see bench/measures.js) ──────────────────────────────────────
const REQUIRED = ['build/index.js', 'build/handler.js', 'build/client', 'build-cli/index.js'];
const newest = (p) => {
	const st = fs.statSync(p);
	return st.isDirectory() ? Math.max(st.mtimeMs, ...fs.readdirSync(p).map((e) => newest(path.join(p, e)))) : st.mtimeMs;
};
const buildAge = () => Date.now() - Math.max(newest('build'), newest('build-cli'));

async function waitForQuietBuild() {
	const t0 = Date.now();
	for (;;) {
		try {
			if (REQUIRED.every((f) => fs.existsSync(f)) && buildAge() > 15_000) return;
		} catch {
			/* files vanished mid-walk: a build is running */
		}
		if (Date.now() - t0 > 300_000) fail(`build/ and build-cli/ incomplete or changing for 5 minutes (npm run build)`);
		await new Promise((r) => setTimeout(r, 2000));
	}
}

function snapshotBuild() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-bench-portal-app-'));
	appCopy = dir;
	for (const d of ['build', 'build-cli', 'drizzle']) fs.cpSync(d, path.join(dir, d), { recursive: true });
	fs.copyFileSync('package.json', path.join(dir, 'package.json'));
	fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
	return dir;
}

function cli(app, env, ...args) {
	const r = spawnSync(process.execPath, ['build-cli/index.js', ...args], { cwd: app, env: { ...env, LOG_SILENT: '1' }, encoding: 'utf8' });
	if (r.status !== 0) fail(`CLI ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
	return r.stdout;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

async function startServer(app, env, port) {
	serverStderr = '';
	const child = spawn(process.execPath, ['build/index.js'], { cwd: app, env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_SILENT: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
	child.stderr.on('data', (d) => (serverStderr = (serverStderr + d).slice(-4000)));
	server = child;
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(t);
	};
	cleanups.push(stop);
	const t0 = Date.now();
	for (;;) {
		if (child.exitCode !== null) fail(`server exited with ${child.exitCode}`);
		if (Date.now() - t0 > 90_000) fail('server not healthy after 90 s');
		try {
			if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return { stop, ms: Date.now() - t0 };
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** One request outside the measurement: 200, cacheable for visitors, and the expected content. */
async function check(base, s) {
	const res = await fetch(base + s.path, { redirect: 'manual' });
	const body = await res.text();
	if (res.status !== 200) fail(`GET ${s.path} → HTTP ${res.status}`);
	if (!body.includes(s.expect)) fail(`GET ${s.path}: page lacks "${s.expect}"`);
	return { cache: res.headers.get('cache-control') ?? '–', kb: body.length / 1024 };
}

function cannon(opts) {
	return new Promise((resolve, reject) => {
		const inst = autocannon(opts, (err, r) => (err ? reject(err) : resolve(r)));
		cleanups.push(async () => inst.stop?.());
	});
}

async function measure(base, s) {
	const opts = { url: base + s.path, connections: CONNECTIONS, timeout: 60 };
	if (WARMUP > 0) await cannon({ ...opts, duration: WARMUP });
	const r = await cannon({ ...opts, duration: DURATION });
	return { rps: r.requests.total / DURATION, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

// ── one engine ──────────────────────────────────────────────────────────────────────────────────
async function runEngine(app, engine) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-bench-portal-'));
	cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const env = { ...process.env, DATA_DIR: dir, ORIGIN: base };
	delete env.DATABASE_URL;
	let query = null;
	let close = async () => {};
	if (engine === 'postgres') {
		const scratch = await createScratchDatabase(PG, `klimanetz_bench_portal_${process.pid}`);
		cleanups.push(scratch.drop);
		env.DATABASE_URL = scratch.url;
	}
	const t0 = Date.now();
	cli(app, env, 'seed-demo');
	const seedMs = Date.now() - t0;
	if (LARGE) {
		if (engine === 'postgres') {
			const client = new pg.Client({ connectionString: env.DATABASE_URL });
			await client.connect();
			query = (sql) => client.query(sql);
			close = () => client.end();
		} else {
			const { PGlite } = await import('@electric-sql/pglite');
			const db = await PGlite.create(path.join(dir, 'pglite'));
			query = (sql) => db.query(sql);
			close = () => db.close();
		}
		for (const [table, sql] of fillStatements({ bodies: 500, perBody: 40 })) await query(sql).catch((e) => fail(`fill ${table}: ${e.message}`));
		if (engine === 'postgres') await query('ANALYZE');
		await close();
	}
	const srv = await startServer(app, env, port);
	const rows = [];
	for (const s of SCENARIOS) {
		const first = await check(base, s);
		process.stderr.write(`${engine}: ${s.name} …\n`);
		rows.push({ engine, scenario: s.name, ...first, ...(await measure(base, s)) });
		await check(base, s);
	}
	const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
	await srv.stop();
	server = null;
	return { engine, seedMs, startMs: srv.ms, rss, rows };
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────
const results = [];
let exitCode = 0;
try {
	await waitForQuietBuild();
	if (!process.env.BENCH_NO_BUILD) {
		const { buildIfNeeded } = await import('../scripts/build-if-needed.js');
		buildIfNeeded();
		await waitForQuietBuild();
	}
	const app = snapshotBuild();
	console.log(
		`Klimanetz portal benchmark: ${SCENARIOS.length} pages, ${CONNECTIONS} connections, ${DURATION} s each (+${WARMUP} s warm-up), visitors without session, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`
	);
	for (const engine of ENGINES) {
		results.push(await runEngine(app, engine));
		await cleanUp();
	}
} catch (e) {
	exitCode = 1;
	console.error(`\nBENCHMARK FAILED: ${e.stack ?? e}`);
	if (serverStderr) console.error(`server stderr (tail):\n${serverStderr}`);
} finally {
	await cleanUp();
}

if (results.length) {
	console.log('');
	for (const r of results) console.log(`${r.engine.padEnd(8)} seed-demo ${(r.seedMs / 1000).toFixed(1)} s; server healthy in ${r.startMs} ms; RSS after load ${r.rss.toFixed(0)} MB`);
	const head = ['engine', 'page', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'KB', 'Cache-Control'];
	const table = results
		.flatMap((r) => r.rows)
		.map((x) => [x.engine, x.scenario, x.rps.toFixed(1), String(x.p50), String(x.p99), String(x.total), String(x.non2xx), String(x.errors), x.kb.toFixed(0), x.cache]);
	const w = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
	const left = (i) => i < 2 || i === head.length - 1;
	const line = (cells) => '| ' + cells.map((c, i) => (left(i) ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
	console.log('');
	console.log(line(head));
	console.log('|' + w.map((n, i) => (left(i) ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|');
	for (const row of table) console.log(line(row));
	console.log(`load average at the end: ${os.loadavg()[0].toFixed(1)} (figures are only comparable on an otherwise idle machine)`);
	const bad = results.flatMap((r) => r.rows).filter((x) => x.non2xx > 0 || x.errors > 0 || x.total === 0);
	if (bad.length) {
		exitCode = 1;
		console.error(`\nFAILED: non-2xx responses, errors or no completed request in: ${bad.map((x) => `${x.engine}/${x.scenario}`).join(', ')}`);
	}
}
process.exit(exitCode);
