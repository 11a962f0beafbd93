// The generic source registry, with stand-in sources as issue 5's meetings will register them.
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { VISITOR, type Actor } from '../auth/actor';
import { calendarSources, collectEvents, registerCalendarSource } from './sources';
import { writeCalendar } from './ical';

const coordinator: Actor = { ...VISITOR, userId: 'u1', memberships: [{ networkId: 'n1', slug: 'n', networkName: 'N', role: 'coordinator', bodyIds: [] }] };
const range = { from: new Date('2030-01-01T00:00:00Z'), to: new Date('2031-01-01T00:00:00Z') };

describe('calendar sources', () => {
	it('collects every source (or the chosen ones), each deciding what the actor sees, sorted by start', async () => {
		const seen: string[] = [];
		registerCalendarSource({
			id: 'test-meetings',
			labelKey: 'calendar.source.funding',
			async events(actor, networkId, r) {
				seen.push(`${networkId}:${r.from.toISOString()}`);
				if (!actor.memberships.some((m) => m.networkId === networkId)) return [];
				return [
					{ uid: 'meeting-2@x', summary: 'Netzwerktreffen', start: { dateTime: new Date('2030-03-05T09:00:00Z') }, end: { dateTime: new Date('2030-03-05T11:00:00Z') }, location: 'Halberstadt' },
					{ uid: 'meeting-1@x', summary: 'Abgesagt', start: { dateTime: new Date('2030-02-01T09:00:00Z') }, status: 'CANCELLED', sequence: 1 }
				];
			}
		});
		registerCalendarSource({
			id: 'test-deadlines',
			labelKey: 'calendar.source.funding',
			events: async () => [
				{ uid: 'deadline-1@x', summary: 'Frist', start: { date: '2030-03-05' } },
				// The same uid from another source is listed once.
				{ uid: 'meeting-2@x', summary: 'Doppelt', start: { date: '2030-01-02' } }
			]
		});
		expect(calendarSources().map((s) => s.id)).toEqual(['test-meetings', 'test-deadlines']);

		const all = await collectEvents(coordinator, 'n1', range);
		expect(all.map((e) => e.uid)).toEqual(['meeting-1@x', 'deadline-1@x', 'meeting-2@x']);
		expect(all.find((e) => e.uid === 'meeting-2@x')!.summary).toBe('Netzwerktreffen');
		expect(seen).toEqual([`n1:${range.from.toISOString()}`]);

		expect((await collectEvents(VISITOR, 'n1', range)).map((e) => e.summary)).toEqual(['Doppelt', 'Frist']);
		expect((await collectEvents(coordinator, 'n1', range, ['test-deadlines'])).map((e) => e.summary)).toEqual(['Doppelt', 'Frist']);

		// Mixed all-day and timed events make one valid calendar.
		const cal = new ICAL.Component(ICAL.parse(writeCalendar({ name: 'N' }, all)));
		expect(cal.getAllSubcomponents('vevent')).toHaveLength(3);
		expect(cal.getAllSubcomponents('vtimezone')).toHaveLength(1);

		// Registering again under the same id replaces the source (a second start-up).
		registerCalendarSource({ id: 'test-deadlines', labelKey: 'x', events: async () => [] });
		expect(calendarSources()).toHaveLength(2);
		expect((await collectEvents(coordinator, 'n1', range, ['test-deadlines']))).toEqual([]);
	});

	it('a failing source fails the collection (a feed must not silently drop events)', async () => {
		registerCalendarSource({ id: 'test-broken', labelKey: 'x', events: async () => { throw new Error('boom'); } });
		await expect(collectEvents(coordinator, 'n1', range)).rejects.toThrow('boom');
	});
});
