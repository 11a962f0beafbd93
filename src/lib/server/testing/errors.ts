// Assertion helper for service tests: the field errors (message keys) a command refused with.
import { ValidationError } from '../errors';

/** Awaits a command that must fail validation and returns its field errors; throws otherwise. */
export async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string>> {
	try {
		await p;
	} catch (e) {
		if (e instanceof ValidationError) return e.fieldErrors;
		throw e;
	}
	throw new Error('expected a ValidationError');
}
