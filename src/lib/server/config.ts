// Runtime configuration from the environment, read once. Everything has a working default so
// `npm start` needs no configuration at all.
import path from 'node:path';

function env(name: string): string | undefined {
	const v = process.env[name];
	return v === undefined || v === '' ? undefined : v;
}

export const config = {
	get databaseUrl() {
		return env('DATABASE_URL');
	},
	get dataDir() {
		return path.resolve(env('DATA_DIR') ?? 'data');
	},
	get origin() {
		return env('ORIGIN') ?? `http://localhost:${env('PORT') ?? '3000'}`;
	},
	get smtpUrl() {
		return env('SMTP_URL');
	},
	get mailFrom() {
		return env('MAIL_FROM') ?? 'Klimanetz <klimanetz@localhost>';
	},
	get authSecret() {
		return env('AUTH_SECRET');
	},
	/** Operator details for imprint and privacy notice. */
	get operator() {
		return {
			name: env('OPERATOR_NAME') ?? 'Betreiber dieser Klimanetz-Installation (noch nicht eingetragen)',
			address: env('OPERATOR_ADDRESS') ?? 'Anschrift in OPERATOR_ADDRESS eintragen',
			email: env('OPERATOR_EMAIL') ?? '',
			phone: env('OPERATOR_PHONE') ?? '',
			dpoEmail: env('OPERATOR_DPO_EMAIL') ?? ''
		};
	},
	get runJobs() {
		return env('RUN_JOBS') !== 'false';
	}
};
