// Global setup of the browser tests. Builds nothing: `npm run build` must have run before.
//  1. mail capture (SMTP + HTTP, see mail-capture.ts) on free ports
//  2. fresh database: a new DATA_DIR (embedded PGlite), or E2E_DATABASE_URL (PostgreSQL)
//  3. CLI before the server (PGlite serves one process at a time): `seed-demo`, `sign-in-link <email>`
//  4. `node build/index.js` with PORT/ORIGIN/DATA_DIR/SMTP_URL/LOG_SILENT; waits for GET /health = 200
//  5. signs the accounts of accounts.ts in once, saving their cookies as storageState files
//  6. writes state.json (see state.ts) and exports its path in KLIMANETZ_E2E_STATE
// global-teardown.ts stops everything. Set E2E_KEEP_RUN_DIR=1 to keep the temp directory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type FullConfig } from '@playwright/test';
import { assertChromium, launchOptions } from './browser';
import { ACCOUNTS, PROJECTS, SIGN_IN_LINKS, DEMO_COORDINATOR_EMAIL } from './accounts';
import { startMailCapture, type MailCapture } from './mail-capture';
import { stopRunning } from './global-teardown';
import { BASE_URL_ENV, STATE_ENV, type E2EState } from './state';

export interface Running {
	server: ChildProcess | null;
	mail: MailCapture | null;
	runDir: string;
	logFile: string;
	/** Playwright's output directory (test-results/ or --output): the app log is kept there. */
	outputDir: string;
	database: 'pglite' | 'postgres';
}

declare global {
	var __klimanetzE2E: Running | undefined;
}

const HEALTH_TIMEOUT_MS = 120_000;
const CLI_TIMEOUT_MS = 300_000;

function log(msg: string) {
	console.log(`[e2e] ${msg}`);
}

export default async function globalSetup(config: FullConfig) {
	try {
		await setup(config);
	} catch (e) {
		await stopRunning();
		throw e;
	}
}

