import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { bodies, fundingApplications, fundingProgrammes, fundingWindows, recordLinks } from '../db/schema';
import { SYSTEM } from '../bootstrap';
import { loadHarzDemo } from '../network/demo/harz';
import { setUpNetwork } from '../network/setup';
import { seedMeasuresDemo } from '../measures/demo';
import { registerMeasureRecords } from '../measures/records';
import { makeActor, makeNetwork } from '../testing/factories';
import { listUpcomingDeadlines } from './deadlines';
import { getProgramme } from './programmes';
import { listApplications } from './applications';
import { registerFundingRecords } from './records';
import { KRL_MEASURE_NUMBER, KRL_TITLE, seedKommunalrichtlinie } from './seed';
import { seedFundingDemo } from './demo';

useTestDb();
registerMeasureRecords();
registerFundingRecords();

describe('seedKommunalrichtlinie', () => {
	it('adds the 4.1.8 facts from DOMAIN.md with its window to 31.12.2027, once', async () => {
		const network = await makeNetwork();
		const first = await seedKommunalrichtlinie(SYSTEM, network.id);
		expect(first.created).toBe(true);
		const again = await seedKommunalrichtlinie(SYSTEM, network.id);
		expect(again).toEqual({ created: false, programmeId: first.programmeId });
		const rows = await db().select().from(fundingProgrammes).where(eq(fundingProgrammes.networkId, network.id));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ title: KRL_TITLE, measureNumber: KRL_MEASURE_NUMBER, ratePercent: 70, rateWeakPercent: 90, isDemo: false });
		expect(rows[0].funder).toContain('ZUG');
		expect(rows[0].eligibility).toContain('24 Monate');
		expect(rows[0].eligibility).toContain('bis zu 3 Jahre');
		expect(rows[0].eligibility).toContain('höheren Ebene');
		expect(rows[0].sourceNote).toContain('10.10.2024');
		expect(rows[0].sourceNote).toContain('bitte prüfen');
		const windows = await db().select().from(fundingWindows).where(eq(fundingWindows.programmeId, first.programmeId));
		expect(windows.map((w) => [w.opensOn, w.closesOn])).toEqual([[null, '2027-12-31']]);
	});

	it('runs twice at once without a duplicate', async () => {
		const network = await makeNetwork();
		const [a, b] = await Promise.all([seedKommunalrichtlinie(SYSTEM, network.id), seedKommunalrichtlinie(SYSTEM, network.id)]);
		expect([a.created, b.created].sort()).toEqual([false, true]);
		expect(await db().select().from(fundingProgrammes).where(eq(fundingProgrammes.networkId, network.id))).toHaveLength(1);
	});

	it('comes with every new network', async () => {
		const op = await makeActor(null, 'operator');
		const { network } = await setUpNetwork(op, { slug: `krl-${Date.now().toString(36)}`, name: 'Netzwerk Altmark', coordinatorEmail: 'k@altmark.example' });
		const rows = await db()
			.select()
			.from(fundingProgrammes)
			.where(and(eq(fundingProgrammes.networkId, network.id), eq(fundingProgrammes.measureNumber, '4.1.8')));
		expect(rows.map((r) => r.title)).toEqual([KRL_TITLE]);
	});
});

describe('seedFundingDemo', () => {
	it('adds programmes and applications of four Harz towns, links three to their demo measures; idempotent', async () => {
		const { networkId } = await loadHarzDemo(SYSTEM);
		const coordinator = await makeActor(networkId, 'coordinator');
		await seedMeasuresDemo(coordinator, networkId);
		const today = '2026-03-01';
		const summary = await seedFundingDemo(coordinator, networkId, { today });
		expect(summary).toEqual({ skipped: false, programmes: 3, applications: 4, links: 3 });
		expect(await seedFundingDemo(coordinator, networkId, { today })).toEqual({ skipped: true, programmes: 0, applications: 0, links: 0 });

		const apps = await listApplications(coordinator, networkId);
		expect(apps.items.map((a) => [a.bodyName, a.state])).toEqual([
			['Halberstadt', 'submitted'],
			['Osterwieck', 'considering'],
			['Quedlinburg', 'preparing'],
			['Wernigerode', 'approved']
		]);
		expect(apps.items.every((a) => a.isDemo && a.note.includes('Beispieldaten'))).toBe(true);
		const links = await db().select().from(recordLinks).where(and(eq(recordLinks.networkId, networkId), eq(recordLinks.fromType, 'funding_application')));
		expect(links).toHaveLength(3);
		expect(links.every((l) => l.toType === 'measure')).toBe(true);

		// The calendar shows the demo deadline with Quedlinburg, and Osterwieck undecided under the KRL.
		const deadlines = await listUpcomingDeadlines(coordinator, networkId, { from: today });
		const first = deadlines.items[0];
		expect(first.closesOn).toBe('2026-04-15');
		expect(first.applicants.map((a) => a.bodyName)).toEqual(['Quedlinburg']);
		const krl = deadlines.items.find((d) => d.measureNumber === '4.1.8')!;
		expect(krl.applicants).toEqual([expect.objectContaining({ bodyName: 'Osterwieck', decided: false })]);
		const krlPage = await getProgramme(coordinator, networkId, krl.programmeId);
		expect(krlPage.programme.isDemo).toBe(false);
		const [osterwieck] = await db().select().from(bodies).where(and(eq(bodies.networkId, networkId), eq(bodies.name, 'Osterwieck')));
		const [app] = await db().select().from(fundingApplications).where(eq(fundingApplications.bodyId, osterwieck.id));
		expect(app.note).toContain('Landkreises');
	});
});
