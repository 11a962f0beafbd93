import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getRequestEvent } from '$app/server';
import { auth } from '$lib/server/auth';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request }) => {
		await auth(getRequestEvent).api.signOut({ headers: request.headers });
		redirect(303, '/');
	}
};
