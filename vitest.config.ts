import { defineConfig } from 'vitest/config';
import path from 'node:path';

// Service tests run in Node against a real database: PGlite by default, PostgreSQL when
// TEST_DATABASE_URL is set. Each test file gets its own copy of a migrated database.
export default defineConfig({
	resolve: { alias: { $lib: path.resolve('src/lib') } },
	test: {
		include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
		environment: 'node',
		globalSetup: ['src/lib/server/testing/global-setup.ts'],
		pool: 'forks',
		// Vitest leaves one core to the main process by default, which on the 2-core machines
		// means one test file at a time; the files wait on PGlite (WASM) or PostgreSQL, so two
		// forks keep both cores busy and roughly halve the run.
		maxWorkers: 2,
		testTimeout: 30_000,
		hookTimeout: 60_000,
		env: { LOG_SILENT: '1' }
	}
});
