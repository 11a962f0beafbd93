#!/usr/bin/env node
// `npm start`: build if needed, prepare the database (embedded PGlite unless DATABASE_URL is set;
// on an empty embedded database the Harz demo is loaded), start the server, print URL and sign-in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildIfNeeded } from './build-if-needed.js';

const t0 = Date.now();
buildIfNeeded();

const port = process.env.PORT || '3000';
process.env.PORT = port;
// adapter-node assumes https without ORIGIN; links in mails and the form CSRF check need the real one.
const url = (process.env.ORIGIN ||= `http://localhost:${port}`);
// adapter-node refuses request bodies over 512 KB by default; uploads may be up to 20 MB.
process.env.BODY_SIZE_LIMIT ||= '25M';
const embedded = !process.env.DATABASE_URL;

let info = null;
if (embedded) {
	// Runs in its own process: PGlite serves one process at a time, so it must close before the server opens it.
	// A private temporary directory: the file briefly holds a sign-in link.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-start-'));
	const out = path.join(dir, 'start.json');
	const wantLink = process.argv.includes('--sign-in-link') || process.argv.includes('--anmeldelink');
	const r = spawnSync(process.execPath, ['build-cli/index.js', 'prepare-start', out, ...(wantLink ? ['--sign-in-link'] : [])], {
		stdio: 'inherit',
		env: { ...process.env, LOG_SILENT: '1' }
	});
	if (r.status !== 0) process.exit(r.status ?? 1);
	info = JSON.parse(fs.readFileSync(out, 'utf8'));
	fs.rmSync(dir, { recursive: true, force: true });
}

await import(path.resolve('build/index.js'));

for (let i = 0; i < 300; i++) {
	try {
		const host = !process.env.HOST || process.env.HOST === '0.0.0.0' ? '127.0.0.1' : process.env.HOST;
		const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/health`);
		if (res.ok) break;
	} catch {
		/* not listening yet */
	}
	await new Promise((r) => setTimeout(r, 100));
}

const dataDir = path.resolve(process.env.DATA_DIR || 'data');
const lines = [
	'',
	'────────────────────────────────────────────────────────────',
	`  Klimanetz läuft: ${url}   (gestartet in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
	embedded
		? `  Datenbank: eingebettet (PGlite) in ${path.join(dataDir, 'pglite')}`
		: '  Datenbank: PostgreSQL (DATABASE_URL)'
];
if (info?.seeded) lines.push('  Das Harz-Demonetz wurde geladen: ' + `${url}/harz`);
if (info?.link) {
	lines.push(
		'',
		`  Anmelden als Koordination des Demonetzes (${info.email}),`,
		'  einmaliger Link, 24 Stunden gültig:',
		`  ${info.link}`
	);
} else if (embedded) {
	lines.push(
		'',
		`  Anmelden: auf ${url}/anmelden einen Anmeldelink anfordern (E-Mail landet im Ausgang, s. u.)`,
		'  oder beim nächsten Start einen Link ausgeben lassen: npm start -- --sign-in-link'
	);
} else {
	lines.push('', '  Anmeldelink für ein Konto: npm run klimanetz -- sign-in-link <email>');
}
if (!process.env.OPERATOR_NAME || !process.env.OPERATOR_EMAIL) {
	lines.push('', '  Hinweis: Für Impressum und Barrierefreiheitserklärung OPERATOR_NAME, OPERATOR_ADDRESS und OPERATOR_EMAIL setzen.');
}
if (!process.env.SMTP_URL) lines.push('', `  Ohne SMTP_URL landen E-Mails als .eml-Dateien in ${path.join(dataDir, 'outbox')}`);
lines.push('  Beenden mit Strg+C.', '────────────────────────────────────────────────────────────', '');
console.log(lines.join('\n'));
