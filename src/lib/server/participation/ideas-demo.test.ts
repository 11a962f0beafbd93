// The demo ideas: several towns, every state, one linked to an existing public measure, supports;
// marked as invented; loading twice changes nothing.
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { users } from '../db/schema';
import { loadActor, VISITOR } from '../auth/actor';
import { seedDemo, DEMO_COORDINATOR_EMAIL } from '../bootstrap';
import { ideas } from './schema';
import { getIdea, ideaFilterFromUrl, listPublicIdeas } from './ideas';
import { countSupports } from './supports';
import { seedIdeasDemo } from './ideas-demo';

useTestDb();

describe('ideas demo data', () => {
	it('seeds ideas in every state over several towns, one turned into a measure; idempotent', async () => {
		await seedDemo();
		const [u] = await db().select({ id: users.id }).from(users).where(eq(users.email, DEMO_COORDINATOR_EMAIL));
		const actor = await loadActor(u.id);
		const networkId = actor.memberships[0].networkId;
		const rows = await db().select().from(ideas).where(eq(ideas.networkId, networkId));
		expect(rows.length).toBeGreaterThanOrEqual(8);
		expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['pending', 'published', 'rejected', 'merged', 'measure']));
		expect(new Set(rows.map((r) => r.bodyId)).size).toBeGreaterThanOrEqual(4);
		expect(rows.every((r) => r.body.includes('Demo-Installation'))).toBe(true);
		expect(rows.some((r) => r.authorName === 'Klasse 4b, Grundschule Thale (Demo)')).toBe(true);

		const turned = rows.find((r) => r.state === 'measure')!;
		const page = await getIdea(VISITOR, networkId, turned.id);
		expect(page.measure).toMatchObject({ code: 'H-5', isPublic: true });
		expect(await countSupports(networkId, turned.id)).toEqual({ stored: 2, rows: 2 });

		const list = await listPublicIdeas(networkId, ideaFilterFromUrl(new URL('http://x/?sortierung=unterstuetzt')));
		expect(list.items[0].supportCount).toBe(3);

		await seedIdeasDemo(actor, networkId);
		const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(ideas).where(eq(ideas.networkId, networkId));
		expect(n).toBe(rows.length);
	});
});
