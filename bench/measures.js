#!/usr/bin/env node
// Measures at scale: 500 municipalities with 20,000 measures in one network (bench/measures-data.js),
// then requests per second and p50/p99 latency of the network's measure list (unfiltered, filtered,
// filtered page 50, full-text search) and of a measure page, on PGlite and on PostgreSQL, signed in
// as the network's coordinator (user, membership and data are inserted directly; the session comes
// from a one-time sign-in link of the CLI). Also EXPLAIN ANALYZEs hand-written equivalents of the
// list queries: on PostgreSQL after ANALYZE, on PGlite as it is (nothing runs ANALYZE there).
// Prints figures; fails when a request is not answered with 2xx (e.g. a lost session).
// The server runs from a private copy of build/ (others may rebuild it meanwhile).
//
//   npm run bench:measures
//   BENCH_DURATION=10      seconds per scenario (default 10; plus BENCH_WARMUP=2 s unmeasured)
//   BENCH_CONNECTIONS=10   concurrent connections
//   BENCH_ENGINES=pglite,postgres
//   BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres   (server to create the scratch database on)
//   BENCH_NO_BUILD=1       use build/ and build-cli/ as they are
//   BENCH_PG_JIT=off       run PostgreSQL with jit = off (default: the server's setting)
//   BENCH_PLANS=1          print the full EXPLAIN plans
//   BENCH_PGLITE_ANALYZE=1 run ANALYZE on PGlite too
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createScratchDatabase } from './scratch-db.js';
import { COORDINATOR, SLUG, fillStatements, measureId } from './measures-data.js';

process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((s) => s.trim());
const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BODIES = 500;
const PER_BODY = 40;
const PAGE_SIZE = 25;

const LIST = `/${SLUG}/intern/massnahmen`;
const FILTER = 'handlungsfeld=energy&status=implementation&status=planned&pruefung=open';
const SEARCH = 'q=Photovoltaik';
// SQL equivalents of the filters, for hit counts and EXPLAIN (mirrors measureWhere in list.ts).
const FILTER_SQL = `f.theme = 'energy' AND m.status IN ('implementation', 'planned')
  AND EXISTS (SELECT 1 FROM measure_constraints mc WHERE mc.measure_id = m.id AND mc.state IN ('conflict', 'to_check'))`;
const SEARCH_SQL = `(m.search @@ to_tsquery('german', 'Photovoltaik:*') OR m.code ILIKE 'Photovoltaik%')`;

// ── clean-up on every exit path ────────────────────────────────────────────────────────────────
const cleanups = [];
/** Run once at the very end (the app copy is shared by both engines). */
const cleanupsAtEnd = [];
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
process.on('exit', () => {
	if (server && server.exitCode === null) server.kill('SIGKILL');
	for (const f of cleanupsAtEnd.splice(0)) f();
});
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		console.error(`\n${sig}: cleaning up …`);
		cleanUp().finally(() => process.exit(130));
	});
}

// ── the built app ───────────────────────────────────────────────────────────────────────────────
const REQUIRED = ['build/index.js', 'build/handler.js', 'build/client', 'build/server/chunks/entries', 'build-cli/index.js'];
let APP = process.cwd();

function newest(p) {
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs;
	for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
	return max;
}

async function waitForQuietBuild() {
	const t0 = Date.now();
	for (;;) {
		try {
			if (REQUIRED.every((f) => fs.existsSync(f)) && Date.now() - Math.max(newest('build'), newest('build-cli')) > 15_000) return;
		} catch {
			/* files vanished mid-walk: a build is running */
		}
		if (Date.now() - t0 > 300_000) fail(`build/ and build-cli/ incomplete or changing for 5 minutes (need ${REQUIRED.join(', ')}; npm run build)`);
		await new Promise((r) => setTimeout(r, 2000));
	}
}

function snapshotBuild() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-bench-app-'));
	cleanupsAtEnd.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	const before = Math.max(newest('build'), newest('build-cli'));
	for (const d of ['build', 'build-cli', 'drizzle']) fs.cpSync(d, path.join(dir, d), { recursive: true });
	fs.copyFileSync('package.json', path.join(dir, 'package.json'));
	fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
	if (Math.max(newest('build'), newest('build-cli')) !== before) fail('build/ changed while it was copied; run again');
	return dir;
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────
const fail = (msg) => {
	throw new Error(msg);
};

