import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { hit, clear } from './rate-limit';

useTestDb();

describe('database rate limits', () => {
	it('allows max attempts per window, then says when to retry; the window resets', async () => {
		const limit = { key: 'signin:test@example.org', max: 3, windowSeconds: 60 };
		const t0 = new Date('2026-01-01T10:00:00Z');
		for (let i = 0; i < 3; i++) expect((await hit(limit, t0)).allowed).toBe(true);
		const blocked = await hit(limit, new Date(t0.getTime() + 10_000));
		expect(blocked).toEqual({ allowed: false, retryAfter: 50 });
		expect((await hit(limit, new Date(t0.getTime() + 61_000))).allowed).toBe(true);
	});

	it('counts concurrent attempts exactly (one atomic upsert)', async () => {
		const limit = { key: 'link:race@example.org', max: 5, windowSeconds: 600 };
		const results = await Promise.all(Array.from({ length: 12 }, () => hit(limit)));
		expect(results.filter((r) => r.allowed)).toHaveLength(5);
		await clear(limit.key);
		expect((await hit(limit)).allowed).toBe(true);
	});
});
