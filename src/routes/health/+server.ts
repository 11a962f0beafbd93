// For load balancers: 200 when the database answers, 503 otherwise. No session lookup, no cookies.
import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { db, engine } from '$lib/server/db/client';

export async function GET() {
	try {
		await db().execute(sql`select 1`);
		return json({ status: 'ok', engine: engine() }, { headers: { 'Cache-Control': 'no-store' } });
	} catch {
		return json({ status: 'unavailable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
	}
}
