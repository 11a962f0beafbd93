// Builds the app (build/) and the command line (build-cli/) when they are missing or older than
// the sources, so `npm start` works on a fresh clone and after a `git pull`.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const SOURCES = ['src', 'messages', 'drizzle', 'static', 'vite.config.ts', 'vite.cli.config.ts', 'package-lock.json'];

function newest(p) {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs;
	for (const e of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, e)));
	return max;
}

function stale(output) {
	if (!fs.existsSync(output)) return true;
	const built = fs.statSync(output).mtimeMs;
	return SOURCES.some((s) => newest(s) > built);
}

function vite(args) {
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', ...args], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

export function buildIfNeeded({ force = false } = {}) {
	if (force || stale('build/index.js')) {
		console.log('Klimanetz wird gebaut …');
		vite([]);
	}
	if (force || stale('build-cli/index.js')) vite(['-c', 'vite.cli.config.ts']);
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfNeeded({ force: process.argv.includes('--force') });
