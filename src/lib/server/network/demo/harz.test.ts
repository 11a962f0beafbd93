import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { useTestDb } from '../../testing/db';
import { db } from '../../db/client';
import { auditLog, bodies, networks, partners, people, users } from '../../db/schema';
import { loadActor, VISITOR } from '../../auth/actor';
import { networkOverview, getBodyByAgs, listPeople } from '../directory';
import { loadHarzDemo, parseHarzCsv } from './harz';

useTestDb();

const count = async (table: typeof bodies | typeof people | typeof partners, networkId: string) =>
	(await db().select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.networkId, networkId)))[0].n;

describe('Harz demo', () => {
	it('the shipped CSV is the shared reference data', () => {
		const shipped = fs.readFileSync(new URL('./harz/municipalities.csv', import.meta.url), 'utf8');
		const rows = parseHarzCsv(shipped);
		expect(rows).toHaveLength(21);
		expect(rows.filter((r) => r.kind === 'landkreis').map((r) => r.ags)).toEqual(['15085']);
		expect(rows.filter((r) => r.verbandsgemeinde === 'Vorharz')).toHaveLength(7);
	});

	it('creates 21 bodies, 7 managers, 2 partners, and is idempotent', async () => {
		const userId = randomUUID();
		await db().insert(users).values({ id: userId, name: 'Operator', email: 'op@harz.example', isOperator: true });
		const op = await loadActor(userId);

		const { networkId } = await loadHarzDemo(op);
		const [n] = await db().select().from(networks).where(eq(networks.id, networkId));
		expect(n).toMatchObject({ slug: 'harz', name: 'Netzwerk Klimaschutzmanager Landkreis Harz', region: 'Landkreis Harz, Sachsen-Anhalt', isDemo: true });
		expect(await count(bodies, networkId)).toBe(21);
		expect(await count(people, networkId)).toBe(7);
		expect(await count(partners, networkId)).toBe(2);

		const o = await networkOverview(VISITOR, networkId, { today: '2025-06-01' });
		expect(o.counts).toMatchObject({ bodies: 21, withManager: 7, conceptAdopted: 2, conceptInPreparation: 1 });
		expect(o.bodies[0]).toMatchObject({ ags: '15085', kind: 'landkreis', hasManager: true });

		const district = await getBodyByAgs(VISITOR, networkId, '15085');
		expect(district).toMatchObject({ conceptStatus: 'in_preparation', managerFundedUntil: '2025-10-31', population: 208804, populationYear: 2023 });
		const wernigerode = await getBodyByAgs(VISITOR, networkId, '15085370');
		expect(wernigerode).toMatchObject({ conceptStatus: 'adopted', conceptAdoptedOn: null, kind: 'stadt' });
		expect((await getBodyByAgs(VISITOR, networkId, '15085055')).conceptStatus).toBe('adopted');
		expect((await getBodyByAgs(VISITOR, networkId, '15085287')).verbandsgemeinde).toBe('Vorharz');
		expect((await getBodyByAgs(VISITOR, networkId, '15085227')).areaKm2).toBe(96.42);

		const ballenstedt = await getBodyByAgs(VISITOR, networkId, '15085040');
		const [reuss] = (await listPeople(VISITOR, networkId, { bodyId: ballenstedt.id })).items;
		expect(reuss).toMatchObject({ name: 'Steffen Reuß', function: 'klimaschutzmanager', tenureFrom: '2024-01-01' });
		// Before his tenure, Ballenstedt had no manager.
		expect((await networkOverview(VISITOR, networkId, { today: '2023-12-31' })).counts.withManager).toBe(6);

		const names = (await db().select({ name: partners.name, url: partners.url }).from(partners).where(eq(partners.networkId, networkId))).map((p) => p.name);
		expect(names.sort()).toEqual(['Erfolg Klima Go!', 'Landesenergieagentur Sachsen-Anhalt (LENA)']);

		// Every created record is in the audit log.
		const [{ audits }] = await db()
			.select({ audits: sql<number>`count(*)::int` })
			.from(auditLog)
			.where(and(eq(auditLog.networkId, networkId), eq(auditLog.action, 'create')));
		expect(audits).toBe(1 + 21 + 7 + 2);

		const again = await loadHarzDemo(op);
		expect(again.networkId).toBe(networkId);
		expect(await count(bodies, networkId)).toBe(21);
		expect(await count(people, networkId)).toBe(7);
		expect(await count(partners, networkId)).toBe(2);
		expect((await db().select({ n: sql<number>`count(*)::int` }).from(networks).where(eq(networks.slug, 'harz')))[0].n).toBe(1);
	});
});
