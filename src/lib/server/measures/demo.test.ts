import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { measures, measureTasks, users } from '../db/schema';
import { loadActor, VISITOR } from '../auth/actor';
import { seedDemo, DEMO_COORDINATOR_EMAIL } from '../bootstrap';
import { todayIso } from '../network/directory-shared';
import { listConcepts } from './concepts';
import { listMeasures } from './list';
import { listOpenConflicts } from './constraints';
import { listUpdates } from './history';
import { copiesOf } from './copy';
import { similarMeasures } from './similar';
import { collectReminders } from './reminders';
import { seedMeasuresDemo } from './demo';

useTestDb();

describe('measures demo data', () => {
	it('seeds the district concept and measures in several towns, with conflicts, a copy, overdue tasks; idempotent', async () => {
		const t0 = Date.now();
		const { networkSlug } = await seedDemo();
		const seconds = (Date.now() - t0) / 1000;
		expect(networkSlug).toBe('harz');
		const [u] = await db().select({ id: users.id }).from(users).where(eq(users.email, DEMO_COORDINATOR_EMAIL));
		const actor = await loadActor(u.id);
		const networkId = actor.memberships[0].networkId;

		const conceptList = await listConcepts(actor, networkId);
		const district = conceptList.find((c) => c.bodyAgs === '15085')!;
		expect(district).toMatchObject({ title: 'Integriertes Klimaschutzkonzept Landkreis Harz', kind: 'integrated', targetYear: 2045, adoptedOn: null });
		expect(district.description).toContain('Beispieldaten der Demo-Installation');
		expect(district.fields.map((f) => [f.position, f.theme])).toEqual([
			[1, 'energy'],
			[2, 'municipal'],
			[3, 'mobility'],
			[4, 'buildings'],
			[5, 'adaptation'],
			[6, 'participation']
		]);
		expect(conceptList.map((c) => c.bodyName).sort()).toEqual(['Blankenburg (Harz)', 'Halberstadt', 'Landkreis Harz', 'Osterwieck', 'Quedlinburg', 'Wernigerode']);

		const all = await listMeasures(actor, networkId, { pageSize: 100 });
		expect(all.total).toBeGreaterThanOrEqual(40);
		expect(new Set(all.items.map((m) => m.bodyName)).size).toBe(6);
		expect(new Set(all.items.map((m) => m.status))).toEqual(new Set(['idea', 'planned', 'preparation', 'implementation', 'completed', 'on_hold', 'discarded']));
		expect(all.items.every((m) => m.fieldName)).toBe(true);
		expect(all.items.filter((m) => m.isPublic).length).toBeGreaterThan(5);
		expect((await listMeasures(actor, networkId, { overdue: true })).total).toBeGreaterThan(0);

		// The monument-protection conflict of PV on Quedlinburg's town hall.
		const conflicts = await listOpenConflicts(actor, networkId);
		expect(conflicts.items).toEqual(
			expect.arrayContaining([expect.objectContaining({ code: 'Q-1', bodyName: 'Quedlinburg', aspect: 'monument', state: 'conflict', status: 'on_hold' })])
		);

		// Blankenburg took over Wernigerode's LED street lighting.
		const w21 = all.items.find((m) => m.code === 'W-2.1')!;
		const b1 = all.items.find((m) => m.code === 'B-1')!;
		expect(b1).toMatchObject({ title: w21.title, bodyName: 'Blankenburg (Harz)', status: 'preparation', isPublic: false });
		expect((await copiesOf(actor, networkId, w21.id)).map((c) => c.code)).toEqual(['B-1']);

		// History dated in the past; the "last update" follows it, so some measures are stale.
		const today = todayIso();
		const w11 = all.items.find((m) => m.code === 'W-1.1')!;
		const history = (await listUpdates(actor, networkId, w11.id)).items;
		expect(history.map((h) => h.kind)).toEqual(['status', 'status', 'created']);
		expect(history.every((h) => h.happenedOn < today)).toBe(true);
		const [{ stale }] = await db()
			.select({ stale: sql<number>`count(*)::int` })
			.from(measures)
			.where(and(eq(measures.networkId, networkId), sql`${measures.lastUpdateAt} < now() - interval '90 days'`, sql`${measures.status} not in ('completed', 'discarded')`));
		expect(stale).toBeGreaterThan(3);
		const [{ late }] = await db()
			.select({ late: sql<number>`count(*)::int` })
			.from(measureTasks)
			.where(and(eq(measureTasks.networkId, networkId), sql`${measureTasks.dueOn} < ${today}`, sql`${measureTasks.state} in ('open', 'in_progress')`));
		expect(late).toBeGreaterThan(3);
		// The demo's stale measures belong to the invented demo accounts of the meetings demo
		// (reserved .example addresses): they are never mailed, and no real person is either.
		const reminded = await collectReminders();
		expect(reminded.filter((r) => r.networks.some((n) => n.network.id === networkId))).toEqual([]);

		// "Who else does this" finds the other towns' heat planning.
		const similar = await similarMeasures(actor, networkId, w11.id);
		expect(similar.map((m) => m.code)).toEqual(expect.arrayContaining(['H-1', 'Q-3', 'B-2']));
		expect(similar.every((m) => m.bodyName !== 'Wernigerode')).toBe(true);

		// Visitors see only the public ones.
		expect((await listMeasures(VISITOR, networkId, { pageSize: 100 })).items.every((m) => m.isPublic)).toBe(true);

		// A second run changes nothing.
		expect(await seedMeasuresDemo(actor, networkId)).toEqual({ skipped: true, concepts: 0, measures: 0 });
		await seedDemo();
		expect((await listMeasures(actor, networkId)).total).toBe(all.total);
		console.info(`measures demo: ${all.total} measures seeded with the network in ${seconds.toFixed(1)} s`);
	});
});
