// PGlite serves exactly one process. A second process opening the same directory (a second
// `npm start`, the CLI while the server runs) would corrupt it, so the directory is locked.
import fs from 'node:fs';
import path from 'node:path';

function alive(pid: number) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Takes the lock for a data directory; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
	const file = `${dataDir.replace(/\/+$/, '')}.lock`;
	fs.mkdirSync(path.dirname(file), { recursive: true });
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
			return () => fs.rmSync(file, { force: true });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const pid = Number(fs.readFileSync(file, 'utf8'));
			if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
				throw new Error(
					`Die eingebettete Datenbank in ${dataDir} wird gerade von Prozess ${pid} benutzt (läuft Klimanetz schon?). ` +
						'Beenden Sie diesen Prozess zuerst; PGlite kann nur von einem Prozess geöffnet werden.'
				);
			}
			// Left behind by a process that no longer runs.
			fs.rmSync(file, { force: true });
		}
	}
	throw new Error(`Sperrdatei ${file} konnte nicht angelegt werden`);
}
