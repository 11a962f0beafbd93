// The key that signs session cookies. Every instance of one installation must use the same key,
// or each rejects the others' sessions: it comes from AUTH_SECRET, or is generated once and kept
// in the database that all instances share.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { instanceSettings } from '../db/schema';
import { config } from '../config';

let cached: string | null = null;

export async function loadAuthSecret(): Promise<string> {
	if (config.authSecret) return (cached = config.authSecret);
	await db()
		.insert(instanceSettings)
		.values({ key: 'auth_secret', value: randomBytes(32).toString('hex') })
		.onConflictDoNothing();
	const [row] = await db().select().from(instanceSettings).where(eq(instanceSettings.key, 'auth_secret'));
	return (cached = row.value);
}

/** The loaded key; before startApp() ran (unit tests) a key for this process only. */
export function authSecret(): string {
	cached ??= randomBytes(32).toString('hex');
	return cached;
}
