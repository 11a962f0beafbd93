// Upcoming deadlines across the network's programmes, with the towns applying to each. The funding
// calendar page and its iCalendar feed (calendar-source.ts) are built on this.
import { and, asc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, fundingApplications, fundingProgrammes, fundingWindows } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { todayIso } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { canFunding } from './permissions';
import { ACTIVE_STATES, type ActiveState } from './states';

export interface DeadlineApplicant {
	applicationId: string;
	bodyId: string;
	bodyName: string;
	state: ActiveState;
	/** True: the application chose this window. False: it has not chosen one yet ("Frist noch offen")
	 * and is listed under the programme's next deadline. */
	decided: boolean;
}

export interface DeadlineRow {
	windowId: string;
	programmeId: string;
	programmeTitle: string;
	measureNumber: string;
	funder: string;
	/** YYYY-MM-DD or null (a single deadline without a start). */
	opensOn: string | null;
	/** YYYY-MM-DD, the last day of the window. */
	closesOn: string;
	note: string;
	/** Raised on every change of the window (iCalendar SEQUENCE). */
	sequence: number;
	updatedAt: Date;
	/** Sorted by body name; decided ones first. */
	applicants: DeadlineApplicant[];
}

export interface DeadlineQuery {
	page?: number;
	/** Default 25, at most 200. */
	pageSize?: number;
	/** First day counted (YYYY-MM-DD); default today in Germany. Windows closing before it are past. */
	from?: string;
	/** Optional last closing day (YYYY-MM-DD), e.g. the end of a calendar range. */
	to?: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Windows (deadlines) closing on or after `from`, soonest first, of the network's programmes that
 * are not archived. Each row lists the applications in state considering/preparing/submitted aimed
 * at that window, plus — under the programme's next deadline only — those that have not chosen a
 * window yet (decided = false). Readable by the working area; others get ForbiddenError.
 */
export async function listUpcomingDeadlines(
	actor: Actor,
	networkId: string,
	q: DeadlineQuery = {}
): Promise<{ items: DeadlineRow[]; total: number; page: number; pageSize: number }> {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(q, 25, 200);
	const from = q.from && ISO.test(q.from) ? q.from : todayIso();
	const to = q.to && ISO.test(q.to) ? q.to : null;

	const where = and(
		eq(fundingWindows.networkId, networkId),
		gte(fundingWindows.closesOn, from),
		to ? lte(fundingWindows.closesOn, to) : undefined,
		isNull(fundingProgrammes.archivedAt)
	);
	const base = () =>
		db()
			.select({
				windowId: fundingWindows.id,
				programmeId: fundingWindows.programmeId,
				programmeTitle: fundingProgrammes.title,
				measureNumber: fundingProgrammes.measureNumber,
				funder: fundingProgrammes.funder,
				opensOn: fundingWindows.opensOn,
				closesOn: fundingWindows.closesOn,
				note: fundingWindows.note,
				sequence: fundingWindows.sequence,
				updatedAt: fundingWindows.updatedAt
			})
			.from(fundingWindows)
			.innerJoin(fundingProgrammes, and(eq(fundingProgrammes.id, fundingWindows.programmeId), eq(fundingProgrammes.networkId, networkId)));
	const [rows, [{ total }]] = await Promise.all([
		base()
			.where(where)
			.orderBy(asc(fundingWindows.closesOn), asc(fundingProgrammes.title), asc(fundingWindows.id))
			.limit(pageSize)
			.offset(offset),
		db()
			.select({ total: sql<number>`count(*)::int` })
			.from(fundingWindows)
			.innerJoin(fundingProgrammes, and(eq(fundingProgrammes.id, fundingWindows.programmeId), eq(fundingProgrammes.networkId, networkId)))
			.where(where)
	]);
	if (!rows.length) return { items: [], total, page, pageSize };

	const programmeIds = [...new Set(rows.map((r) => r.programmeId))];
	const windowIds = rows.map((r) => r.windowId);
	// Each programme's next deadline from `from` on (regardless of `to` and paging): the undecided
	// applications belong there, and only there.
	const next = await db()
		.selectDistinctOn([fundingWindows.programmeId], { programmeId: fundingWindows.programmeId, windowId: fundingWindows.id })
		.from(fundingWindows)
		.where(and(eq(fundingWindows.networkId, networkId), inArray(fundingWindows.programmeId, programmeIds), gte(fundingWindows.closesOn, from)))
		.orderBy(asc(fundingWindows.programmeId), asc(fundingWindows.closesOn), asc(fundingWindows.id));
	const nextWindow = new Map(next.map((n) => [n.programmeId, n.windowId]));

	const apps = await db()
		.select({
			applicationId: fundingApplications.id,
			programmeId: fundingApplications.programmeId,
			windowId: fundingApplications.windowId,
			bodyId: fundingApplications.bodyId,
			bodyName: bodies.name,
			state: fundingApplications.state
		})
		.from(fundingApplications)
		.innerJoin(bodies, eq(bodies.id, fundingApplications.bodyId))
		.where(
			and(
				eq(fundingApplications.networkId, networkId),
				inArray(fundingApplications.state, [...ACTIVE_STATES]),
				sql`(${inArray(fundingApplications.windowId, windowIds)} OR (${isNull(fundingApplications.windowId)} AND ${inArray(fundingApplications.programmeId, programmeIds)}))`
			)
		)
		.orderBy(asc(bodies.name), asc(fundingApplications.id));

	const byWindow = new Map<string, DeadlineApplicant[]>();
	const push = (windowId: string, a: (typeof apps)[number], decided: boolean) => {
		const list = byWindow.get(windowId) ?? [];
		list.push({ applicationId: a.applicationId, bodyId: a.bodyId, bodyName: a.bodyName, state: a.state as ActiveState, decided });
		byWindow.set(windowId, list);
	};
	for (const a of apps) {
		if (a.windowId) push(a.windowId, a, true);
		else {
			const w = nextWindow.get(a.programmeId);
			if (w) push(w, a, false);
		}
	}
	const items = rows.map((r) => {
		const applicants = (byWindow.get(r.windowId) ?? []).sort(
			(x, y) => Number(y.decided) - Number(x.decided) || x.bodyName.localeCompare(y.bodyName, 'de')
		);
		return { ...r, applicants };
	});
	return { items, total, page, pageSize };
}
