// Start-up and shutdown of the server side: database, migrations, module registrations, jobs.
import { registerParticipationJobs } from './participation/notify';
import { purgeExpiredImports } from './measures/spreadsheet';
import { purgeExpiredBalanceImports } from './balance/import';
import { registerAllRecords } from './records';
import { initDatabase, closeDatabase, sql } from './db/client';
import { runMigrations } from './db/migrate';
import { log } from './log';
import { config } from './config';
import { startJobRunner, schedule, registerJobHandler } from './jobs';
import { purgeExpiredAuthData } from './auth/housekeeping';
import { loadAuthSecret } from './auth/secret';
import { measureRemindersJob, REMINDER_EVERY_SECONDS, REMINDER_JOB } from './measures/reminders';
import { registerMeetingWorkJobs } from './meetings/reminders';
import { registerNotificationJobs } from './notifications/jobs';
import { seedMissingDefaultTopics } from './exchange/topics';

let started: Promise<void> | null = null;
const stopHooks: (() => Promise<void>)[] = [];

export function onShutdown(fn: () => Promise<void>) {
	stopHooks.push(fn);
}

export function startApp(): Promise<void> {
	started ??= (async () => {
		const t0 = Date.now();
		const h = await initDatabase();
		await runMigrations(h.db);
		// Networks from before the exchange get its default topics (a no-op query afterwards).
		const seeded = await seedMissingDefaultTopics();
		if (seeded) log.info('exchange.default_topics_seeded', { networks: seeded });
		await loadAuthSecret();
		registerAllRecords();
		if (config.runJobs) {
			registerJobHandler('auth.purge', purgeExpiredAuthData);
			await schedule('auth.purge', 6 * 3600);
			registerJobHandler(REMINDER_JOB, measureRemindersJob);
			await schedule(REMINDER_JOB, REMINDER_EVERY_SECONDS);
			registerParticipationJobs();
			await registerMeetingWorkJobs();
			await registerNotificationJobs();
			registerJobHandler('measures.purge_imports', async () => void (await purgeExpiredImports()));
			await schedule('measures.purge_imports', 24 * 3600);
			registerJobHandler('balance.purge_imports', async () => void (await purgeExpiredBalanceImports()));
			await schedule('balance.purge_imports', 24 * 3600);
			if (h.engine === 'pglite') {
				// PGlite runs no autovacuum daemon: without ANALYZE the planner has no statistics and picks
				// poor plans on large lists (bench/measures.js). PostgreSQL does this by itself.
				registerJobHandler('db.analyze', async () => void (await h.db.execute(sql`analyze`)));
				await schedule('db.analyze', 24 * 3600);
				await h.db.execute(sql`analyze`);
			}
			const runner = startJobRunner({ pollMs: h.engine === 'pglite' ? 1000 : 2000 });
			onShutdown(() => runner.stop());
		}
		if (!process.env.OPERATOR_NAME || !process.env.OPERATOR_EMAIL) {
			// Imprint, privacy notice and accessibility statement need a real operator and contact.
			log.warn('app.operator_details_missing', { hint: 'OPERATOR_NAME, OPERATOR_ADDRESS und OPERATOR_EMAIL setzen' });
		}
		log.info('app.ready', { engine: h.engine, ms: Date.now() - t0 });
	})();
	return started;
}

export async function stopApp() {
	for (const fn of stopHooks.splice(0).reverse()) {
		await fn().catch((e) => log.error('app.stop_hook_failed', { err: String(e) }));
	}
	await closeDatabase();
	started = null;
	log.info('app.stopped');
}
