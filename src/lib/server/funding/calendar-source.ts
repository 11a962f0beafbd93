// Funding deadlines as calendar events: one all-day event per window on its closing day, with the
// window's span, the programme's rates and the towns applying. Built on listUpcomingDeadlines, so
// the feed shows what the funding calendar page shows.
// A deleted window or an archived programme is not kept as a CANCELLED event (the row is gone or
// no longer listed): it just leaves the feed, and subscribed calendars drop it on their next fetch.
// A changed window keeps its UID and raises its SEQUENCE, so calendars update it in place.
import { and, eq, inArray } from 'drizzle-orm';
import { db } from '../db/client';
import { fundingProgrammes, fundingWindows, networks } from '../db/schema';
import type { Actor } from '../auth/actor';
import { config } from '../config';
import { todayIso } from '../network/directory-shared';
import { isUuid } from '../ids';
import { formatDate, formatNumber, translate } from '$lib/i18n';
import { eventUid, type CalendarEvent } from '../calendar/ical';
import { registerCalendarSource, type CalendarRange } from '../calendar/sources';
import { canFunding } from './permissions';
import { listUpcomingDeadlines, type DeadlineRow } from './deadlines';

export const FUNDING_CALENDAR_SOURCE = 'funding';

/** A feed lists at most this many deadlines (pages of 200). */
const MAX_PAGES = 10;
const PAGE_SIZE = 200;

