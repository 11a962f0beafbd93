// Comments: who may post, reply, delete and hide; where comments are possible at all; validation
// and safe rendering; the section as the pages show it; follower notification; the return path.
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../audit/schema';
import { jobs } from '../jobs/schema';
import { VISITOR, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import { resolveRecord } from '../registry';
import { registerAllRecords } from '../records';
import { comments, follows } from './schema';
import {
	COMMENT_PAGE_SIZE,
	createComment,
	deleteComment,
	firstCommentPage,
	hideComment,
	loadCommentSection,
	replyToComment,
	unhideComment
} from './comments';
import { commentWorld, type CommentWorld } from '../testing/comment-world';
import { HONEYPOT_FIELD } from './abuse';

useTestDb();
registerAllRecords();

let w: CommentWorld;
let ipSeq = 0;
/** Each call its own address, so the per-address rate limit never decides a test by accident. */
const ctx = () => ({ ip: `198.51.100.${++ipSeq % 250}` });
const url = (q = '') => new URL(`http://localhost/harz/ideen/x${q}`);

beforeAll(async () => {
	w = await commentWorld();
});

type Who = 'coordinator' | 'member' | 'otherMember' | 'partner' | 'resident' | 'noConsent' | 'visitor';
const actor = (who: Who): Actor => (who === 'visitor' ? VISITOR : w[who]);

const post = (who: Actor | Who, over: Record<string, string> = {}) =>
	createComment(typeof who === 'string' ? actor(who) : who, w.network.id, { targetType: 'idea', targetId: w.idea.id, body: 'Gute Idee, unbedingt umsetzen!', ...over }, ctx());

async function forbidden(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (e) {
		if (e instanceof ForbiddenError) return e.message;
		throw e;
	}
	throw new Error('expected ForbiddenError');
}

describe('who may comment', () => {
	it.each<[Who, string | null]>([
		['coordinator', null],
		['member', null],
		['otherMember', null],
		['partner', null],
		['resident', null],
		['noConsent', 'participation.no_consent'],
		['visitor', 'participation.signed_out']
	])('%s → %s', async (who, refusal) => {
		if (refusal) {
			expect(await forbidden(post(who))).toBe(refusal);
		} else {
			const c = await post(who);
			expect(c.state).toBe('visible');
			expect(c.authorName).not.toBe('');
		}
	});

	it('on a public measure too', async () => {
		const c = await createComment(w.resident, w.network.id, { targetType: 'measure', targetId: w.publicMeasure.id, body: 'Wann geht es los?' }, ctx());
		expect(c.targetType).toBe('measure');
	});

	it.each([
		['a pending idea', () => ({ targetType: 'idea', targetId: w.pendingIdea.id })],
		['an internal measure', () => ({ targetType: 'measure', targetId: w.internalMeasure.id })],
		["another network's idea", () => ({ targetType: 'idea', targetId: w.foreignIdea.id })],
		['nothing', () => ({ targetType: 'idea', targetId: '00000000-0000-4000-8000-000000000000' })]
	])('not on %s', async (_label, target) => {
		await expect(createComment(w.coordinator, w.network.id, { ...target(), body: 'Kommentar' }, ctx())).rejects.toBeInstanceOf(NotFoundError);
	});

	it('not on a rejected idea that was published before', async () => {
		const [i] = await db().insert((await import('./schema')).ideas).values({ networkId: w.network.id, bodyId: w.town.id, title: 'Abgelehnt', body: 'x', state: 'rejected' }).returning();
		await expect(post('resident', { targetId: i.id })).rejects.toBeInstanceOf(NotFoundError);
	});

	it('takes the group name for a group account', async () => {
		const { giveConsent } = await import('../testing/comment-world');
		const { makeUser } = await import('../testing/factories');
		const { loadActor } = await import('../auth/actor');
		const { citizenProfiles } = await import('./schema');
		const u = await makeUser({ name: 'Klasse 4b' });
		await db().insert(citizenProfiles).values({ userId: u.id, kind: 'group', organisation: 'Grundschule Thale', consentVersion: 't', consentText: 't', consentedAt: new Date() });
		const c = await post(await giveConsent(await loadActor(u.id)));
		expect(c.authorName).toBe('Klasse 4b, Grundschule Thale');
	});
});

describe('validation', () => {
	it.each<[string, string, string]>([
		['empty', '   ', 'comments.error.empty'],
		['one character', 'a', 'comments.error.tooShort'],
		['3001 characters', 'x'.repeat(3001), 'comments.error.tooLong'],
		['four links', 'https://a.de https://b.de www.c.de https://d.de', 'participation.tooManyLinks']
	])('%s is refused and nothing stored', async (_l, body, key) => {
		const before = await db().$count(comments);
		expect(await fieldErrors(post('resident', { body }))).toEqual({ body: key });
		expect(await db().$count(comments)).toBe(before);
	});

	it('3000 characters and three links pass', async () => {
		await post('resident', { body: 'x'.repeat(2950) + ' https://a.de https://b.de www.c.de' });
	});

	it('the honeypot refuses', async () => {
		expect(await fieldErrors(post('resident', { [HONEYPOT_FIELD]: 'http://spam' }))).toEqual({ _form: 'participation.honeypot' });
	});

	it('a bad target type is a field error', async () => {
		expect((await fieldErrors(post('resident', { targetType: 'comment' }))).targetType).toBe('comments.error.target');
	});

	it('script tags stay text and javascript: links are removed', async () => {
		const c = await post('resident', { body: '<script>alert(1)</script> [klick](javascript:alert(2)) **fett**' });
		const s = await loadCommentSection(w.resident, { type: 'idea', id: w.idea.id, networkId: w.network.id }, url());
		const v = s.comments.find((x) => x.id === c.id)!;
		expect(v.html).not.toContain('<script');
		expect(v.html).toContain('&lt;script&gt;');
		// markdown-it refuses the link, so it stays plain text: no href carries the scheme.
		expect(v.html).not.toMatch(/href="\s*javascript/i);
		expect(v.html).not.toContain('<a');
		expect(v.html).toContain('<strong>fett</strong>');
	});
});

describe('replies', () => {
	it('one level deep, on the same target, to visible comments only', async () => {
		const top = await post('resident');
		const reply = await replyToComment(w.member, w.network.id, { targetType: 'idea', targetId: w.idea.id, parentId: top.id, body: 'Danke, wir prüfen das.' }, ctx());
		expect(reply.parentId).toBe(top.id);
		// A reply to a reply is refused.
		expect(await fieldErrors(replyToComment(w.resident, w.network.id, { targetType: 'idea', targetId: w.idea.id, parentId: reply.id, body: 'Und weiter?' }, ctx()))).toEqual({ _form: 'comments.error.parent' });
		// The parent must belong to the target named in the form.
		await expect(replyToComment(w.resident, w.network.id, { targetType: 'measure', targetId: w.publicMeasure.id, parentId: top.id, body: 'Falsches Ziel' }, ctx())).rejects.toBeInstanceOf(NotFoundError);
		// Not to a hidden comment.
		await hideComment(w.coordinator, w.network.id, top.id, { reason: 'Test' });
		expect(await fieldErrors(replyToComment(w.resident, w.network.id, { targetType: 'idea', targetId: w.idea.id, parentId: top.id, body: 'Noch was' }, ctx()))).toEqual({ _form: 'comments.error.parent' });
	});

	it('needs a parent id', async () => {
		expect((await fieldErrors(replyToComment(w.resident, w.network.id, { targetType: 'idea', targetId: w.idea.id, parentId: 'x', body: 'Hallo' }, ctx()))).parentId).toBe('comments.error.parent');
	});
});

describe('delete own', () => {
	it.each<[Who, boolean]>([
		['coordinator', false],
		['member', false],
		['partner', false],
		['noConsent', false],
		['visitor', false]
	])('%s may not delete a resident’s comment', async (who) => {
		const c = await post('resident');
		await expect(deleteComment(actor(who), w.network.id, c.id)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('the author deletes softly; replies stay, the text leaves the page; audited', async () => {
		const c = await post('resident', { body: 'Mein Text, gleich weg' });
		await replyToComment(w.member, w.network.id, { targetType: 'idea', targetId: w.idea.id, parentId: c.id, body: 'Antwort bleibt' }, ctx());
		const lone = await post('resident', { body: 'Ohne Antworten' });
		await deleteComment(w.resident, w.network.id, c.id);
		await deleteComment(w.resident, w.network.id, lone.id);
		const [row] = await db().select().from(comments).where(eq(comments.id, c.id));
		expect(row.state).toBe('deleted');
		expect(row.body).toBe('Mein Text, gleich weg');
		const s = await loadCommentSection(VISITOR, { type: 'idea', id: w.idea.id, networkId: w.network.id }, url());
		const v = s.comments.find((x) => x.id === c.id)!;
		expect(v.state).toBe('deleted');
		expect(v.html).toBe('');
		expect(v.authorName).toBe('');
		expect(v.replies.map((r) => r.html)).toEqual([expect.stringContaining('Antwort bleibt')]);
		expect(s.comments.find((x) => x.id === lone.id)).toBeUndefined();
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'comment'), eq(auditLog.recordId, c.id)));
		expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete']);
	});
});

describe('hide and unhide', () => {
	it.each<[Who, boolean]>([
		['coordinator', true],
		['member', true],
		['otherMember', false],
		['partner', false],
		['resident', false],
		['noConsent', false],
		['visitor', false]
	])('%s → %s', async (who, allowed) => {
		const c = await post('resident');
		const p = hideComment(actor(who), w.network.id, c.id, { reason: 'Beleidigend' });
		if (!allowed) {
			await expect(p).rejects.toBeInstanceOf(ForbiddenError);
			return;
		}
		expect((await p).state).toBe('hidden');
		const s = await loadCommentSection(VISITOR, { type: 'idea', id: w.idea.id, networkId: w.network.id }, url());
		const v = s.comments.find((x) => x.id === c.id)!;
		expect(v).toMatchObject({ state: 'hidden', html: '', hiddenReason: 'Beleidigend', moderatorHtml: '' });
		const asMod = await loadCommentSection(actor(who), { type: 'idea', id: w.idea.id, networkId: w.network.id }, url());
		expect(asMod.comments.find((x) => x.id === c.id)!.moderatorHtml).toContain('Gute Idee');
		expect((await unhideComment(actor(who), w.network.id, c.id)).state).toBe('visible');
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'comment'), eq(auditLog.recordId, c.id)));
		expect(audit.map((a) => a.action).sort()).toEqual(['create', 'hide', 'unhide']);
	});

	it('a member of the other town moderates comments on that town’s idea', async () => {
		const c = await post('resident', { targetId: w.otherTownIdea.id });
		await expect(hideComment(w.member, w.network.id, c.id, { reason: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
		expect((await hideComment(w.otherMember, w.network.id, c.id, { reason: 'x' })).state).toBe('hidden');
	});

	it('needs a reason', async () => {
		const c = await post('resident');
		expect(await fieldErrors(hideComment(w.coordinator, w.network.id, c.id, { reason: ' ' }))).toEqual({ reason: 'comments.error.reasonRequired' });
	});

	it('another network’s coordinator finds nothing', async () => {
		const c = await post('resident');
		await expect(hideComment(w.foreignCoordinator, w.foreign.id, c.id, { reason: 'x' })).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('the section', () => {
	it('pages top-level comments newest first with their replies, and flags what the actor may do', async () => {
		const idea = (await import('../testing/comment-world')).makeIdea(w.network.id, w.town.id, { title: 'Viele Kommentare' });
		const target = { type: 'idea' as const, id: (await idea).id, networkId: w.network.id };
		const first = await createComment(w.resident, w.network.id, { targetType: 'idea', targetId: target.id, body: 'Erster' }, ctx());
		await replyToComment(w.member, w.network.id, { targetType: 'idea', targetId: target.id, parentId: first.id, body: 'Antwort' }, ctx());
		for (let i = 0; i < COMMENT_PAGE_SIZE; i++) await createComment(w.partner, w.network.id, { targetType: 'idea', targetId: target.id, body: `Nr. ${i}` }, ctx());
		const p1 = await loadCommentSection(w.resident, target, url());
		expect(p1).toMatchObject({ total: COMMENT_PAGE_SIZE + 2, threads: COMMENT_PAGE_SIZE + 1, page: 1, participant: 'ok', open: true, can: { post: true, moderate: false } });
		expect(p1.comments).toHaveLength(COMMENT_PAGE_SIZE);
		expect(p1.comments[0].html).toContain(`Nr. ${COMMENT_PAGE_SIZE - 1}`);
		const p2 = await loadCommentSection(w.resident, target, url('?kommentare=2'));
		expect(p2.comments.map((c) => c.id)).toEqual([first.id]);
		expect(p2.comments[0]).toMatchObject({ canDelete: true, canReply: true, canModerate: false });
		expect(p2.comments[0].replies[0]).toMatchObject({ canDelete: false, canReply: false });
		expect(p2.back).toBe('/harz/ideen/x?kommentare=2');
		const visitor = await loadCommentSection(VISITOR, target, url('?kommentare=2'));
		expect(visitor).toMatchObject({ participant: 'signed_out', can: { post: false } });
		expect(visitor.comments[0]).toMatchObject({ canDelete: false, canReply: false });
		const mod = await loadCommentSection(w.member, target, url());
		expect(mod.can.moderate).toBe(true);
		expect((await loadCommentSection(w.noConsent, target, url())).participant).toBe('no_consent');
	});

	it('a pending idea shows a closed section; another network’s idea is not found', async () => {
		const s = await loadCommentSection(w.member, { type: 'idea', id: w.pendingIdea.id, networkId: w.network.id }, url());
		expect(s).toMatchObject({ open: false, can: { post: false } });
		await expect(loadCommentSection(w.resident, { type: 'idea', id: w.foreignIdea.id, networkId: w.network.id }, url())).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('followers and the registry', () => {
	it('a new comment queues one notification without the text', async () => {
		await db().insert(follows).values({ userId: w.partner.userId!, networkId: w.network.id, targetType: 'measure', targetId: w.publicMeasure.id });
		const c = await createComment(w.resident, w.network.id, { targetType: 'measure', targetId: w.publicMeasure.id, body: 'Geheimer Inhalt' }, ctx());
		const queued = (await db().select().from(jobs).where(eq(jobs.kind, 'participation.notify_followers'))).map((j) => j.payload as Record<string, string>);
		const mine = queued.filter((p) => p.path?.endsWith(`#kommentar-${c.id}`));
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ type: 'measure', id: w.publicMeasure.id, what: 'Es gibt einen neuen Kommentar.', byUserId: w.resident.userId });
		expect(JSON.stringify(mine[0])).not.toContain('Geheimer Inhalt');
	});

	it('a comment resolves to its place on the page; hidden ones only for moderators', async () => {
		const c = await post('resident');
		expect(await resolveRecord(VISITOR, { type: 'comment', id: c.id })).toMatchObject({ url: `/${w.network.slug}/ideen/${w.idea.id}#kommentar-${c.id}`, isPublic: true });
		await hideComment(w.member, w.network.id, c.id, { reason: 'x' });
		expect(await resolveRecord(VISITOR, { type: 'comment', id: c.id })).toBeNull();
		expect(await resolveRecord(w.member, { type: 'comment', id: c.id })).not.toBeNull();
		expect(await resolveRecord(w.foreignCoordinator, { type: 'comment', id: c.id })).toBeNull();
	});
});

// Which return paths are accepted: safeNetworkPath in http/redirect.test.ts.
describe('return path', () => {
	it('a new thread returns to the first page', () => {
		expect(firstCommentPage('/harz/ideen/1?kommentare=3&x=1')).toBe('/harz/ideen/1?x=1');
	});
});
