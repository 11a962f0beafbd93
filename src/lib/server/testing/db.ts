// Gives the calling test file its own migrated database and installs it as the app's database.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDatabase, setDatabase, closeDatabase, type Engine } from '../db/client';
import { adminUrl } from './pg-names';

export function useTestDb(): { engine: () => Engine } {
	let dbName: string | null = null;
	let eng: Engine = 'pglite';
	beforeAll(async () => {
		const url = process.env.TEST_DATABASE_URL;
		if (url) {
			const { default: pg } = await import('pg');
			dbName = `klimanetz_test_${randomBytes(6).toString('hex')}`;
			const admin = new pg.Client({ connectionString: adminUrl(url) });
			await admin.connect();
			try {
				// Copying from a template fails while another copy holds it; retry briefly.
				for (let attempt = 0; ; attempt++) {
					try {
						await admin.query(`create database ${dbName} template ${inject('pgTemplate')}`);
						break;
					} catch (e) {
						if (attempt > 20) throw e;
						await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
					}
				}
			} finally {
				await admin.end();
			}
			const u = new URL(url);
			u.pathname = '/' + dbName;
			setDatabase(await openDatabase({ url: u.toString(), poolSize: 5 }));
			eng = 'postgres';
		} else {
			const snapshot = fs.readFileSync(inject('pgliteSnapshot'));
			setDatabase(await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([snapshot]) }));
		}
	});
	afterAll(async () => {
		await closeDatabase();
		const url = process.env.TEST_DATABASE_URL;
		if (url && dbName) {
			const { default: pg } = await import('pg');
			const admin = new pg.Client({ connectionString: adminUrl(url) });
			await admin.connect();
			await admin.query(`drop database if exists ${dbName} with (force)`);
			await admin.end();
		}
	});
	return { engine: () => eng };
}
