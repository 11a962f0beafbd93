// Download of one's own data as JSON (GDPR Art. 15 and 20).
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { exportAccount } from '$lib/server/account/service';

export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.actor.userId) redirect(303, '/anmelden?weiter=/konto');
	const data = await exportAccount(locals.actor);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="klimanetz-meine-daten-${new Date().toISOString().slice(0, 10)}.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
