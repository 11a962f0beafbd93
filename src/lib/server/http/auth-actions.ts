// Shared handling of the auth forms' outcomes: validation errors and rate limits become fail()
// with the user's input kept (never the password).
import { fail } from '@sveltejs/kit';
import { ValidationError } from '../errors';
import { RateLimitedError } from '../auth/sign-in';
import { formValues } from './route';

export async function authAction<T>(data: FormData, fn: () => Promise<T>) {
	try {
		return { ok: true as const, value: await fn() };
	} catch (e) {
		if (e instanceof ValidationError) return { ok: false as const, failure: fail(400, { values: formValues(data), errors: e.fieldErrors, retryMinutes: 0 }) };
		if (e instanceof RateLimitedError) {
			return {
				ok: false as const,
				failure: fail(429, {
					values: formValues(data),
					errors: { _form: 'auth.rateLimited' } as Record<string, string>,
					retryMinutes: Math.ceil(e.retryAfterSeconds / 60)
				})
			};
		}
		throw e;
	}
}
