// Helpers that turn service errors into SvelteKit responses, so routes stay thin.
import { error, fail, isActionFailure, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';

/** Runs a service call in a load function: forbidden → 403 (or sign-in for visitors), missing → 404. */
export async function guard<T>(event: Pick<RequestEvent, 'locals' | 'url'>, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		throw toHttp(event, e);
	}
}

function toHttp(event: Pick<RequestEvent, 'locals' | 'url'>, e: unknown): unknown {
	if (e instanceof ForbiddenError) {
		if (!event.locals.actor.userId) {
			return redirect(303, `/anmelden?weiter=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		}
		return error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	}
	if (e instanceof NotFoundError) return error(404, 'Nicht gefunden');
	return e;
}

const secret = (k: string) => /password|passwort/i.test(k);

/** Form values to send back on failure: strings only, passwords never. */
export function formValues(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of data) {
		if (typeof v === 'string' && !secret(k)) out[k] = v;
	}
	return out;
}

/** Every value of every field, for checkbox groups: all ticked boxes stay ticked on failure. */
export function formLists(data: FormData): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const [k, v] of data) {
		if (typeof v === 'string' && !secret(k)) (out[k] ??= []).push(v);
	}
	return out;
}

/** What a failed form action sends back: the user's input and one message key per field. */
export interface FormFailure {
	values: Record<string, string>;
	lists: Record<string, string[]>;
	errors: Record<string, string>;
}

/** The same for pages with several forms: `formId` says which form failed. */
export interface NamedFormFailure extends FormFailure {
	formId: string;
}

/**
 * Runs a form action's command. Validation errors come back as fail(400) with the user's input
 * and the field errors (message keys); permission and not-found errors as HTTP errors.
 */
export async function act<T>(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	data: FormData,
	fn: () => Promise<T>
) {
	try {
		return await fn();
	} catch (e) {
		if (e instanceof ValidationError) {
			const failure: FormFailure = { values: { ...formValues(data), ...e.values }, lists: formLists(data), errors: e.fieldErrors };
			return fail(400, failure);
		}
		throw toHttp(event, e);
	}
}

/**
 * act() for pages with several forms: a failure carries `formId`, so the page shows the errors
 * and keeps the input beside that form only. Success redirects to `successUrl` (no resubmission
 * on reload).
 */
export async function actNamed(
	event: Pick<RequestEvent, 'locals' | 'url'>,
	data: FormData,
	formId: string,
	successUrl: string,
	fn: () => Promise<unknown>
): Promise<ActionFailure<NamedFormFailure>> {
	const r = await act(event, data, fn);
	if (isActionFailure(r)) return fail(400, { ...(r.data as unknown as FormFailure), formId });
	redirect(303, successUrl);
}
