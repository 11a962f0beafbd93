// Errors that services throw; routes turn them into 403/404 pages or 400 form failures.

export class ForbiddenError extends Error {
	constructor(message = 'forbidden') {
		super(message);
	}
}

export class NotFoundError extends Error {
	constructor(message = 'not_found') {
		super(message);
	}
}

/** Field errors are message keys (translated in the UI), keyed by form field name. */
export class ValidationError extends Error {
	/**
	 * `values` replaces some of the user's form values when the form is shown again, e.g. the
	 * record version after a concurrent edit, so saving once more deliberately overwrites it.
	 */
	constructor(
		public readonly fieldErrors: Record<string, string>,
		public readonly values: Record<string, string> = {}
	) {
		super('validation');
	}
}
