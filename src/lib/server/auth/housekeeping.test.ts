import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeUser } from '../testing/factories';
import { db } from '../db/client';
import { rateLimits, sessions, verifications } from '../db/schema';
import { purgeExpiredAuthData } from './housekeeping';
import { loadAuthSecret } from './secret';

useTestDb();

describe('auth housekeeping', () => {
	it('removes expired sessions, links and old rate-limit windows, and keeps live ones', async () => {
		const u = await makeUser();
		const past = new Date(Date.now() - 2 * 24 * 3600 * 1000);
		const future = new Date(Date.now() + 3600 * 1000);
		await db().insert(sessions).values([
			{ id: 'old', token: 'old', userId: u.id, expiresAt: past },
			{ id: 'live', token: 'live', userId: u.id, expiresAt: future }
		]);
		await db().insert(verifications).values([
			{ id: 'v-old', identifier: 'a', value: 'x', expiresAt: past },
			{ id: 'v-live', identifier: 'b', value: 'y', expiresAt: future }
		]);
		await db().insert(rateLimits).values([
			{ key: 'old', count: 3, windowStart: past },
			{ key: 'live', count: 1, windowStart: new Date() }
		]);
		await purgeExpiredAuthData();
		expect((await db().select().from(sessions)).map((s) => s.id)).toEqual(['live']);
		expect((await db().select().from(verifications)).map((v) => v.id)).toEqual(['v-live']);
		expect((await db().select().from(rateLimits)).map((r) => r.key)).toEqual(['live']);
		expect(await db().select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(1);
	});

	it('generates the session key once and gives every instance the same one', async () => {
		delete process.env.AUTH_SECRET;
		const [a, b] = await Promise.all([loadAuthSecret(), loadAuthSecret()]);
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(b).toBe(a);
		process.env.AUTH_SECRET = 'from-the-environment';
		expect(await loadAuthSecret()).toBe('from-the-environment');
		delete process.env.AUTH_SECRET;
	});
});
