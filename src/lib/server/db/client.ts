// One database handle for both engines: embedded PGlite (default) or a PostgreSQL server.
// Opened lazily (never at import) so `vite build` opens nothing.
import path from 'node:path';
import fs from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import * as schema from './schema';
import { config } from '../config';
import { log } from '../log';
import { lockDataDir } from './pglite-lock';

/** One type for both drivers; method calls on the union of the two databases don't type-check. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle or the database: services accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Engine = 'pglite' | 'postgres';

interface Handle {
	db: Db;
	engine: Engine;
	close: () => Promise<void>;
}

let handle: Handle | null = null;
let opening: Promise<Handle> | null = null;

export interface OpenOptions {
	url?: string;
	/** PGlite data directory; 'memory://' for an in-memory database. */
	dataDir?: string;
	/** PGlite: load from a dumped data directory (tests). */
	loadDataDir?: Blob | File;
	poolSize?: number;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Handle> {
	const url = opts.url ?? config.databaseUrl;
	if (url) {
		const { default: pg } = await import('pg');
		const { drizzle } = await import('drizzle-orm/node-postgres');
		// JIT compilation pays off for long analytical queries, not for page requests: measured on the
		// measure list (bench/measures.js) it added ~400 ms to a count that runs in ~25 ms without it.
		const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, options: '-c jit=off' });
		pool.on('error', (err) => log.error('db.pool_error', { err: err.message }));
		const db = drizzle(pool, { schema }) as unknown as Db;
		return { db, engine: 'postgres', close: () => pool.end() };
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const dataDir = opts.dataDir ?? path.join(config.dataDir, 'pglite');
	let unlock = () => {};
	if (!dataDir.startsWith('memory://')) {
		fs.mkdirSync(dataDir, { recursive: true });
		unlock = lockDataDir(dataDir);
	}
	try {
		const client = await PGlite.create(dataDir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
		const db = drizzle(client, { schema }) as unknown as Db;
		return {
			db,
			engine: 'pglite',
			close: async () => {
				await client.close();
				unlock();
			}
		};
	} catch (e) {
		unlock();
		throw e;
	}
}

/** Opens the configured database once; later calls return the same handle. */
export async function initDatabase(opts?: OpenOptions): Promise<Handle> {
	if (handle) return handle;
	opening ??= openDatabase(opts).then((h) => (handle = h));
	return opening;
}

/** Replaces the process-wide handle (tests). */
export function setDatabase(h: Handle | null) {
	handle = h;
	opening = h ? Promise.resolve(h) : null;
}

export function db(): Db {
	if (!handle) throw new Error('Database not initialised: call initDatabase() first');
	return handle.db;
}

export function engine(): Engine {
	if (!handle) throw new Error('Database not initialised');
	return handle.engine;
}

export async function closeDatabase() {
	const h = handle;
	handle = null;
	opening = null;
	if (h) await h.close();
}

/** Runs raw SQL and returns typed rows; both drivers return `{ rows }`. */
export async function query<T>(q: SQL, on: Db | Tx = db()): Promise<T[]> {
	const res = (await on.execute(q)) as unknown as { rows: T[] };
	return res.rows;
}

export { sql };
