// Sign-in, e-mail links and password reset as services the form actions call. Each is rate
// limited in the database; failures come back as field errors (message keys).
import { APIError } from 'better-auth/api';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { RequestEvent } from '@sveltejs/kit';
import { auth, MIN_PASSWORD_LENGTH } from './index';
import { clear, hit, LIMITS } from './rate-limit';
import { db } from '../db/client';
import { users } from '../db/schema';
import { email as emailSchema, parseForm } from '../validation';
import { ValidationError } from '../errors';
import { config } from '../config';

/** Thrown when a limit is hit; the page shows when to try again. */
export class RateLimitedError extends Error {
	constructor(public readonly retryAfterSeconds: number) {
		super('rate_limited');
	}
}

async function limit(...limits: Parameters<typeof hit>[0][]) {
	for (const l of limits) {
		const r = await hit(l);
		if (!r.allowed) throw new RateLimitedError(r.retryAfter);
	}
}

const passwordSignIn = z.object({
	email: emailSchema,
	password: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }).max(256, { error: 'validation.tooLong' })
});

export async function signInWithPassword(event: RequestEvent, getEvent: () => RequestEvent, input: unknown) {
	const data = parseForm(passwordSignIn, input);
	const ip = event.getClientAddress();
	await limit(LIMITS.signIn(data.email, ip), LIMITS.signInAccount(data.email), LIMITS.signInIp(ip));
	try {
		await auth(getEvent).api.signInEmail({ body: { email: data.email, password: data.password }, headers: event.request.headers });
	} catch (e) {
		if (e instanceof APIError) throw new ValidationError({ password: 'auth.invalidCredentials' });
		throw e;
	}
	await clear(LIMITS.signIn(data.email, ip).key);
}

async function activeUser(email: string) {
	const [u] = await db().select({ id: users.id }).from(users).where(and(eq(users.email, email), isNull(users.deletedAt)));
	return u ?? null;
}

/**
 * Sends a one-time sign-in link. The answer is the same whether or not an account exists, so the
 * form can't be used to find out who has one; mail only goes to existing accounts.
 */
export async function requestEmailLink(event: RequestEvent, getEvent: () => RequestEvent, input: unknown, target: string) {
	const data = parseForm(z.object({ email: emailSchema }), input);
	await limit(LIMITS.emailLink(data.email), LIMITS.emailLinkIp(event.getClientAddress()));
	if (!(await activeUser(data.email))) return;
	await auth(getEvent).api.signInMagicLink({
		body: { email: data.email, callbackURL: target, errorCallbackURL: '/anmelden?fehler=link' },
		headers: event.request.headers
	});
}

export async function requestPasswordReset(event: RequestEvent, getEvent: () => RequestEvent, input: unknown) {
	const data = parseForm(z.object({ email: emailSchema }), input);
	await limit(LIMITS.reset(data.email), LIMITS.emailLinkIp(event.getClientAddress()));
	if (!(await activeUser(data.email))) return;
	await auth(getEvent).api.requestPasswordReset({
		body: { email: data.email, redirectTo: `${config.origin}/passwort-neu` },
		headers: event.request.headers
	});
}

export const newPasswordSchema = z
	.object({
		password: z
			.string({ error: 'validation.required' })
			.min(MIN_PASSWORD_LENGTH, { error: 'auth.passwordTooShort' })
			.max(256, { error: 'validation.tooLong' }),
		passwordRepeat: z.string().default('')
	})
	.refine((v) => v.password === v.passwordRepeat, { path: ['passwordRepeat'], error: 'auth.passwordMismatch' });

export async function resetPassword(getEvent: () => RequestEvent, token: string, input: unknown) {
	const data = parseForm(newPasswordSchema, input);
	try {
		await auth(getEvent).api.resetPassword({ body: { newPassword: data.password, token } });
	} catch (e) {
		if (e instanceof APIError) throw new ValidationError({ _form: 'auth.resetInvalid' });
		throw e;
	}
}
