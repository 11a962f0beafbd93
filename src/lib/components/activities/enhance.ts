// Progressive enhancement for the small forms of the activity page whose error summary stands
// outside the form (a leave button beside each town, the task buttons): like
// keepInputAndFocusErrors, but after a failure focus moves to the summary inside `containerId`
// when the form itself has none, so keyboard and screen-reader users land on the message.
import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';

export function focusErrorsIn(containerId: string): SubmitFunction {
	return () =>
		async ({ result, update, formElement }) => {
			await update({ reset: false });
			if (result.type !== 'failure') return;
			await tick();
			const summary =
				formElement.querySelector<HTMLElement>('[role="alert"]') ?? document.getElementById(containerId)?.querySelector<HTMLElement>('[role="alert"]');
			summary?.focus();
		};
}
