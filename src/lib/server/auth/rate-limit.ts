// Fixed-window rate limits stored in the database, so they hold across app instances.
import { sql } from 'drizzle-orm';
import { db, query } from '../db/client';

export interface Limit {
	/** e.g. 'signin:email:ana@example.org' */
	key: string;
	max: number;
	windowSeconds: number;
}

export interface LimitResult {
	allowed: boolean;
	/** Seconds until another attempt is allowed (0 when allowed). */
	retryAfter: number;
}

/** Counts one attempt (or `amount` at once) and says whether it is within the limit. Atomic with one upsert. */
export async function hit(limit: Limit, now = new Date(), amount = 1): Promise<LimitResult> {
	const windowStart = new Date(now.getTime() - limit.windowSeconds * 1000);
	const rows = await query<{ count: number; window_start: string | Date }>(
		sql`insert into rate_limits (key, count, window_start) values (${limit.key}, ${amount}, ${now.toISOString()})
		on conflict (key) do update set
			count = case when rate_limits.window_start <= ${windowStart.toISOString()} then ${amount} else rate_limits.count + ${amount} end,
			window_start = case when rate_limits.window_start <= ${windowStart.toISOString()} then ${now.toISOString()}::timestamptz else rate_limits.window_start end
		returning count, window_start`
	);
	const { count, window_start } = rows[0];
	if (count <= limit.max) return { allowed: true, retryAfter: 0 };
	const ends = new Date(window_start).getTime() + limit.windowSeconds * 1000;
	return { allowed: false, retryAfter: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) };
}

/** Forgets the counter, e.g. after a successful sign-in. */
export async function clear(key: string) {
	await db().execute(sql`delete from rate_limits where key = ${key}`);
}

// Password attempts count per address and client (5 in 15 minutes), and per address overall with a
// higher ceiling: a stranger can slow down guessing at someone's password without being able to
// lock that person out from their own office with five wrong tries.
export const LIMITS = {
	signIn: (email: string, ip: string): Limit => ({ key: `signin:${email.toLowerCase()}:${ip}`, max: 5, windowSeconds: 15 * 60 }),
	signInAccount: (email: string): Limit => ({ key: `signin-account:${email.toLowerCase()}`, max: 50, windowSeconds: 60 * 60 }),
	// Generous: a whole town hall may sit behind one address.
	signInIp: (ip: string): Limit => ({ key: `signin-ip:${ip}`, max: 100, windowSeconds: 15 * 60 }),
	emailLink: (email: string): Limit => ({ key: `link:${email.toLowerCase()}`, max: 3, windowSeconds: 15 * 60 }),
	emailLinkIp: (ip: string): Limit => ({ key: `link-ip:${ip}`, max: 20, windowSeconds: 60 * 60 }),
	reset: (email: string): Limit => ({ key: `reset:${email.toLowerCase()}`, max: 3, windowSeconds: 60 * 60 })
};
