import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { fundingApplications, fundingProgrammes, fundingWindows } from '../db/schema';
import { ForbiddenError } from '../errors';
import { VISITOR } from '../auth/actor';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { listUpcomingDeadlines } from './deadlines';

useTestDb();

async function world() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Blankenburg');
	const other = await makeBody(network.id, 'Aschersleben');
	const coordinator = await makeActor(network.id, 'coordinator');
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	return { network, town, other, coordinator, partner, citizen };
}

async function programme(networkId: string, title: string, archived = false) {
	const [p] = await db()
		.insert(fundingProgrammes)
		.values({ networkId, title, funder: 'ZUG', measureNumber: '4.1.8', archivedAt: archived ? new Date() : null })
		.returning();
	return p;
}

async function win(networkId: string, programmeId: string, closesOn: string, opensOn: string | null = null) {
	const [w] = await db().insert(fundingWindows).values({ networkId, programmeId, closesOn, opensOn }).returning();
	return w;
}

async function app(networkId: string, programmeId: string, bodyId: string, windowId: string | null, state: typeof fundingApplications.$inferInsert.state) {
	const [a] = await db().insert(fundingApplications).values({ networkId, programmeId, bodyId, windowId, state }).returning();
	return a;
}

describe('listUpcomingDeadlines', () => {
	it('lists windows from the given day on, soonest first, with the towns applying', async () => {
		const w = await world();
		const p = await programme(w.network.id, 'Kommunalrichtlinie');
		const past = await win(w.network.id, p.id, '2030-01-31');
		const first = await win(w.network.id, p.id, '2030-03-31', '2030-02-01');
		const second = await win(w.network.id, p.id, '2030-09-30');
		const decided = await app(w.network.id, p.id, w.town.id, second.id, 'preparing');
		const undecided = await app(w.network.id, p.id, w.other.id, null, 'considering');
		await app(w.network.id, p.id, w.other.id, first.id, 'approved'); // done: not applying any more
		await app(w.network.id, p.id, w.town.id, past.id, 'submitted'); // its window is past

		const r = await listUpcomingDeadlines(w.partner, w.network.id, { from: '2030-02-15' });
		expect(r.total).toBe(2);
		expect(r.items.map((i) => i.windowId)).toEqual([first.id, second.id]);
		expect(r.items[0]).toMatchObject({ programmeTitle: 'Kommunalrichtlinie', funder: 'ZUG', measureNumber: '4.1.8', opensOn: '2030-02-01', closesOn: '2030-03-31', sequence: 0 });
		expect(r.items[0].updatedAt).toBeInstanceOf(Date);
		// The undecided application sits under the programme's next deadline only.
		expect(r.items[0].applicants).toEqual([{ applicationId: undecided.id, bodyId: w.other.id, bodyName: 'Aschersleben', state: 'considering', decided: false }]);
		expect(r.items[1].applicants).toEqual([{ applicationId: decided.id, bodyId: w.town.id, bodyName: 'Blankenburg', state: 'preparing', decided: true }]);
	});

	it('leaves out archived programmes and other networks', async () => {
		const w = await world();
		const archived = await programme(w.network.id, 'Alt', true);
		await win(w.network.id, archived.id, '2031-01-01');
		const foreign = await world();
		const fp = await programme(foreign.network.id, 'Fremd');
		const fw = await win(foreign.network.id, fp.id, '2031-01-01');
		await app(foreign.network.id, fp.id, foreign.town.id, fw.id, 'preparing');
		const r = await listUpcomingDeadlines(w.coordinator, w.network.id, { from: '2030-01-01' });
		expect(r).toMatchObject({ items: [], total: 0 });
		const theirs = await listUpcomingDeadlines(foreign.coordinator, foreign.network.id, { from: '2030-01-01' });
		expect(theirs.items.map((i) => i.windowId)).toEqual([fw.id]);
		// A coordinator of another network may not read this one's deadlines.
		await expect(listUpcomingDeadlines(foreign.coordinator, w.network.id)).rejects.toThrow(ForbiddenError);
	});

	it('pages, and keeps undecided applications under the next deadline even on a later page', async () => {
		const w = await world();
		const a = await programme(w.network.id, 'A-Programm');
		const b = await programme(w.network.id, 'B-Programm');
		const a1 = await win(w.network.id, a.id, '2032-01-10');
		const b1 = await win(w.network.id, b.id, '2032-01-10');
		const a2 = await win(w.network.id, a.id, '2032-02-10');
		await app(w.network.id, a.id, w.town.id, null, 'submitted');
		const p1 = await listUpcomingDeadlines(w.coordinator, w.network.id, { from: '2032-01-01', page: 1, pageSize: 2 });
		const p2 = await listUpcomingDeadlines(w.coordinator, w.network.id, { from: '2032-01-01', page: 2, pageSize: 2 });
		expect(p1).toMatchObject({ total: 3, page: 1, pageSize: 2 });
		// Same day: ordered by programme title.
		expect(p1.items.map((i) => i.windowId)).toEqual([a1.id, b1.id]);
		expect(p1.items[0].applicants.map((x) => x.decided)).toEqual([false]);
		expect(p1.items[1].applicants).toEqual([]);
		expect(p2.items.map((i) => i.windowId)).toEqual([a2.id]);
		expect(p2.items[0].applicants).toEqual([]);
		// From a later day the second window is the next one and gets the undecided town.
		const later = await listUpcomingDeadlines(w.coordinator, w.network.id, { from: '2032-01-11' });
		expect(later.items.map((i) => [i.windowId, i.applicants.length])).toEqual([[a2.id, 1]]);
		// `to` cuts the range without moving the undecided ones.
		const until = await listUpcomingDeadlines(w.coordinator, w.network.id, { from: '2032-01-01', to: '2032-01-31' });
		expect(until.items.map((i) => i.windowId)).toEqual([a1.id, b1.id]);
	});

	it('moves an undecided application once it picks a window', async () => {
		const w = await world();
		const p = await programme(w.network.id, 'P');
		const w1 = await win(w.network.id, p.id, '2033-01-10');
		const w2 = await win(w.network.id, p.id, '2033-05-10');
		const x = await app(w.network.id, p.id, w.town.id, null, 'considering');
		await db().update(fundingApplications).set({ windowId: w2.id }).where(eq(fundingApplications.id, x.id));
		const r = await listUpcomingDeadlines(w.coordinator, w.network.id, { from: '2033-01-01' });
		expect(r.items.find((i) => i.windowId === w1.id)!.applicants).toEqual([]);
		expect(r.items.find((i) => i.windowId === w2.id)!.applicants.map((a) => a.decided)).toEqual([true]);
	});

	it('is for the working area only', async () => {
		const w = await world();
		await expect(listUpcomingDeadlines(w.citizen, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(listUpcomingDeadlines(VISITOR, w.network.id)).rejects.toThrow(ForbiddenError);
		// Nonsense paging and dates fall back to defaults.
		const r = await listUpcomingDeadlines(w.partner, w.network.id, { page: -3, pageSize: 1e9, from: "x' or 1=1" });
		expect(r).toMatchObject({ page: 1, pageSize: 200, total: 0 });
	});
});
