import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { VISITOR } from '../auth/actor';
import { SYSTEM } from '../bootstrap';
import { loadHarzDemo } from '../network/demo/harz';
import { makeActor } from '../testing/factories';
import { activities } from './schema';
import { getActivity, listActivities, listPublicActivities } from './activities';
import { listActivityTasks } from './tasks';
import { seedActivitiesDemo } from './demo';

useTestDb();

describe('activities demo data', () => {
	it('seeds two joint activities of Harz towns with tasks, marked as demo data; idempotent', async () => {
		const { networkId } = await loadHarzDemo(SYSTEM);
		const coordinator = await makeActor(networkId, 'coordinator');
		expect(await seedActivitiesDemo(coordinator, networkId, '2025-06-01')).toEqual({ skipped: false, activities: 2, tasks: 8 });
		expect(await seedActivitiesDemo(coordinator, networkId, '2025-06-01')).toEqual({ skipped: true, activities: 0, tasks: 0 });

		const rows = await db().select({ isDemo: activities.isDemo }).from(activities).where(eq(activities.networkId, networkId));
		expect(rows).toHaveLength(2);
		expect(rows.every((r) => r.isDemo)).toBe(true);

		const list = await listActivities(coordinator, networkId);
		const led = list.items.find((i) => i.title === 'Gemeinsame Beschaffung von LED-Straßenbeleuchtung')!;
		expect(led).toMatchObject({ status: 'planning', isPublic: false, proposerName: 'Halberstadt', openTasks: 3 });
		expect(led.participants.map((p) => p.name)).toEqual(['Halberstadt', 'Osterwieck', 'Quedlinburg']);

		const pub = (await listPublicActivities(networkId)).items;
		expect(pub.map((i) => [i.title, i.status])).toEqual([['Regionaler Klimaschutztag im Harz', 'running']]);
		expect((await listActivities(VISITOR, networkId)).total).toBe(1);

		const tasks = await listActivityTasks(coordinator, networkId, led.id);
		expect(tasks.map((t) => [t.task.title, t.task.dueOn, t.task.done])).toEqual([
			['Fördervoraussetzungen der Kommunalrichtlinie klären', '2025-05-29', false],
			['Entwurf der Vereinbarung zur gemeinsamen Vergabe abstimmen', '2025-06-22', false],
			['Haushaltsmittel für 2026 anmelden', '2025-07-16', false],
			['Leuchtenbestand in den drei Städten erheben', '2025-05-22', true]
		]);
		// Tasks are owned by the town and its climate manager from the directory.
		expect(tasks[0]).toMatchObject({ ownerBodyName: 'Quedlinburg', ownerPersonName: 'Patrick Gerngroß' });
		const detail = await getActivity(coordinator, networkId, led.id);
		expect(detail.isDemo).toBe(true);
		expect(detail.description).toContain('Beispieldaten');
	});
});
