import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { agendaItems, meetings } from '../db/schema';
import { SYSTEM } from '../bootstrap';
import { loadHarzDemo } from '../network/demo/harz';
import { makeActor } from '../testing/factories';
import { listMeetings } from './meetings';
import { participationView } from './answers';
import { minutesView } from './minutes';
import { listFollowUps, listOpenFollowUps } from './follow-ups';
import { invitationStatus } from './invitations';
import { seedMeetingsDemo } from './demo';

useTestDb();

describe('meetings demo data', () => {
	it('seeds Halberstadt and Osterwieck (held, with minutes, decisions, follow-ups, answers) and an upcoming meeting; idempotent', async () => {
		const now = new Date('2026-11-27T09:00:00Z');
		const { networkId } = await loadHarzDemo(SYSTEM);
		const coordinator = await makeActor(networkId, 'coordinator');
		expect(await seedMeetingsDemo(coordinator, networkId, now)).toBe(3);
		expect(await seedMeetingsDemo(coordinator, networkId, now)).toBe(0);

		const rows = await db().select().from(meetings).where(eq(meetings.networkId, networkId)).orderBy(meetings.startsAt);
		expect(rows.map((m) => [m.title, m.status, m.isDemo])).toEqual([
			['2. Netzwerktreffen', 'held', true],
			['3. Netzwerktreffen', 'held', true],
			['4. Netzwerktreffen', 'planned', true]
		]);
		const [april, june, next] = rows;
		expect(april.startsAt.toISOString()).toBe('2026-04-14T07:30:00.000Z');
		expect(june.venueName).toBe('Bunter Hof');
		expect(next.startsAt.toISOString()).toBe('2027-02-09T09:00:00.000Z');
		expect(next.invitationsSentAt).toBeNull();
		expect((await invitationStatus(coordinator, networkId, next.id, now)).sentAt).toBeNull();

		const m = await minutesView(coordinator, networkId, april.id, { now });
		expect(m.minutesHtml).toContain('<h3>Kommunale Wärmeplanung</h3>');
		expect(m.decisions).toHaveLength(3);
		expect(m.followUps.map((f) => f.state).sort()).toEqual(['done', 'done', 'done', 'open']);
		// Done before they were due, not on the day the demo was loaded.
		for (const f of m.followUps.filter((x) => x.state === 'done')) expect(f.doneAt!.toISOString().slice(0, 10) < f.dueOn!).toBe(true);
		const june2 = await minutesView(coordinator, networkId, june.id, { now });
		expect(june2.followUps.map((f) => f.state).sort()).toEqual(['done', 'in_progress', 'open', 'open']);
		expect(june2.followUps.every((f) => f.isDemo)).toBe(true);

		const open = await listOpenFollowUps(coordinator, networkId, {}, now);
		expect(open.total).toBe(4);
		expect(open.items.filter((f) => f.overdue).map((f) => f.title).sort()).toEqual([
			'Bedarf an E-Lastenrädern in den Kommunen abfragen',
			'Übersicht der Förderaufrufe für alle Kommunen zusammenstellen'
		]);
		expect((await listFollowUps(coordinator, networkId, { state: 'done' }, now)).total).toBe(4);

		const p = await participationView(coordinator, networkId, april.id, { now });
		expect(p.counts).toEqual({ yes: 6, no: 1, maybe: 1, open: 0 });
		expect(p.groups.some((g) => g.kind === 'partner' && g.name.includes('LENA'))).toBe(true);
		expect(p.notRepresented.map((b) => b.name)).toContain('Thale');
		expect(p.notRepresented.map((b) => b.name)).not.toContain('Halberstadt');
		const upcoming = await participationView(coordinator, networkId, next.id, { now });
		expect(upcoming.counts.yes).toBe(2);
		expect(upcoming.canAnswer).toBe(true);

		// The open follow-ups are on the next agenda.
		const items = await db().select().from(agendaItems).where(and(eq(agendaItems.meetingId, next.id))).orderBy(agendaItems.position);
		expect(items.filter((i) => i.followUpId).length).toBe(2);
		expect((await listMeetings(coordinator, networkId, {})).total).toBeGreaterThanOrEqual(1);
	});
});
