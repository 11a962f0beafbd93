// Progressive enhancement for the directory's forms: keep the input on failure and move focus to
// the error summary, so keyboard and screen-reader users land on the list of problems.
import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';

export function enhanceForm(opts: { clearOnSuccess?: boolean } = {}): SubmitFunction {
	return () =>
		async ({ result, update, formElement }) => {
			// A create form that stays on the page starts empty again after success.
			if (opts.clearOnSuccess && (result.type === 'success' || result.type === 'redirect')) formElement.reset();
			await update({ reset: false });
			if (result.type === 'failure') {
				await tick();
				formElement.querySelector<HTMLElement>('[role="alert"]')?.focus();
			}
		};
}

export const keepInputAndFocusErrors = enhanceForm();
