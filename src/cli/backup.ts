// Backup and restore for both engines. PGlite: the data directory as a tarball (dumpDataDir);
// PostgreSQL: pg_dump/psql in plain SQL (custom format needs matching client versions less often,
// but plain SQL can be read and repaired by hand).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { config } from '$lib/server/config';
import { lockDataDir } from '$lib/server/db/pglite-lock';

export async function backup(file: string) {
	const url = config.databaseUrl;
	if (url) {
		const r = spawnSync('pg_dump', ['--no-owner', '--no-privileges', '--file', file, url], { stdio: 'inherit' });
		if (r.status !== 0) throw new Error('pg_dump ist fehlgeschlagen');
	} else {
		const { PGlite } = await import('@electric-sql/pglite');
		const dir = path.join(config.dataDir, 'pglite');
		if (!fs.existsSync(dir)) throw new Error(`Keine Datenbank in ${dir}`);
		const unlock = lockDataDir(dir);
		try {
			const pg = await PGlite.create(dir);
			const dump = await pg.dumpDataDir('gzip');
			await pg.close();
			fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
		} finally {
			unlock();
		}
	}
	// Uploaded files live beside the database; copy them with the backup.
	const files = path.join(config.dataDir, 'files');
	if (fs.existsSync(files)) {
		const r = spawnSync('tar', ['-czf', `${file}.files.tar.gz`, '-C', config.dataDir, 'files'], { stdio: 'inherit' });
		if (r.status !== 0) throw new Error('Sicherung der Dateien ist fehlgeschlagen');
	}
	console.log(`Sicherung geschrieben: ${file}`);
}

export async function restore(file: string) {
	if (!fs.existsSync(file)) throw new Error(`Datei nicht gefunden: ${file}`);
	const url = config.databaseUrl;
	if (url) {
		const r = spawnSync('psql', ['--quiet', '--set', 'ON_ERROR_STOP=1', '--output', '/dev/null', '--file', file, url], { stdio: 'inherit' });
		if (r.status !== 0) throw new Error('psql ist fehlgeschlagen');
	} else {
		const { PGlite } = await import('@electric-sql/pglite');
		const dir = path.join(config.dataDir, 'pglite');
		if (fs.existsSync(dir) && fs.readdirSync(dir).length) {
			throw new Error(`${dir} ist nicht leer. Verschieben Sie es zuerst (Server vorher beenden).`);
		}
		const unlock = lockDataDir(dir);
		try {
			const pg = await PGlite.create(dir, { loadDataDir: new Blob([fs.readFileSync(file)]) });
			await pg.close();
		} finally {
			unlock();
		}
	}
	const filesArchive = `${file}.files.tar.gz`;
	if (fs.existsSync(filesArchive)) {
		fs.mkdirSync(config.dataDir, { recursive: true });
		const r = spawnSync('tar', ['-xzf', filesArchive, '-C', config.dataDir], { stdio: 'inherit' });
		if (r.status !== 0) throw new Error('Wiederherstellen der Dateien ist fehlgeschlagen');
	}
	console.log(`Sicherung zurückgespielt: ${file}`);
}
