import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { db, query, sql } from './client';
import { networks } from './schema';

const t = useTestDb();

describe('database', () => {
	it('is migrated and accepts writes', async () => {
		const [n] = await db().insert(networks).values({ slug: 'probe', name: 'Probe' }).returning();
		expect(n.slug).toBe('probe');
		const rows = await query<{ n: number }>(sql`select count(*)::int as n from networks`);
		expect(rows[0].n).toBe(1);
		expect(['pglite', 'postgres']).toContain(t.engine());
	});
});
