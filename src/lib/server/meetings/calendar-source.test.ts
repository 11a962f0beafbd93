import { beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { useTestDb } from '../testing/db';
import { VISITOR } from '../auth/actor';
import { config } from '../config';
import { writeCalendar } from '../calendar/ical';
import { collectEvents } from '../calendar/sources';
import { singleEventResponse } from '../calendar/feed';
import { registerCalendarSources } from '../calendar/register';
import { recordRefFromPath, resolveRecord } from '../registry';
import { registerMeetingRecords } from './records';
import { meetingEventFor, meetingEvents, meetingLocation, MEETINGS_CALENDAR_SOURCE } from './calendar-source';
import { updateMeeting, meetingAsForm } from './meetings';
import { cancelMeetingAndNotify } from './invitations';
import { makeMeeting, meetingWorld } from './testing';

useTestDb();
beforeAll(() => {
	registerCalendarSources();
	registerMeetingRecords();
});

const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2028-01-01T00:00:00Z') };

function parse(text: string) {
	const cal = new ICAL.Component(ICAL.parse(text));
	return cal.getAllSubcomponents('vevent').map((c) => ({ comp: c, ev: new ICAL.Event(c) }));
}

describe('meetings calendar source', () => {
	it('writes timed Berlin events across DST, with place, URL, sequence and a cancellation; parsed by ical.js', async () => {
		const w = await meetingWorld();
		const spring = await makeMeeting(w.coordinator, w.network.id, { title: 'Frühjahr', date: '2026-03-29', startTime: '10:00', endTime: '12:00', status: 'held', hostBodyId: w.town.id, venueAddress: '' });
		// Planned back then, cancelled since (the cancel command raises the sequence).
		const autumnPlanned = await makeMeeting(w.coordinator, w.network.id, { title: 'Herbst', date: '2026-10-25', startTime: '10:00', endTime: '12:30', venueAddress: '', onlineUrl: 'https://meet.example.org/k' }, { now: new Date('2026-01-01T00:00:00Z') });
		await cancelMeetingAndNotify(w.coordinator, w.network.id, autumnPlanned.id, { version: String(autumnPlanned.version) });
		const future = await makeMeeting(w.coordinator, w.network.id, { title: 'Sommer', date: '2027-06-16', hostBodyId: w.other.id });
		const moved = await updateMeeting(w.coordinator, w.network.id, future.id, { ...meetingAsForm(future), startTime: '09:00' });
		const events = await collectEvents(w.member, w.network.id, range, [MEETINGS_CALENDAR_SOURCE]);
		expect(events.map((e) => e.summary)).toEqual(['Frühjahr', 'Abgesagt: Herbst', 'Sommer']);
		const text = writeCalendar({ name: 'Test' }, events);
		expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260329T100000');
		expect(text).toContain('DTSTART;TZID=Europe/Berlin:20261025T100000');
		const parsed = parse(text);
		const byTitle = (t: string) => parsed.find((p) => p.ev.summary.includes(t))!;
		expect(byTitle('Frühjahr').ev.startDate.toJSDate().toISOString()).toBe('2026-03-29T08:00:00.000Z');
		expect(byTitle('Herbst').ev.startDate.toJSDate().toISOString()).toBe('2026-10-25T09:00:00.000Z');
		expect(byTitle('Herbst').ev.endDate.toJSDate().toISOString()).toBe('2026-10-25T11:30:00.000Z');
		expect(byTitle('Herbst').comp.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(byTitle('Herbst').ev.sequence).toBe(1);
		expect(byTitle('Herbst').ev.location).toBe('Bunter Hof, https://meet.example.org/k');
		expect(byTitle('Frühjahr').comp.getFirstPropertyValue('status')).toBe('CONFIRMED');
		expect(byTitle('Frühjahr').ev.location).toBe('Bunter Hof, Halberstadt');
		const summer = byTitle('Sommer');
		expect(summer.ev.sequence).toBe(moved.sequence);
		expect(summer.ev.sequence).toBe(1);
		expect(summer.ev.startDate.toJSDate().toISOString()).toBe('2027-06-16T07:00:00.000Z');
		expect(summer.ev.uid).toBe(`meeting-${future.id}@${new URL(config.origin).hostname}`);
		expect(summer.comp.getFirstPropertyValue('url')).toBe(`${config.origin}/${w.network.slug}/intern/treffen/${future.id}`);
		expect(summer.ev.description).toContain('Gastgeber: Osterwieck');

		// Cancelling carries through: same UID, STATUS:CANCELLED, sequence raised.
		await cancelMeetingAndNotify(w.coordinator, w.network.id, future.id, { version: String(moved.version) });
		const again = parse(writeCalendar({ name: 'Test' }, await meetingEvents(w.member, w.network.id, range)));
		const s2 = again.find((p) => p.ev.uid === summer.ev.uid)!;
		expect(s2.comp.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(s2.ev.sequence).toBe(2);
	});

	it('others see public meetings only (linked to the public page); other networks nothing', async () => {
		const w = await meetingWorld();
		const other = await meetingWorld();
		await makeMeeting(w.coordinator, w.network.id, { title: 'Intern' });
		const pub = await makeMeeting(w.coordinator, w.network.id, { title: 'Öffentlich', isPublic: 'on' });
		expect((await meetingEvents(w.partner, w.network.id, range)).map((e) => e.summary).sort()).toEqual(['Intern', 'Öffentlich']);
		const citizen = await meetingEvents(w.citizen, w.network.id, range);
		expect(citizen.map((e) => e.summary)).toEqual(['Öffentlich']);
		expect(citizen[0].url).toBe(`${config.origin}/${w.network.slug}/treffen/${pub.id}`);
		expect((await meetingEvents(VISITOR, w.network.id, range)).map((e) => e.summary)).toEqual(['Öffentlich']);
		expect(await meetingEvents(other.coordinator, other.network.id, range)).toEqual([]);
		expect(await meetingEventFor(other.coordinator, other.network.id, pub.id)).toBeNull();
	});

	it('a single meeting as an .ics download', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id, { title: 'Netzwerktreffen; Juni, "Bunter Hof"', date: '2027-06-16' });
		const ev = await meetingEventFor(w.member, w.network.id, m.id);
		expect(ev).not.toBeNull();
		const res = singleEventResponse(ev!);
		expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.ics"$/);
		const [p] = parse(await res.text());
		expect(p.ev.summary).toBe('Netzwerktreffen; Juni, "Bunter Hof"');
		expect(p.ev.startDate.toJSDate().toISOString()).toBe('2027-06-16T08:00:00.000Z');
		expect(await meetingEventFor(w.citizen, w.network.id, m.id)).toBeNull();
		expect(await meetingEventFor(w.member, w.network.id, 'nope')).toBeNull();
	});

	it('the record type resolves pasted addresses (internal and public) and respects visibility', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id, { title: 'Treffen', date: '2027-06-16' });
		for (const p of [`/${w.network.slug}/intern/treffen/${m.id}`, `/${w.network.slug}/treffen/${m.id}`, `/${w.network.slug}/intern/treffen/${m.id}/bearbeiten`]) {
			expect(recordRefFromPath(p)).toEqual({ type: 'meeting', id: m.id });
		}
		const rec = await resolveRecord(w.partner, { type: 'meeting', id: m.id });
		expect(rec).toMatchObject({ title: 'Treffen (16. Juni 2027)', url: `/${w.network.slug}/intern/treffen/${m.id}`, isPublic: false, networkId: w.network.id });
		expect(await resolveRecord(w.citizen, { type: 'meeting', id: m.id })).toBeNull();
		expect(await resolveRecord(VISITOR, { type: 'meeting', id: 'nope' })).toBeNull();
	});

	it('location wording', () => {
		expect(meetingLocation({ venueName: 'Bunter Hof', venueAddress: 'Markt 1, 38835 Osterwieck', onlineUrl: '' }, { name: 'Osterwieck' })).toBe('Bunter Hof, Markt 1, 38835 Osterwieck');
		expect(meetingLocation({ venueName: '', venueAddress: '', onlineUrl: 'https://x.org/a' }, null)).toBe('https://x.org/a');
	});
});
