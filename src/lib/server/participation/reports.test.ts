// Reports: visitors and accounts report ideas and comments; one open report per account and
// target; the queue shows each moderator the reports of their municipalities; resolving hides the
// comment, rejects the idea or dismisses, and resolves every open report on that target.
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../audit/schema';
import { VISITOR, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import { comments, ideas, reports } from './schema';
import { createComment } from './comments';
import { createReport, decodeReason, encodeReason, listReports, openReportCount, reportPage, resolveReport } from './reports';
import { commentWorld, makeIdea, type CommentWorld } from '../testing/comment-world';
import { HONEYPOT_FIELD } from './abuse';

useTestDb();

let w: CommentWorld;
let ipSeq = 0;
const ctx = () => ({ ip: `203.0.113.${++ipSeq % 250}` });

beforeAll(async () => {
	w = await commentWorld();
});

const report = (who: Actor, typ: string, id: string, over: Record<string, string> = {}) =>
	createReport(who, w.network.id, { typ, id, reason: 'insulting', note: '', ...over }, ctx());

const comment = (targetId = w.idea.id, body = 'Ein unfreundlicher Kommentar') =>
	createComment(w.resident, w.network.id, { targetType: 'idea', targetId, body }, ctx());

describe('reporting', () => {
	it('a visitor reports a comment, more than once (only the rate limit holds visitors back)', async () => {
		const c = await comment();
		const r1 = await report(VISITOR, 'comment', c.id);
		const r2 = await report(VISITOR, 'comment', c.id, { reason: 'spam' });
		expect(r1.reporterId).toBeNull();
		expect(r2.state).toBe('open');
	});

	it('an account reports once per target while the report is open', async () => {
		const idea = await makeIdea(w.network.id, w.town.id, { title: 'Einmal melden' });
		await report(w.resident, 'idea', idea.id, { reason: 'other', note: 'Steht so schon woanders' });
		expect(await fieldErrors(report(w.resident, 'idea', idea.id))).toEqual({ _form: 'reports.error.duplicate' });
		expect((await reportPage(w.resident, w.network.id, 'idea', idea.id)).alreadyReported).toBe(true);
		expect((await reportPage(VISITOR, w.network.id, 'idea', idea.id)).alreadyReported).toBe(false);
		// Someone else may still report it.
		await report(w.partner, 'idea', idea.id);
	});

	it.each([
		['a pending idea', () => ['idea', w.pendingIdea.id]],
		["another network's idea", () => ['idea', w.foreignIdea.id]],
		['a missing comment', () => ['comment', '00000000-0000-4000-8000-000000000000']]
	])('not %s', async (_l, target) => {
		const [typ, id] = target();
		await expect(report(w.resident, typ, id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(reportPage(VISITOR, w.network.id, typ, id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('validates reason, note, type and honeypot; nothing stored', async () => {
		const c = await comment();
		const before = await db().$count(reports);
		expect(await fieldErrors(report(VISITOR, 'comment', c.id, { reason: 'boring' }))).toEqual({ reason: 'reports.error.reason' });
		expect(await fieldErrors(report(VISITOR, 'comment', c.id, { note: 'x'.repeat(1001) }))).toEqual({ note: 'reports.error.noteTooLong' });
		expect(await fieldErrors(report(VISITOR, 'comment', c.id, { reason: 'other' }))).toEqual({ note: 'reports.error.noteRequired' });
		expect((await fieldErrors(report(VISITOR, 'measure', c.id))).typ).toBe('reports.error.target');
		expect(await fieldErrors(report(VISITOR, 'comment', c.id, { [HONEYPOT_FIELD]: 'x' }))).toEqual({ _form: 'participation.honeypot' });
		expect(await db().$count(reports)).toBe(before);
	});

	it('the report page shows a short excerpt of what is reported', async () => {
		const c = await comment(w.idea.id, 'Wort '.repeat(200));
		const p = await reportPage(VISITOR, w.network.id, 'comment', c.id);
		expect(p.target.excerpt.length).toBeLessThanOrEqual(300);
		expect(p.target.path).toBe(`/${w.network.slug}/ideen/${w.idea.id}#kommentar-${c.id}`);
	});

	it('the reason keeps its code and the words', () => {
		expect(decodeReason(encodeReason('other', 'Zeile 1\nZeile 2'))).toEqual({ reason: 'other', note: 'Zeile 1\nZeile 2' });
		expect(decodeReason('spam')).toEqual({ reason: 'spam', note: '' });
	});
});

describe('the queue', () => {
	let townComment: string;
	let otherTownComment: string;
	let measureComment: string;

	beforeAll(async () => {
		townComment = (await comment(w.idea.id, 'Im Ort A')).id;
		otherTownComment = (await comment(w.otherTownIdea.id, 'Im Ort B')).id;
		measureComment = (await createComment(w.resident, w.network.id, { targetType: 'measure', targetId: w.publicMeasure.id, body: 'Zur Maßnahme' }, ctx())).id;
		for (const id of [townComment, otherTownComment, measureComment]) await report(VISITOR, 'comment', id);
		await report(w.partner, 'comment', townComment, { reason: 'spam' });
	});

	const ids = async (who: Actor) => {
		const all: string[] = [];
		for (let page = 1; ; page++) {
			const r = await listReports(who, w.network.id, { page, pageSize: 100 });
			all.push(...r.items.map((i) => i.target?.id ?? ''));
			if (page * r.pageSize >= r.total) return all;
		}
	};

	it.each<[string, boolean, boolean]>([
		['coordinator', true, true],
		['member', true, false],
		['otherMember', false, true]
	])('%s sees the reports of their municipalities', async (who, seesTown, seesOther) => {
		const seen = await ids(w[who as 'coordinator']);
		expect(seen.includes(townComment)).toBe(seesTown);
		expect(seen.includes(measureComment)).toBe(seesTown);
		expect(seen.includes(otherTownComment)).toBe(seesOther);
	});

	it.each(['partner', 'resident', 'noConsent', 'visitor', 'foreignCoordinator'])('%s has no queue', async (who) => {
		const a = who === 'visitor' ? VISITOR : w[who as 'partner'];
		await expect(listReports(a, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await openReportCount(a, w.network.id)).toBe(0);
	});

	it('shows the text, the reason and how often the target was reported', async () => {
		const r = await listReports(w.member, w.network.id, { pageSize: 100 });
		const items = r.items.filter((i) => i.target?.id === townComment);
		expect(items).toHaveLength(2);
		expect(items[0]).toMatchObject({ sameTarget: 2, target: { text: 'Im Ort A', type: 'comment' }, can: { hide: true, reject: false, dismiss: true } });
		expect(items.map((i) => i.byVisitor).sort()).toEqual([false, true]);
		expect(await openReportCount(w.member, w.network.id)).toBe(r.total);
	});

	it('hiding resolves every open report on the comment, audited', async () => {
		const [one] = (await listReports(w.member, w.network.id, { pageSize: 100 })).items.filter((i) => i.target?.id === townComment);
		await expect(resolveReport(w.otherMember, w.network.id, one.id, 'hide', { reason: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
		expect(await fieldErrors(resolveReport(w.member, w.network.id, one.id, 'hide', { reason: '' }))).toEqual({ reason: 'comments.error.reasonRequired' });
		const res = await resolveReport(w.member, w.network.id, one.id, 'hide', { reason: 'Beleidigend' });
		expect(res).toEqual({ resolved: 2, resolution: 'hidden: Beleidigend' });
		const [c] = await db().select().from(comments).where(eq(comments.id, townComment));
		expect(c).toMatchObject({ state: 'hidden', stateReason: 'Beleidigend' });
		const rows = await db().select().from(reports).where(eq(reports.targetId, townComment));
		expect(rows.every((x) => x.state === 'resolved' && x.resolvedBy === w.member.userId && x.resolvedAt)).toBe(true);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'report'), eq(auditLog.action, 'update')));
		expect(audit.filter((a) => rows.some((x) => x.id === a.recordId))).toHaveLength(2);
		const resolved = await listReports(w.member, w.network.id, { state: 'resolved' });
		expect(resolved.items.some((i) => i.id === one.id && !i.can.dismiss)).toBe(true);
		expect(await fieldErrors(resolveReport(w.member, w.network.id, one.id, 'dismiss'))).toEqual({ _form: 'reports.error.resolved' });
	});

	it('dismissing leaves the comment alone', async () => {
		const [one] = (await listReports(w.otherMember, w.network.id)).items.filter((i) => i.target?.id === otherTownComment);
		await resolveReport(w.otherMember, w.network.id, one.id, 'dismiss');
		const [c] = await db().select().from(comments).where(eq(comments.id, otherTownComment));
		expect(c.state).toBe('visible');
	});

	it('an idea is rejected through the moderation service', async () => {
		const idea = await makeIdea(w.network.id, w.town.id, { title: 'Werbung für mein Geschäft' });
		const r = await report(VISITOR, 'idea', idea.id, { reason: 'spam' });
		const item = (await listReports(w.coordinator, w.network.id, { pageSize: 100 })).items.find((i) => i.id === r.id)!;
		expect(item.can).toEqual({ hide: false, reject: true, dismiss: true });
		await expect(resolveReport(w.coordinator, w.network.id, r.id, 'hide', { reason: 'x' })).rejects.toMatchObject({ fieldErrors: { _form: 'reports.error.action' } });
		const res = await resolveReport(w.coordinator, w.network.id, r.id, 'reject', { reason: 'Werbung' });
		expect(res.resolution).toBe('rejected: Werbung');
		const [i] = await db().select().from(ideas).where(eq(ideas.id, idea.id));
		expect(i).toMatchObject({ state: 'rejected', stateReason: 'Werbung' });
	});

	it('resolves a report once when two moderators (or a double click) resolve it at the same moment', async () => {
		const c = await comment(w.idea.id, 'Noch ein unfreundlicher Kommentar');
		const r = await report(VISITOR, 'comment', c.id);
		const second = await report(w.partner, 'comment', c.id);
		const results = await Promise.allSettled([
			resolveReport(w.member, w.network.id, r.id, 'hide', { reason: 'Beleidigend' }),
			resolveReport(w.coordinator, w.network.id, second.id, 'hide', { reason: 'Unsachlich' })
		]);
		expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
		const refused = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
		expect(refused.reason).toMatchObject({ fieldErrors: { _form: 'reports.error.resolved' } });
		// Hidden once, with the winner's reason, and both reports resolved with that same decision.
		const hides = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'comment'), eq(auditLog.recordId, c.id), eq(auditLog.action, 'hide')));
		expect(hides).toHaveLength(1);
		const [now] = await db().select().from(comments).where(eq(comments.id, c.id));
		const rows = await db().select().from(reports).where(eq(reports.targetId, c.id));
		expect(rows.map((x) => x.resolution)).toEqual([`hidden: ${now.stateReason}`, `hidden: ${now.stateReason}`]);
	});

	it('leaves the report open when the rejection is refused', async () => {
		const target = await makeIdea(w.network.id, w.town.id, { title: 'Ziel einer Zusammenführung' });
		await makeIdea(w.network.id, w.town.id, { title: 'Zusammengeführt', state: 'merged', mergedIntoId: target.id });
		const r = await report(VISITOR, 'idea', target.id, { reason: 'spam' });
		expect(await fieldErrors(resolveReport(w.coordinator, w.network.id, r.id, 'reject', { reason: 'Werbung' }))).toEqual({ _form: 'ideas.mod.rejectMergeTarget' });
		const [row] = await db().select().from(reports).where(eq(reports.id, r.id));
		expect(row.state).toBe('open');
	});

	it('another network cannot resolve', async () => {
		const [one] = (await listReports(w.coordinator, w.network.id)).items;
		await expect(resolveReport(w.foreignCoordinator, w.foreign.id, one.id, 'dismiss')).rejects.toBeInstanceOf(NotFoundError);
	});
});
