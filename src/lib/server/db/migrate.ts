// Applies the SQL migrations in ./drizzle. On PostgreSQL several instances may start at once,
// so the run is serialised with an advisory lock held on one dedicated connection.
import path from 'node:path';
import type { Db } from './client';
import { engine } from './client';
import { log } from '../log';

const MIGRATION_LOCK = 7_274_001;

export function migrationsFolder() {
	// Read relative to the working directory: the folder ships beside build/.
	return path.resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');
}

export async function runMigrations(db: Db) {
	const started = Date.now();
	const folder = migrationsFolder();
	if (engine() === 'pglite') {
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		await migrate(db as any, { migrationsFolder: folder });
	} else {
		const { migrate } = await import('drizzle-orm/node-postgres/migrator');
		const { drizzle } = await import('drizzle-orm/node-postgres');
		// The pool behind the drizzle instance; take one client so the lock and the migration share it.
		const pool = (db as unknown as { $client: import('pg').Pool }).$client;
		const client = await pool.connect();
		try {
			await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
			await migrate(drizzle(client), { migrationsFolder: folder });
		} finally {
			await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
			client.release();
		}
	}
	log.info('db.migrated', { ms: Date.now() - started });
}
