// Browser tests: e2e/<audience>-<verb>-<thing>.test.ts, each flow run twice – with JavaScript
// ('js') and without ('nojs'): every form must work without it. A flow asks
// `test.info().project.name` where a step differs. The app is started by e2e/support/global-setup.ts
// from build/ (run `npm run build` first) on a fresh database, with a mail capture; see
// e2e/support/fixtures.ts for what a flow gets.
import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/support/browser';
import { BASE_URL_ENV } from './e2e/support/state';

export default defineConfig({
	testDir: 'e2e',
	testMatch: '**/*.test.ts',
	outputDir: 'test-results',
	// 2 cores: the app, its database and one browser are enough for this machine.
	workers: process.env.CI ? 2 : 1,
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: 0,
	timeout: process.env.CI ? 90_000 : 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
	globalSetup: './e2e/support/global-setup.ts',
	globalTeardown: './e2e/support/global-teardown.ts',
	use: {
		// Set by global setup before the workers start (workers load this file again).
		baseURL: process.env[BASE_URL_ENV],
		browserName: 'chromium',
		launchOptions,
		locale: 'de-DE',
		timezoneId: 'Europe/Berlin',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{ name: 'js', use: { javaScriptEnabled: true } },
		{ name: 'nojs', use: { javaScriptEnabled: false } }
	]
});
