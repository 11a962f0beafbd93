#!/usr/bin/env node
// Start-up time and memory of the built server on both engines, and a short read-throughput run.
// Prints figures; asserts nothing. Usage: npm run build && node bench/startup.js
//   BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres  (server to create a scratch database on)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from './scratch-db.js';

const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function rssMb(pid) {
	const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024;
}

async function waitHealthy(port, t0) {
	for (;;) {
		try {
			if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return Date.now() - t0;
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 20));
	}
}

async function throughput(url, seconds = 5, concurrency = 10) {
	let n = 0;
	const end = Date.now() + seconds * 1000;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (Date.now() < end) {
				const r = await fetch(url);
				await r.arrayBuffer();
				if (r.ok) n++;
			}
		})
	);
	return n / seconds;
}

async function run(engine, env) {
	const port = 3900 + Math.floor(Math.random() * 90);
	const t0 = Date.now();
	const child = spawn(process.execPath, ['build/index.js'], {
		env: { ...process.env, ...env, PORT: String(port), ORIGIN: `http://127.0.0.1:${port}`, LOG_SILENT: '1' },
		stdio: 'inherit'
	});
	const ready = await waitHealthy(port, t0);
	const idle = rssMb(child.pid);
	const rps = await throughput(`http://127.0.0.1:${port}/harz`);
	const loaded = rssMb(child.pid);
	child.kill('SIGTERM');
	const exit = Date.now();
	await new Promise((r) => child.on('exit', r));
	console.log(
		`${engine.padEnd(9)} start to healthy: ${String(ready).padStart(5)} ms | RSS idle ${idle.toFixed(0)} MB, after load ${loaded.toFixed(0)} MB | GET /harz ${rps.toFixed(0)} req/s (10 concurrent) | SIGTERM to exit ${Date.now() - exit} ms`
	);
}

function seed(env) {
	const r = spawnSync(process.execPath, ['build-cli/index.js', 'seed-demo'], { env: { ...process.env, ...env, LOG_SILENT: '1' }, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-bench-'));
// First start creates the database (initdb + migrations), later starts open an existing one.
const t0 = Date.now();
seed({ DATA_DIR: dir });
console.log(`pglite    fresh database + migrations + Harz demo (CLI): ${Date.now() - t0} ms`);
await run('pglite', { DATA_DIR: dir });

const scratch = await createScratchDatabase(PG, `klimanetz_bench_${process.pid}`);
try {
	const t1 = Date.now();
	seed({ DATABASE_URL: scratch.url, DATA_DIR: dir });
	console.log(`postgres  fresh database + migrations + Harz demo (CLI): ${Date.now() - t1} ms`);
	await run('postgres', { DATABASE_URL: scratch.url, DATA_DIR: dir });
} finally {
	await scratch.drop();
	fs.rmSync(dir, { recursive: true, force: true });
}