function cli(env, ...args) {
	const r = spawnSync(process.execPath, ['build-cli/index.js', ...args], { cwd: APP, env: { ...env, LOG_SILENT: '1' }, encoding: 'utf8' });
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

async function startServer(env, port) {
	serverStderr = '';
	const child = spawn(process.execPath, ['build/index.js'], { cwd: APP, env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_SILENT: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
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
			if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	return { stop };
}

/** Follows the one-time sign-in link and returns the Cookie header of the new session. */
async function signIn(base, link) {
	const u = new URL(link);
	const res = await fetch(`${base}${u.pathname}${u.search}`, { redirect: 'manual' });
	const cookies = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.filter((c) => !c.endsWith('='));
	if (!cookies.some((c) => c.includes('session_token'))) {
		fail(`sign-in link gave no session cookie (HTTP ${res.status}, location ${res.headers.get('location')}, cookies ${cookies.join(', ') || 'none'})`);
	}
	return cookies.join('; ');
}

/** One request outside the measurement: must be 200 and list/show measures (not the sign-in page). */
async function check(base, cookie, p) {
	let res;
	for (let attempt = 1; !res; attempt++) {
		try {
			res = await fetch(base + p, { headers: { cookie }, redirect: 'manual' });
		} catch (e) {
			// A kept-alive connection the server closed just then (ECONNRESET): try once more.
			if (attempt < 3 && server?.exitCode === null) continue;
			fail(`GET ${p}: ${e.message} (${e.cause?.code ?? e.cause?.message ?? ''})${server?.exitCode !== null ? `; server exited with ${server?.exitCode}` : ''}`);
		}
	}
	const body = await res.text();
	if (res.status !== 200) fail(`GET ${p} → HTTP ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''} (a redirect to /anmelden means the session is not accepted)`);
	if (!/\/intern\/massnahmen\/[0-9a-f-]{36}/.test(body) && !p.match(/[0-9a-f-]{36}$/)) fail(`GET ${p}: page lists no measure`);
}

function cannon(opts) {
	return new Promise((resolve, reject) => {
		const inst = autocannon(opts, (err, r) => (err ? reject(err) : resolve(r)));
		cleanups.push(async () => inst.stop?.());
	});
}

async function measure(base, cookie, scenario) {
	const paths = scenario.paths ?? [scenario.path];
	let i = 0;
	const request = { method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) };
	// A generous timeout: on PGlite every query of every connection waits in one queue.
	const opts = { url: base, connections: CONNECTIONS, timeout: 60, headers: { cookie }, requests: [request] };
	// After each run the server may still work off requests whose connections autocannon closed:
	// one more request (it queues behind them) makes sure the next measurement starts on an idle server.
	const drain = () => check(base, cookie, paths[0]);
	if (WARMUP > 0) {
		await cannon({ ...opts, duration: WARMUP });
		await drain();
	}
	// Latency of one request on an otherwise idle server (median of three).
	const single = [];
	for (let k = 0; k < 3; k++) {
		const t = performance.now();
		await check(base, cookie, paths[(k * 37) % paths.length]);
		single.push(performance.now() - t);
	}
	const r = await cannon({ ...opts, duration: DURATION });
	await drain();
	return {
		single: single.sort((a, b) => a - b)[1],
		rps: r.requests.total / DURATION,
		p50: r.latency.p50,
		p99: r.latency.p99,
		non2xx: r.non2xx,
		errors: r.errors + r.timeouts,
		total: r.requests.total,
		kb: r.requests.total ? r.throughput.total / r.requests.total / 1024 : 0
	};
}

// ── database side ───────────────────────────────────────────────────────────────────────────────
/** Fills the database; returns per-table milliseconds and the total. */
async function fill(query) {
	const times = [];
	const t0 = Date.now();
	for (const [table, sql] of fillStatements({ bodies: BODIES, perBody: PER_BODY })) {
		const t = Date.now();
		await query(sql).catch((e) => fail(`fill ${table}: ${e.message}`));
		times.push(`${table} ${Date.now() - t}`);
	}
	return { ms: Date.now() - t0, detail: times.join(', ') };
}

async function hitCounts(query) {
	const one = async (where) =>
		Number((await query(`SELECT count(*)::int AS n FROM measures m LEFT JOIN fields_of_action f ON f.id = m.field_id WHERE ${where}`)).rows[0].n);
	return { all: await one('true'), filtered: await one(FILTER_SQL), search: await one(SEARCH_SQL) };
}

const listSql = (where, offset) => `SELECT m.id, m.code, m.title, m.status, m.progress, m.priority, m.term, m.planned_start, m.planned_end, m.is_public, m.updated_at,
  m.body_id, b.name, b.ags, c.title, f.name, f.color, f.theme,
  (SELECT count(*)::int FROM measure_constraints x WHERE x.measure_id = m.id AND x.state = 'conflict') AS conflicts,
  (SELECT count(*)::int FROM measure_constraints x WHERE x.measure_id = m.id AND x.state = 'to_check') AS to_check
FROM measures m JOIN bodies b ON b.id = m.body_id JOIN concepts c ON c.id = m.concept_id LEFT JOIN fields_of_action f ON f.id = m.field_id
WHERE m.network_id = (SELECT id FROM networks WHERE slug = '${SLUG}') AND ${where}
ORDER BY b.name, m.code, m.id LIMIT ${PAGE_SIZE} OFFSET ${offset}`;
const countSql = (where) => `SELECT count(*)::int FROM measures m JOIN bodies b ON b.id = m.body_id JOIN concepts c ON c.id = m.concept_id
LEFT JOIN fields_of_action f ON f.id = m.field_id WHERE m.network_id = (SELECT id FROM networks WHERE slug = '${SLUG}') AND ${where}`;
const statusCountsSql = `SELECT m.status, count(*)::int, sum(m.progress)::int FROM measures m JOIN bodies b ON b.id = m.body_id JOIN concepts c ON c.id = m.concept_id
LEFT JOIN fields_of_action f ON f.id = m.field_id WHERE m.network_id = (SELECT id FROM networks WHERE slug = '${SLUG}') GROUP BY m.status`;
// measureCounts(): runs on every list page (status counts, conflicts, overdue of the whole network).
// As list.ts writes it since the conflict/overdue conditions became uncorrelated IN subqueries.
const countsSql = `SELECT count(*) FILTER (WHERE m.id IN (SELECT x.measure_id FROM measure_constraints x WHERE x.network_id = m.network_id AND x.state = 'conflict'))::int,
  count(*) FILTER (WHERE m.status NOT IN ('completed', 'discarded') AND (m.planned_end < current_date OR m.id IN (SELECT t.measure_id FROM measure_tasks t
    WHERE t.network_id = m.network_id AND t.state IN ('open', 'in_progress') AND t.due_on < current_date)))::int
FROM measures m JOIN bodies b ON b.id = m.body_id JOIN concepts c ON c.id = m.concept_id LEFT JOIN fields_of_action f ON f.id = m.field_id
WHERE m.network_id = (SELECT id FROM networks WHERE slug = '${SLUG}')`;

async function explain(query, label, sql) {
	const lines = (await query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`).catch((e) => fail(`EXPLAIN ${label}: ${e.message}`))).rows.map((r) => r['QUERY PLAN']);
	const scans = [...new Set(lines.map((l) => /(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)(?: using (\S+))? on (measures|measure_constraints|measure_tasks|bodies|fields_of_action)\b/.exec(l)).filter(Boolean).map((m) => `${m[1]}${m[2] ? ` (${m[2]})` : ''} on ${m[3]}`))];
	const time = lines.find((l) => l.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
	const jit = lines.some((l) => l.startsWith('JIT:')) ? `JIT (${lines.find((l) => l.trim().startsWith('Options:'))?.trim().replace('Options: ', '')})` : null;
	return { label, top: lines[0].trim(), time, scans: jit ? [...scans, jit] : scans, lines };
}

async function explainAll(query, engine, filteredOffset) {
	const out = [];
	out.push(await explain(query, 'list (unfiltered, page 1)', listSql('true', 0)));
	out.push(await explain(query, 'list filtered, page 1', listSql(FILTER_SQL, 0)));
	out.push(await explain(query, `list filtered, offset ${filteredOffset}`, listSql(FILTER_SQL, filteredOffset)));
	out.push(await explain(query, 'count filtered', countSql(FILTER_SQL)));
	out.push(await explain(query, 'list q=Photovoltaik', listSql(SEARCH_SQL, 0)));
	// A rarer word shows whether the GIN index is usable at all next to the code ILIKE of measureWhere.
	out.push(await explain(query, 'list q=Thermografie', listSql(SEARCH_SQL.replaceAll('Photovoltaik', 'Thermografie'), 0)));
	out.push(await explain(query, 'list q=Thermografie, no code ILIKE', listSql(`m.search @@ to_tsquery('german', 'Thermografie:*')`, 0)));
	out.push(await explain(query, 'status counts (every list page)', statusCountsSql));
	out.push(await explain(query, 'conflict/overdue counts (every list page)', countsSql));
	console.log(`\n${engine}: EXPLAIN ANALYZE of the list queries (hand-written equivalents of list.ts)`);
	for (const e of out) {
		console.log(`  ${e.label.padEnd(41)} ${e.time.padStart(10)}  top: ${e.top}`);
		console.log(`  ${''.padEnd(41)} ${''.padStart(10)}  scans: ${e.scans.join('; ')}`);
	}
	if (process.env.BENCH_PLANS) for (const e of out) console.log(`\n-- ${e.label}\n${e.lines.join('\n')}`);
	return out;
}

// ── one engine ──────────────────────────────────────────────────────────────────────────────────
async function runEngine(engine) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-bench-measures-'));
	cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const env = { ...process.env, DATA_DIR: dir, ORIGIN: base };
	delete env.DATABASE_URL;
	let query;
	let close;

	if (engine === 'postgres') {
		const scratch = await createScratchDatabase(PG, `klimanetz_bench_measures_${process.pid}`);
		cleanups.push(scratch.drop);
		env.DATABASE_URL = scratch.url;
		// BENCH_PG_JIT=off: how much of the time is PostgreSQL's JIT compiling expensive-looking plans.
		if (process.env.BENCH_PG_JIT) await admin.query(`ALTER DATABASE ${name} SET jit = ${process.env.BENCH_PG_JIT === 'off' ? 'off' : 'on'}`);
		cli(env, 'migrate');
		const client = new pg.Client({ connectionString: env.DATABASE_URL });
		await client.connect();
		query = (sql) => client.query(sql);
		close = () => client.end();
	} else {
		cli(env, 'migrate'); // creates the PGlite data directory with the schema
		const { PGlite } = await import('@electric-sql/pglite');
		const db = await PGlite.create(path.join(dir, 'pglite'));
		query = (sql) => db.query(sql);
		close = () => db.close();
	}

	const filled = await fill(query);
	let analyzeMs = null;
	if (engine === 'postgres' || process.env.BENCH_PGLITE_ANALYZE) {
		const t = Date.now();
		await query('ANALYZE');
		analyzeMs = Date.now() - t;
	}
	const hits = await hitCounts(query);
	const pages = Math.ceil(hits.filtered / PAGE_SIZE);
	const page50Filtered = pages >= 50;
	const plans = await explainAll(query, engine, 49 * PAGE_SIZE);
	await close();

	// The CLI may open the PGlite directory only while nobody else has it: before the server starts.
	const link = /SIGN_IN_URL=(\S+)/.exec(cli(env, 'sign-in-link', COORDINATOR.email))?.[1] ?? fail('no sign-in link from the CLI');
	const t0 = Date.now();
	const srv = await startServer(env, port);
	const startMs = Date.now() - t0;
	const cookie = await signIn(base, link);

	const ids = Array.from({ length: 200 }, (_, i) => measureId((i * 9973) % (BODIES * PER_BODY)));
	const scenarios = [
		{ name: 'list, page 1', path: LIST, hits: hits.all },
		{ name: 'list filtered, page 1', path: `${LIST}?${FILTER}`, hits: hits.filtered },
		page50Filtered
			? { name: 'list filtered, page 50', path: `${LIST}?${FILTER}&seite=50`, hits: hits.filtered }
			: { name: 'list UNFILTERED, page 50', path: `${LIST}?seite=50`, hits: hits.all },
		{ name: 'search q=Photovoltaik', path: `${LIST}?${SEARCH}`, hits: hits.search },
		{ name: `measure page (${ids.length} ids)`, paths: ids.map((id) => `${LIST}/${id}`), hits: 1 }
	];
	for (const s of scenarios) await check(base, cookie, s.path ?? s.paths[0]);
	await check(base, cookie, scenarios[4].paths[123]);

	const rows = [];
	for (const s of scenarios) {
		process.stderr.write(`${engine}: ${s.name} …\n`);
		rows.push({ engine, scenario: s.name, hits: s.hits, ...(await measure(base, cookie, s)) });
	}
	const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
	await srv.stop();
	server = null;
	return { engine, filled, analyzeMs, startMs, rows, rss, plans, filteredPages: pages };
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────
const results = [];
let exitCode = 0;
try {
	// Others may rebuild build/ while this runs: wait until it is complete and quiet, then run a
	// private copy of it (server and CLI with that copy as working directory).
	await waitForQuietBuild();
	if (!process.env.BENCH_NO_BUILD) {
		const { buildIfNeeded } = await import('../scripts/build-if-needed.js');
		buildIfNeeded();
		await waitForQuietBuild();
	}
	APP = snapshotBuild();
	console.log(`Klimanetz measures benchmark: ${BODIES} municipalities × ${PER_BODY} = ${BODIES * PER_BODY} measures, ${CONNECTIONS} connections, ${DURATION} s per scenario (+${WARMUP} s warm-up), ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);
	for (const engine of ENGINES) {
		const r = await runEngine(engine);
		results.push(r);
		// Everything of this engine (server, temp dir, database) is gone before the next one starts.
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
	for (const r of results) {
		console.log(
			`${r.engine.padEnd(8)} fill ${(r.filled.ms / 1000).toFixed(1)} s (${r.filled.detail} ms)${r.analyzeMs !== null ? `, ANALYZE ${r.analyzeMs} ms` : ', no ANALYZE'}; ` +
				`server healthy in ${r.startMs} ms, RSS after load ${r.rss.toFixed(0)} MB; filtered list has ${r.filteredPages} pages`
		);
	}
	const head = ['engine', 'scenario', 'hits', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'alone ms', 'KB/resp'];
	const table = results
		.flatMap((r) => r.rows)
		.map((x) => [x.engine, x.scenario, String(x.hits), x.rps.toFixed(1), String(x.p50), String(x.p99), String(x.total), String(x.non2xx), String(x.errors), x.single.toFixed(0), x.kb.toFixed(0)]);
	const w = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
	const line = (cells) => '| ' + cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
	console.log('');
	console.log(line(head));
	console.log('|' + w.map((n, i) => (i < 2 ? '-'.repeat(n + 2) : '-'.repeat(n + 1) + ':')).join('|') + '|');
	for (const row of table) console.log(line(row));
	console.log(`load average at the end: ${os.loadavg()[0].toFixed(1)} (figures are only comparable on an otherwise idle machine)`);
	console.log(`req/s = completed requests / ${DURATION} s with ${CONNECTIONS} connections; p50/p99 of those; "alone ms" = one request on an idle server (median of 3).`);
	const none = results.flatMap((r) => r.rows).filter((x) => x.total === 0);
	if (none.length) console.error(`\nWARNING: no request completed within ${DURATION} s in: ${none.map((x) => `${x.engine}/${x.scenario}`).join(', ')} (raise BENCH_DURATION)`);
	const bad = results.flatMap((r) => r.rows).filter((x) => x.non2xx > 0 || x.errors > 0);
	if (bad.length) {
		exitCode = 1;
		console.error(`\nFAILED: non-2xx responses or errors in: ${bad.map((x) => `${x.engine}/${x.scenario}`).join(', ')}`);
	}
}
process.exit(exitCode);
