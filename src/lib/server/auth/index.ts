// better-auth: e-mail + password, e-mail links (magic link), password reset, database sessions.
// Created lazily after the database is open. Roles in networks are our own tables (memberships).
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { magicLink } from 'better-auth/plugins';
import { sveltekitCookies } from 'better-auth/svelte-kit';
import type { RequestEvent } from '@sveltejs/kit';
import { authSecret } from './secret';
import { db } from '../db/client';
import { accounts, sessions, users, verifications } from '../db/schema';
import { config } from '../config';
import { log } from '../log';
import { enqueue } from '../jobs';
import { magicLinkMail, resetPasswordMail } from '../mail/templates';
import { signupMail } from '../participation/mails';

export const MAGIC_LINK_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 10;


function create(getRequestEvent?: () => RequestEvent) {
	return betterAuth({
		appName: 'Klimanetz',
		baseURL: config.origin,
		basePath: '/api/auth',
		secret: authSecret(),
		database: drizzleAdapter(db(), {
			provider: 'pg',
			schema: { user: users, session: sessions, account: accounts, verification: verifications }
		}),
		user: {
			additionalFields: {
				isOperator: { type: 'boolean', defaultValue: false, input: false },
				locale: { type: 'string', defaultValue: 'de', input: false },
				deletedAt: { type: 'date', required: false, input: false }
			}
		},
		session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
		emailAndPassword: {
			enabled: true,
			minPasswordLength: MIN_PASSWORD_LENGTH,
			maxPasswordLength: 256,
			// Sign-up stays enabled for our server-side call when an invitation is accepted; the HTTP
			// endpoint is unreachable (hooks.server.ts lets only the e-mail link targets through).
			disableSignUp: false,
			resetPasswordTokenExpiresIn: 60 * 60,
			revokeSessionsOnPasswordReset: true,
			// Queued, not sent inline: a slow mail server must neither fail the form nor reveal by
			// its timing whether an account exists.
			sendResetPassword: async ({ user, url }) => {
				await enqueue('mail.send', resetPasswordMail(user.email, url));
			}
		},
		// Our own database-backed limiter guards the forms (see rate-limit.ts).
		rateLimit: { enabled: false },
		// Into our structured log (with the request id), not as coloured text on stdout.
		logger: {
			log: (level, message) => {
				const fields = { message };
				if (level === 'error') log.error('auth.library', fields);
				else if (level === 'warn') log.warn('auth.library', fields);
				else log.debug('auth.library', fields);
			}
		},
		advanced: { cookiePrefix: 'klimanetz', useSecureCookies: config.origin.startsWith('https:') },
		plugins: [
			magicLink({
				expiresIn: MAGIC_LINK_MINUTES * 60,
				disableSignUp: true,
				storeToken: 'hashed',
				sendMagicLink: async ({ email, url, metadata }) => {
					// The CLI and start script take the link instead of mailing it (see sign-in-link.ts).
					if (linkCapture) return linkCapture(url);
					// A new citizen account gets a "confirm your address" mail (participation/profiles.ts).
					await enqueue('mail.send', metadata?.purpose === 'signup' ? signupMail(email, url) : magicLinkMail(email, url));
				}
			}),
			...(getRequestEvent ? [sveltekitCookies(getRequestEvent)] : [])
		]
	});
}

let linkCapture: ((url: string) => void) | null = null;

/** While set, magic links are handed to the callback instead of being mailed. */
export function captureMagicLinks(fn: ((url: string) => void) | null) {
	linkCapture = fn;
}

export type Auth = ReturnType<typeof create>;
let instance: Auth | null = null;

/** The app's auth instance; pass getRequestEvent (from $app/server) so actions can set cookies. */
export function auth(getRequestEvent?: () => RequestEvent): Auth {
	instance ??= create(getRequestEvent);
	return instance;
}

/** Drops the instance (tests that swap databases). */
export function resetAuth() {
	instance = null;
}
