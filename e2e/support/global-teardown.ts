// Stops what global-setup.ts started: SIGTERM to the app (it closes the database on
// `sveltekit:shutdown`, PGlite only then exits), SIGKILL after 20 s; then the mail capture.
// Keeps the app's log as <outputDir>/e2e-server-<pglite|postgres>.log when it has anything in it.
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { FullConfig } from '@playwright/test';
import type {} from './global-setup'; // declares globalThis.__klimanetzE2E

export default async function globalTeardown(_config: FullConfig) {
	await stopRunning();
}

export async function stopRunning() {
	const running = globalThis.__klimanetzE2E;
	if (!running) return;
	globalThis.__klimanetzE2E = undefined;
	if (running.server) await stopProcess(running.server, 20_000);
	if (running.mail) await running.mail.close();
	try {
		// adapter-node prints "Listening on …" even with LOG_SILENT; keep the log only if there is more.
		const text = fs.readFileSync(running.logFile, 'utf8');
		if (text.split('\n').some((l) => l.trim() && !l.startsWith('Listening on'))) {
			const keep = path.join(running.outputDir, `e2e-server-${running.database}.log`);
			fs.mkdirSync(path.dirname(keep), { recursive: true });
			fs.writeFileSync(keep, text);
			console.log(`[e2e] the app logged errors: ${path.relative(process.cwd(), keep)}`);
		}
	} catch {
		/* no log written */
	}
	if (process.env.E2E_KEEP_RUN_DIR) console.log(`[e2e] run dir kept: ${running.runDir}`);
	else fs.rmSync(running.runDir, { recursive: true, force: true });
}

async function stopProcess(child: ChildProcess, graceMs: number) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => {
		console.log(`[e2e] app did not exit ${graceMs / 1000} s after SIGTERM; killing it`);
		child.kill('SIGKILL');
	}, graceMs);
	await exited;
	clearTimeout(timer);
}
