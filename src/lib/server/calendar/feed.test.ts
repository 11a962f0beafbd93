// The feed as a calendar client gets it (calendarFeedResponse is the whole route handler), parsed
// by ical.js; and the funding deadlines source behind it.
import { beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { fundingApplications, fundingProgrammes, fundingWindows, memberships } from '../db/schema';
import { VISITOR } from '../auth/actor';
import { hit } from '../auth/rate-limit';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { todayIso } from '../network/directory-shared';
import { config } from '../config';
import { calendarFeedResponse, FEED_RATE_LIMIT, feedRange, singleEventResponse } from './feed';
import { createCalendarToken, revokeCalendarToken, calendarTokenStatus } from './tokens';
import { registerCalendarSources } from './register';
import { fundingDeadlineEvent, fundingDeadlineEvents } from '../funding/calendar-source';

useTestDb();
beforeAll(() => registerCalendarSources());

const addDays = (iso: string, n: number) => new Date(Date.parse(iso + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
const today = todayIso();
const host = new URL(config.origin).hostname;

async function world() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Blankenburg (Harz)');
	const other = await makeBody(network.id, 'Aschersleben');
	const third = await makeBody(network.id, 'Quedlinburg');
	const [programme] = await db()
		.insert(fundingProgrammes)
		.values({ networkId: network.id, title: 'Kommunalrichtlinie; Klimaschutzmanagement', funder: 'ZUG', measureNumber: '4.1.8', ratePercent: 70, rateWeakPercent: 90 })
		.returning();
	const win = async (closesOn: string, opensOn: string | null = null, note = '') =>
		(await db().insert(fundingWindows).values({ networkId: network.id, programmeId: programme.id, closesOn, opensOn, note }).returning())[0];
	const app = async (bodyId: string, windowId: string | null, state: 'considering' | 'preparing' | 'submitted' | 'approved') =>
		(await db().insert(fundingApplications).values({ networkId: network.id, programmeId: programme.id, bodyId, windowId, state }).returning())[0];
	return {
		network,
		town,
		other,
		third,
		programme,
		win,
		app,
		coordinator: await makeActor(network.id, 'coordinator'),
		member: await makeActor(network.id, 'member', [town.id]),
		partner: await makeActor(network.id, 'partner'),
		citizen: await makeActor(network.id, 'citizen')
	};
}

/** A DATE-TIME property as a JS Date. */
function instantOf(c: ICAL.Component, name: string): Date {
	return (c.getFirstPropertyValue(name) as ICAL.Time).toJSDate();
}

function parseFeed(text: string) {
	const cal = new ICAL.Component(ICAL.parse(text));
	return cal.getAllSubcomponents('vevent').map((c) => ({ comp: c, ev: new ICAL.Event(c) }));
}

describe('calendar feed', () => {
	it('serves the deadlines with the towns applying, as the link owner sees them', async () => {
		const w = await world();
		const soon = await w.win(addDays(today, 30), addDays(today, -10), 'Skizze vorab einreichen');
		const later = await w.win(addDays(today, 200));
		const recent = await w.win(addDays(today, -20));
		const old = await w.win(addDays(today, -200));
		const far = await w.win(addDays(today, 700));
		await w.app(w.town.id, soon.id, 'preparing');
		await w.app(w.other.id, null, 'considering'); // undecided: under the next deadline
		await w.app(w.third.id, later.id, 'approved'); // done: not applying any more
		await w.app(w.third.id, recent.id, 'submitted');

		const link = await createCalendarToken(w.member, w.network.id);
		const res = await calendarFeedResponse(w.network.slug, link.token);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe(`inline; filename="klimanetz-${w.network.slug}.ics"`);
		expect(res.headers.get('cache-control')).toBe('private, no-store');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		const text = await res.text();
		expect(text).toContain('\r\n');
		const cal = new ICAL.Component(ICAL.parse(text));
		expect(cal.getFirstPropertyValue('x-wr-calname')).toContain(w.network.name);
		const events = parseFeed(text);
		// The last ~3 months and the next ~18: the old and the far window are outside.
		const uids = events.map((e) => e.ev.uid);
		expect(uids).toEqual([recent.id, soon.id, later.id].map((id) => `funding-window-${id}@${host}`));
		expect(uids.join()).not.toContain(old.id);
		expect(uids.join()).not.toContain(far.id);

		const first = events[1];
		expect(first.ev.summary).toBe('Frist: Kommunalrichtlinie; Klimaschutzmanagement (4.1.8)');
		expect(first.ev.startDate.isDate).toBe(true);
		expect(first.ev.startDate.toString()).toBe(addDays(today, 30));
		expect(first.ev.endDate.toString()).toBe(addDays(today, 31));
		expect(first.comp.getFirstPropertyValue('url')).toBe(`${config.origin}/${w.network.slug}/intern/foerderung/${w.programme.id}`);
		expect(first.ev.sequence).toBe(0);
		expect(instantOf(first.comp, 'last-modified').getTime()).toBe(Math.floor(soon.updatedAt.getTime() / 1000) * 1000);
		const d = first.ev.description;
		expect(d).toContain('Antragsfenster:');
		expect(d).toContain('Förderquote: 70 %, für finanzschwache Kommunen 90 %');
		expect(d).toContain('Fördermittelgeber: ZUG');
		expect(d).toContain('Skizze vorab einreichen');
		expect(d).toContain('– Blankenburg (Harz): bereitet den Antrag vor');
		expect(d).toContain('– Aschersleben: erwägt einen Antrag (Fenster noch nicht gewählt)');
		expect(d).not.toContain('Quedlinburg');
		// The later window: the approved application no longer counts.
		expect(events[2].ev.description).toContain('Noch keine Kommune');
		// A past window lists only the towns that had chosen it.
		expect(events[0].ev.description).toContain('– Quedlinburg: Antrag eingereicht');
		expect(events[0].ev.description).not.toContain('Aschersleben');

		// The first fetch is noted.
		expect((await calendarTokenStatus(w.member, w.network.id))!.lastUsedAt).toBeInstanceOf(Date);
	});

	it('a changed window keeps its UID and comes with a raised SEQUENCE and the new date', async () => {
		const w = await world();
		const win = await w.win(addDays(today, 40));
		const link = await createCalendarToken(w.coordinator, w.network.id);
		const before = parseFeed(await (await calendarFeedResponse(w.network.slug, link.token)).text())[0];
		await db()
			.update(fundingWindows)
			.set({ closesOn: addDays(today, 45), sequence: sql`${fundingWindows.sequence} + 1`, updatedAt: new Date(Date.now() + 1000) })
			.where(eq(fundingWindows.id, win.id));
		const after = parseFeed(await (await calendarFeedResponse(w.network.slug, link.token)).text())[0];
		expect(after.ev.uid).toBe(before.ev.uid);
		expect(after.ev.sequence).toBe(before.ev.sequence + 1);
		expect(after.ev.startDate.toString()).toBe(addDays(today, 45));
		expect(instantOf(after.comp, 'last-modified').getTime()).toBeGreaterThan(
			instantOf(before.comp, 'last-modified').getTime()
		);
	});

	it('script payloads in programme and town names come out as text', async () => {
		const w = await world();
		const payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
		await db().update(fundingProgrammes).set({ title: payload, measureNumber: '' }).where(eq(fundingProgrammes.id, w.programme.id));
		const win = await w.win(addDays(today, 10), null, `Hinweis, mit; Zeichen\\ und\nZeilen ${payload}`);
		await w.app(w.town.id, win.id, 'submitted');
		const link = await createCalendarToken(w.partner, w.network.id);
		const [e] = parseFeed(await (await calendarFeedResponse(w.network.slug, link.token)).text());
		expect(e.ev.summary).toBe(`Frist: ${payload}`);
		expect(e.ev.description).toContain(`Hinweis, mit; Zeichen\\ und\nZeilen ${payload}`);
	});

	it('revoked → 410, ended membership → 410, unknown or another network → 404, all as plain text', async () => {
		const w = await world();
		const other = await world();
		const link = await createCalendarToken(w.member, w.network.id);

		const wrongNetwork = await calendarFeedResponse(other.network.slug, link.token);
		expect(wrongNetwork.status).toBe(404);
		const unknown = await calendarFeedResponse(w.network.slug, 'A'.repeat(43));
		expect(unknown.status).toBe(404);
		expect(unknown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(await unknown.text()).toContain('Diesen Kalender-Link gibt es nicht');
		expect((await calendarFeedResponse(w.network.slug, '<script>')).status).toBe(404);

		await revokeCalendarToken(w.member, w.network.id);
		const revoked = await calendarFeedResponse(w.network.slug, link.token);
		expect(revoked.status).toBe(410);
		expect(await revoked.text()).toContain('widerrufen');

		const partnerLink = await createCalendarToken(w.partner, w.network.id);
		await db().delete(memberships).where(eq(memberships.userId, w.partner.userId!));
		const ended = await calendarFeedResponse(w.network.slug, partnerLink.token);
		expect(ended.status).toBe(410);
		expect(await ended.text()).toContain('Mitgliedschaft');
	});

	it('too many fetches of one link → 429 with Retry-After', async () => {
		const w = await world();
		const link = await createCalendarToken(w.coordinator, w.network.id);
		const status = await calendarTokenStatus(w.coordinator, w.network.id);
		await hit({ key: `calendar-feed:${status!.id}`, ...FEED_RATE_LIMIT }, new Date(), FEED_RATE_LIMIT.max);
		const res = await calendarFeedResponse(w.network.slug, link.token);
		expect(res.status).toBe(429);
		expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
	});
});

describe('funding deadlines source', () => {
	it('gives citizens, visitors and other networks nothing; the working area everything', async () => {
		const w = await world();
		const other = await world();
		await w.win(addDays(today, 5));
		const range = feedRange();
		expect(await fundingDeadlineEvents(w.citizen, w.network.id, range)).toEqual([]);
		expect(await fundingDeadlineEvents(VISITOR, w.network.id, range)).toEqual([]);
		expect(await fundingDeadlineEvents(other.coordinator, w.network.id, range)).toEqual([]);
		for (const a of [w.coordinator, w.member, w.partner]) expect(await fundingDeadlineEvents(a, w.network.id, range)).toHaveLength(1);
		// And a citizen never gets a link in the first place.
		await expect(createCalendarToken(w.citizen, w.network.id)).rejects.toThrow();
	});

	it('a single deadline as a download: one VEVENT, the same UID as in the feed', async () => {
		const w = await world();
		const win = await w.win(addDays(today, 12));
		await w.app(w.other.id, null, 'considering');
		const other = await world();
		expect(await fundingDeadlineEvent(w.member, w.network.id, 'not-a-uuid')).toBeNull();
		expect(await fundingDeadlineEvent(w.citizen, w.network.id, win.id)).toBeNull();
		expect(await fundingDeadlineEvent(other.coordinator, other.network.id, win.id)).toBeNull();
		const e = await fundingDeadlineEvent(w.member, w.network.id, win.id);
		expect(e).not.toBeNull();
		const res = singleEventResponse(e!);
		expect(res.headers.get('content-disposition')).toBe('attachment; filename="Frist-Kommunalrichtlinie-Klimaschutzmanagement-4-1-8.ics"');
		const events = parseFeed(await res.text());
		expect(events).toHaveLength(1);
		expect(events[0].ev.uid).toBe(`funding-window-${win.id}@${host}`);
		expect(events[0].ev.description).toContain('Aschersleben: erwägt einen Antrag (Fenster noch nicht gewählt)');
		expect(events[0].ev.startDate.toString()).toBe(addDays(today, 12));
	});
});
