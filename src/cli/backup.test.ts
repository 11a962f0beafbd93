import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { backup, restore } from './backup';

describe('backup and restore of the embedded database', () => {
	it('restores into an empty data directory what was backed up, with the uploaded files', async () => {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-backup-'));
		const saved = process.env.DATABASE_URL;
		delete process.env.DATABASE_URL;
		try {
			process.env.DATA_DIR = path.join(tmp, 'a');
			fs.mkdirSync(path.join(tmp, 'a', 'pglite'), { recursive: true });
			const pg = await PGlite.create(path.join(tmp, 'a', 'pglite'));
			await pg.exec(`create table t (v text); insert into t values ('Halberstadt');`);
			await pg.close();
			fs.mkdirSync(path.join(tmp, 'a', 'files', 'ab'), { recursive: true });
			fs.writeFileSync(path.join(tmp, 'a', 'files', 'ab', 'x'), 'datei');
			const file = path.join(tmp, 'sicherung.tar.gz');
			await backup(file);

			process.env.DATA_DIR = path.join(tmp, 'b');
			await restore(file);
			const back = await PGlite.create(path.join(tmp, 'b', 'pglite'));
			expect((await back.query<{ v: string }>('select v from t')).rows).toEqual([{ v: 'Halberstadt' }]);
			await back.close();
			expect(fs.readFileSync(path.join(tmp, 'b', 'files', 'ab', 'x'), 'utf8')).toBe('datei');
			// Never over an existing database.
			await expect(restore(file)).rejects.toThrow(/nicht leer/);
		} finally {
			if (saved) process.env.DATABASE_URL = saved;
			fs.rmSync(tmp, { recursive: true, force: true });
		}
	}, 60_000);
});