async function setup(config: FullConfig) {
	const t0 = Date.now();
	const root = config.configFile ? path.dirname(config.configFile) : process.cwd();
	assertChromium();
	if (!fs.existsSync(path.join(root, 'build/index.js'))) {
		throw new Error('build/index.js is missing: run `npm run build` before `npx playwright test`.');
	}

	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-e2e-'));
	const logFile = path.join(runDir, 'server.log');
	const databaseUrl = process.env.E2E_DATABASE_URL || '';
	const outputDir = config.projects[0]?.outputDir ?? path.join(root, 'test-results');
	const running: Running = { server: null, mail: null, runDir, logFile, outputDir, database: databaseUrl ? 'postgres' : 'pglite' };
	globalThis.__klimanetzE2E = running;

	running.mail = await startMailCapture(path.join(runDir, 'mails'));
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;

	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.DATABASE_URL;
	delete env.TEST_DATABASE_URL;
	Object.assign(env, {
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: baseURL,
		DATA_DIR: path.join(runDir, 'data'),
		SMTP_URL: `smtp://127.0.0.1:${running.mail.smtpPort}`,
		LOG_SILENT: '1',
		// as scripts/start.js: uploads may be up to 20 MB
		BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT || '25M'
	});
	if (databaseUrl) env.DATABASE_URL = databaseUrl;
	log(`database: ${databaseUrl ? `PostgreSQL ${redact(databaseUrl)}` : `PGlite in ${env.DATA_DIR}`}; run dir ${runDir}`);

	// --- CLI, before the server -----------------------------------------------------------------
	const warnings: string[] = [];
	const signInUrls: Record<string, string> = {};
	const accountUrls: Record<string, string> = {};
	const cli = path.join(root, 'scripts/cli.js');
	if (!fs.existsSync(cli)) {
		warnings.push('scripts/cli.js does not exist yet: no demo data, no sign-in links.');
	} else {
		const seeded = await runCli(root, env, ['seed-demo']);
		// The demo coordinator's session comes from the link seed-demo prints: one CLI run less.
		for (const [name, email] of Object.entries(ACCOUNTS)) {
			accountUrls[name] = email === DEMO_COORDINATOR_EMAIL ? seeded : await runCli(root, env, ['sign-in-link', email]);
		}
		for (const [name, email] of Object.entries(SIGN_IN_LINKS)) {
			for (const project of PROJECTS) signInUrls[`${name}:${project}`] = await runCli(root, env, ['sign-in-link', email]);
		}
		log(`seeded the demo, ${Object.keys(accountUrls).length + Object.keys(signInUrls).length} sign-in links (${secs(t0)})`);
	}

	// --- the app -----------------------------------------------------------------------------------
	const out = fs.openSync(logFile, 'a');
	const server = spawn(process.execPath, ['build/index.js'], { cwd: root, env, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	running.server = server;
	// If the runner dies without teardown, don't leave the server behind.
	process.once('exit', () => {
		if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
	});
	await waitForHealth(baseURL, server, logFile);
	log(`app up at ${baseURL} (${secs(t0)})`);

	// --- signed-in sessions ------------------------------------------------------------------------
	const storageStates: Record<string, string> = {};
	if (Object.keys(accountUrls).length) {
		fs.mkdirSync(path.join(runDir, 'auth'), { recursive: true });
		const browser = await chromium.launch(launchOptions);
		try {
			for (const [name, url] of Object.entries(accountUrls)) {
				const context = await browser.newContext({ baseURL });
				try {
					const page = await context.newPage();
					const res = await page.goto(url);
					const landed = new URL(page.url());
					const cookies = await context.cookies();
					// The page the link leads to may not exist yet; what counts is the session cookie.
					if (landed.pathname.startsWith('/anmelden') || cookies.length === 0) {
						warnings.push(
							`Signing in "${name}" failed: ${url} ended at ${page.url()} with status ${res?.status() ?? '–'} and ${cookies.length} cookies.`
						);
						continue;
					}
					const file = path.join(runDir, 'auth', `${name}.json`);
					await context.storageState({ path: file });
					storageStates[name] = file;
				} finally {
					await context.close();
				}
			}
		} finally {
			await browser.close();
		}
		log(`signed in: ${Object.keys(storageStates).join(', ') || 'nobody'} (${secs(t0)})`);
	}

	for (const w of warnings) log(`WARNING: ${w}`);
	const state: E2EState = {
		baseURL,
		mailURL: `http://127.0.0.1:${running.mail.httpPort}`,
		runDir,
		database: running.database,
		storageStates,
		signInUrls,
		warnings
	};
	const stateFile = path.join(runDir, 'state.json');
	fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
	// Workers are started after global setup and inherit these.
	process.env[STATE_ENV] = stateFile;
	process.env[BASE_URL_ENV] = baseURL;
}

function secs(t0: number) {
	return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

function redact(url: string) {
	return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as net.AddressInfo;
			s.close(() => resolve(port));
		});
	});
}

/** Runs `node scripts/cli.js <args>` and returns the URL it prints on its `SIGN_IN_URL=` line. */
async function runCli(root: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
	const command = `node scripts/cli.js ${args.join(' ')}`;
	const child = spawn(process.execPath, ['scripts/cli.js', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr.on('data', (c: Buffer) => (output += c.toString()));
	const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
	const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
	clearTimeout(timer);
	if (code !== 0) throw new Error(`\`${command}\` exited with ${code}:\n${output}`);
	const url = /^SIGN_IN_URL=(\S+)\s*$/m.exec(output)?.[1];
	if (!url) throw new Error(`\`${command}\` printed no SIGN_IN_URL=<url> line:\n${output}`);
	return url;
}

async function waitForHealth(baseURL: string, server: ChildProcess, logFile: string) {
	const deadline = Date.now() + HEALTH_TIMEOUT_MS;
	let last = 'no answer';
	while (Date.now() < deadline) {
		if (server.exitCode !== null || server.signalCode !== null) {
			throw new Error(`The app exited (${server.exitCode ?? server.signalCode}) before /health answered. Log:\n${tail(logFile)}`);
		}
		try {
			const res = await fetch(`${baseURL}/health`, { signal: AbortSignal.timeout(5000) });
			if (res.status === 200) return;
			last = `status ${res.status}: ${(await res.text()).slice(0, 200)}`;
		} catch (e) {
			last = (e as Error).message;
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`GET ${baseURL}/health gave no 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}). Log:\n${tail(logFile)}`);
}

export function tail(file: string, lines = 60): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}
