// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Actor } from '$lib/server/auth/actor';
import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Id of the logged error, shown to the user so support can find it. */
			id?: string;
		}
		interface Locals {
			actor: Actor;
			locale: Locale;
			requestId: string;
		}
	}
}

export {};
