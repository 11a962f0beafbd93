// Command line for installations without a browser at hand. Built by vite.cli.config.ts into
// build-cli/ and run through scripts/cli.js. On the embedded database, stop the server first:
// PGlite serves one process at a time.
import { registerAllRecords } from '$lib/server/records';
import fs from 'node:fs';
import path from 'node:path';
import { initDatabase, closeDatabase, engine } from '$lib/server/db/client';
import { runMigrations } from '$lib/server/db/migrate';
import { createSignInLink } from '$lib/server/auth/sign-in-link';
import { loadAuthSecret } from '$lib/server/auth/secret';
import { ensureUser, isEmpty, seedDemo, SYSTEM, DEMO_COORDINATOR_EMAIL } from '$lib/server/bootstrap';
import { setUpNetwork } from '$lib/server/network/setup';
import { createInvitation } from '$lib/server/network/invitations';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { NotFoundError, ValidationError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { backup, restore } from './backup';

const USAGE = `Klimanetz – Befehle (npm run klimanetz -- <befehl>)
  seed-demo                          Harz-Demonetz laden (nur auf leerer Datenbank) und Anmeldelink ausgeben
  sign-in-link <email>               einmaligen Anmeldelink für ein bestehendes Konto ausgeben (24 h gültig)
  create-operator <email> [name]     Betriebskonto anlegen (oder Recht ergänzen) und Anmeldelink ausgeben
  create-network --slug s --name n --coordinator-email e [--region r] [--coordinator-name c]
                                     Netzwerk anlegen und erste Koordination einladen (Link wird ausgegeben)
  invite-coordinator <slug> <email>  weitere Koordination einladen
  backup <datei.tar.gz|datei.sql>    Sicherung (PGlite: Datenverzeichnis als tar.gz; PostgreSQL: pg_dump)
  restore <datei>                    Sicherung zurückspielen (nur auf leerer Datenbank / leerem Verzeichnis)
  migrate                            Migrationen anwenden`;

function flags(args: string[]) {
	const out: Record<string, string> = {};
	for (let i = 0; i < args.length; i++) {
		if (args[i].startsWith('--')) out[args[i].slice(2)] = args[++i] ?? '';
	}
	return out;
}

async function open() {
	const h = await initDatabase();
	await runMigrations(h.db);
	await loadAuthSecret();
	registerAllRecords();
}

export async function run(argv: string[]): Promise<number> {
	const [cmd, ...args] = argv;
	if (cmd === 'backup' || cmd === 'restore') {
		if (!args[0]) return usage();
		await (cmd === 'backup' ? backup(path.resolve(args[0])) : restore(path.resolve(args[0])));
		return 0;
	}
	if (!cmd || !['seed-demo', 'sign-in-link', 'create-operator', 'create-network', 'invite-coordinator', 'migrate', 'prepare-start'].includes(cmd)) return usage();
	await open();
	try {
		switch (cmd) {
			case 'migrate':
				console.log('Migrationen angewendet.');
				return 0;
			case 'seed-demo': {
				if (!(await isEmpty())) {
					console.log('Die Datenbank enthält schon Netzwerke; das Demonetz wird nicht geladen.');
					console.log(`SIGN_IN_URL=${await createSignInLink(DEMO_COORDINATOR_EMAIL, { validHours: 24, callbackURL: '/harz/intern' }).catch(() => '')}`);
					return 0;
				}
				const { email } = await seedDemo();
				console.log(`Harz-Demonetz geladen. Koordination: ${email}`);
				console.log(`SIGN_IN_URL=${await createSignInLink(email, { validHours: 24, callbackURL: '/harz/intern' })}`);
				return 0;
			}
			case 'prepare-start': {
				// Used by `npm start` on the embedded database: the demo on first start, with a sign-in
				// link; later starts print a link only when asked (links in logs are keys to the house).
				let seeded = false;
				if (engine() === 'pglite' && (await isEmpty())) {
					await seedDemo();
					seeded = true;
				}
				const wanted = seeded || args.includes('--sign-in-link');
				const link = wanted
					? await createSignInLink(DEMO_COORDINATOR_EMAIL, { validHours: 24, callbackURL: '/harz/intern' }).catch(() => '')
					: '';
				fs.writeFileSync(args[0], JSON.stringify({ seeded, link, email: DEMO_COORDINATOR_EMAIL }), { mode: 0o600 });
				return 0;
			}
			case 'sign-in-link': {
				if (!args[0]) return usage();
				console.log(`SIGN_IN_URL=${await createSignInLink(args[0], { validHours: 24 })}`);
				return 0;
			}
			case 'create-operator': {
				if (!args[0]) return usage();
				await ensureUser(args[0], args.slice(1).join(' ') || 'Betrieb', { isOperator: true });
				console.log(`Betriebskonto ${args[0]} ist eingerichtet.`);
				console.log(`SIGN_IN_URL=${await createSignInLink(args[0], { validHours: 24, callbackURL: '/betrieb' })}`);
				return 0;
			}
			case 'create-network': {
				const f = flags(args);
				const r = await setUpNetwork(SYSTEM, {
					slug: f.slug, name: f.name, region: f.region ?? '', description: f.description ?? '',
					coordinatorEmail: f['coordinator-email'], coordinatorName: f['coordinator-name'] ?? ''
				});
				console.log(`Netzwerk /${r.network.slug} angelegt. Einladung an ${r.invitation.email} verschickt.`);
				console.log(`INVITATION_URL=${r.invitation.url}`);
				return 0;
			}
			case 'invite-coordinator': {
				if (!args[0] || !args[1]) return usage();
				const n = await getNetworkBySlug(args[0]);
				const inv = await createInvitation(SYSTEM, n.id, { email: args[1], role: 'coordinator' });
				console.log(`INVITATION_URL=${inv.url}`);
				return 0;
			}
		}
		return usage();
	} catch (e) {
		if (e instanceof ValidationError) {
			for (const [field, key] of Object.entries(e.fieldErrors)) console.error(`Fehler bei ${field}: ${translate('de', key)}`);
			return 1;
		}
		if (e instanceof NotFoundError) {
			console.error('Nicht gefunden: Gibt es das Netzwerk bzw. das Konto?');
			return 1;
		}
		throw e;
	} finally {
		await closeDatabase();
	}
}

function usage() {
	console.error(USAGE);
	return 2;
}
