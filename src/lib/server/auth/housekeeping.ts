// Removes what expired: rate-limit windows, sessions, e-mail link and reset tokens, citizen
// sign-ups never confirmed.
import { lt, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { rateLimits, sessions, verifications } from '../db/schema';
import { purgeUnconfirmedCitizens } from '../participation/profiles';

export async function purgeExpiredAuthData() {
	await db().delete(rateLimits).where(lt(rateLimits.windowStart, sql`now() - interval '1 day'`));
	await db().delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
	await db().delete(verifications).where(lt(verifications.expiresAt, sql`now()`));
	await purgeUnconfirmedCitizens();
}
