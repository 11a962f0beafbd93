// What the global setup hands to the test workers: written as JSON into the run directory, whose
// path travels in KLIMANETZ_E2E_STATE (workers inherit the environment set in global setup).
import fs from 'node:fs';

export const STATE_ENV = 'KLIMANETZ_E2E_STATE';
export const BASE_URL_ENV = 'KLIMANETZ_E2E_BASE_URL';

export interface E2EState {
	/** http://127.0.0.1:<port> – the app, also its ORIGIN. */
	baseURL: string;
	/** http://127.0.0.1:<port> – mail capture: GET /mails?to=&after=, DELETE /mails. */
	mailURL: string;
	/** Temp directory of this run (data dir, server log, captured .eml files, storage states). */
	runDir: string;
	/** 'pglite' or 'postgres' (E2E_DATABASE_URL set). */
	database: 'pglite' | 'postgres';
	/** Account name -> storageState file of a session signed in during global setup. */
	storageStates: Record<string, string>;
	/** `<link name>:<project>` -> unused one-time sign-in URL created before the server started. */
	signInUrls: Record<string, string>;
	/** Problems met during setup that don't stop the run (e.g. CLI missing); shown when a test needs the thing. */
	warnings: string[];
}

let cached: E2EState | null = null;

export function readState(): E2EState {
	if (cached) return cached;
	const file = process.env[STATE_ENV];
	if (!file || !fs.existsSync(file)) {
		throw new Error(
			`E2E state not found (${STATE_ENV}=${file ?? 'unset'}). Run the tests through \`npx playwright test\` so e2e/support/global-setup.ts starts the app.`
		);
	}
	cached = JSON.parse(fs.readFileSync(file, 'utf8')) as E2EState;
	return cached;
}