const addDays = (iso: string, days: number) => new Date(Date.parse(iso + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);

/** Berlin calendar day of an instant. */
const dayOf = (d: Date) => todayIso(d);

interface Rates {
	ratePercent: number | null;
	rateWeakPercent: number | null;
}

export interface DeadlineEventContext {
	slug: string;
	rates: Map<string, Rates>;
}

const de = (key: string, params?: Record<string, string | number>) => translate('de', key, params);

function rateLine(r: Rates | undefined): string | null {
	if (!r || r.ratePercent === null) return null;
	const rate = `${formatNumber(r.ratePercent, 1, 'de')} %`;
	if (r.rateWeakPercent === null || r.rateWeakPercent === r.ratePercent) return de('calendar.funding.rate', { rate });
	return de('calendar.funding.rateWeak', { rate, weak: `${formatNumber(r.rateWeakPercent, 1, 'de')} %` });
}

/** The calendar event of one deadline row. */
export function deadlineEvent(row: DeadlineRow, ctx: DeadlineEventContext): CalendarEvent {
	const url = `${config.origin}/${ctx.slug}/intern/foerderung/${row.programmeId}`;
	const summary = row.measureNumber
		? de('calendar.funding.summary', { programme: row.programmeTitle, number: row.measureNumber })
		: de('calendar.funding.summaryNoNumber', { programme: row.programmeTitle });
	const lines: string[] = [];
	lines.push(
		row.opensOn
			? de('calendar.funding.window', { from: formatDate(row.opensOn, 'de'), to: formatDate(row.closesOn, 'de') })
			: de('calendar.funding.deadline', { date: formatDate(row.closesOn, 'de') })
	);
	if (row.funder) lines.push(de('calendar.funding.funder', { funder: row.funder }));
	const rate = rateLine(ctx.rates.get(row.programmeId));
	if (rate) lines.push(rate);
	if (row.note) lines.push(row.note);
	if (row.applicants.length) {
		lines.push('', de('calendar.funding.towns'));
		for (const a of row.applicants) {
			const state = de(`calendar.state.${a.state}`);
			lines.push(`– ${a.bodyName}: ${state}${a.decided ? '' : ` (${de('calendar.undecided')})`}`);
		}
	} else {
		lines.push('', de('calendar.funding.noTowns'));
	}
	lines.push('', de('calendar.funding.more', { url }));
	return {
		uid: eventUid('funding-window', row.windowId, new URL(config.origin).hostname),
		summary,
		description: lines.join('\n'),
		url,
		start: { date: row.closesOn },
		status: 'CONFIRMED',
		sequence: row.sequence,
		lastModified: row.updatedAt,
		categories: [de('calendar.source.funding')]
	};
}

async function context(networkId: string, rows: DeadlineRow[]): Promise<DeadlineEventContext | null> {
	const [network] = await db().select({ slug: networks.slug }).from(networks).where(eq(networks.id, networkId));
	if (!network) return null;
	const ids = [...new Set(rows.map((r) => r.programmeId))];
	const rates = ids.length
		? await db()
				.select({ id: fundingProgrammes.id, ratePercent: fundingProgrammes.ratePercent, rateWeakPercent: fundingProgrammes.rateWeakPercent })
				.from(fundingProgrammes)
				.where(and(eq(fundingProgrammes.networkId, networkId), inArray(fundingProgrammes.id, ids)))
		: [];
	return { slug: network.slug, rates: new Map(rates.map((r) => [r.id, r])) };
}

async function allPages(actor: Actor, networkId: string, from: string, to: string): Promise<DeadlineRow[]> {
	const out: DeadlineRow[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const r = await listUpcomingDeadlines(actor, networkId, { from, to, page, pageSize: PAGE_SIZE });
		out.push(...r.items);
		if (page * PAGE_SIZE >= r.total) break;
	}
	return out;
}

/**
 * Deadline rows closing between two days (inclusive). Windows still ahead are read from today on,
 * so a town that has not chosen a window appears under the programme's next deadline, as on the
 * page; past windows list only the towns that had chosen them.
 */
async function deadlineRows(actor: Actor, networkId: string, fromIso: string, toIso: string, today: string): Promise<DeadlineRow[]> {
	const rows: DeadlineRow[] = [];
	if (fromIso < today) {
		const past = await allPages(actor, networkId, fromIso, toIso < today ? toIso : addDays(today, -1));
		rows.push(...past.map((r) => ({ ...r, applicants: r.applicants.filter((a) => a.decided) })));
	}
	if (toIso >= today) {
		const future = await allPages(actor, networkId, today, toIso);
		rows.push(...future.filter((r) => r.closesOn >= fromIso));
	}
	return rows;
}

/** The deadlines of the network in the range that the actor may see ([] for others). */
export async function fundingDeadlineEvents(actor: Actor, networkId: string, range: CalendarRange, now = new Date()): Promise<CalendarEvent[]> {
	if (!canFunding(actor, 'funding.read', { networkId })) return [];
	const fromIso = dayOf(range.from);
	const toIso = dayOf(new Date(range.to.getTime() - 1));
	if (toIso < fromIso) return [];
	const rows = await deadlineRows(actor, networkId, fromIso, toIso, todayIso(now));
	const ctx = await context(networkId, rows);
	return ctx ? rows.map((r) => deadlineEvent(r, ctx)) : [];
}

/** One window's event (add-to-calendar download), or null when it is unknown, archived or not readable. */
export async function fundingDeadlineEvent(actor: Actor, networkId: string, windowId: string, now = new Date()): Promise<CalendarEvent | null> {
	if (!isUuid(windowId) || !canFunding(actor, 'funding.read', { networkId })) return null;
	const [w] = await db()
		.select({ closesOn: fundingWindows.closesOn })
		.from(fundingWindows)
		.where(and(eq(fundingWindows.id, windowId), eq(fundingWindows.networkId, networkId)));
	if (!w) return null;
	const today = todayIso(now);
	const rows = await deadlineRows(actor, networkId, w.closesOn, w.closesOn, today);
	const row = rows.find((r) => r.windowId === windowId);
	if (!row) return null;
	const ctx = await context(networkId, [row]);
	return ctx ? deadlineEvent(row, ctx) : null;
}

export function registerFundingCalendarSource() {
	registerCalendarSource({
		id: FUNDING_CALENDAR_SOURCE,
		labelKey: 'calendar.source.funding',
		events: (actor, networkId, range) => fundingDeadlineEvents(actor, networkId, range)
	});
}
