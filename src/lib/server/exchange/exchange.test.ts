import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../audit/schema';
import { notifications } from '../notifications/schema';
import { MAIL_JOB } from '../notifications';
import { jobs } from '../db/schema';
import { VISITOR } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import { exchangeMentions, exchangePostRevisions, exchangeThreadFollows, exchangeThreads, exchangeTopics } from './schema';
import { createTopic, listTopics, moveTopic, openTopics, seedDefaultTopics, seedMissingDefaultTopics, updateTopic, DEFAULT_TOPICS } from './topics';
import { makeNetwork } from '../testing/factories';
import { createThread, getThread, listThreads, markAnswer, moveThread, setThreadHidden, setThreadLocked } from './threads';
import { answerOf, deletePost, editPost, listPosts, listRevisions, pageOfPost, replyToThread, setPostHidden, POSTS_PER_PAGE, REVISIONS_PER_PAGE } from './posts';
import { uploadThreadFile } from './attachments';
import { isFollowing, setFollowing } from './follows';
import { findMentions, searchPeople } from './mentions';
import { registerExchangeRecords } from './records';
import { exchangeWorld, makeNamed, makeThread, type ExchangeWorld } from './testing';
import { SYSTEM } from '../bootstrap';

useTestDb();
registerExchangeRecords();

let w: ExchangeWorld;
beforeAll(async () => {
	w = await exchangeWorld();
});

async function threadRow(id: string) {
	const [t] = await db().select().from(exchangeThreads).where(eq(exchangeThreads.id, id));
	return t;
}

async function notificationsOf(userId: string, kind?: string) {
	return db()
		.select()
		.from(notifications)
		.where(and(eq(notifications.userId, userId), kind ? eq(notifications.kind, kind) : undefined))
		.orderBy(asc(notifications.createdAt));
}

describe('topics', () => {
	it('every network starts with the seven default topics, seeded once', async () => {
		const titles = (await listTopics(w.member, w.network.id)).map((t) => t.title);
		expect(titles).toEqual(DEFAULT_TOPICS.map((t) => t.title));
		expect(await db().transaction((tx) => seedDefaultTopics(tx, SYSTEM, w.network.id))).toBe(0);
		const rows = await db().select().from(exchangeTopics).where(eq(exchangeTopics.networkId, w.network.id));
		expect(rows).toHaveLength(7);
	});

	it('networks from before the exchange get the default topics at start-up, once; others are left alone', async () => {
		const old = await makeNetwork();
		const count = async (id: string) => (await db().select().from(exchangeTopics).where(eq(exchangeTopics.networkId, id))).length;
		expect(await count(old.id)).toBe(0);
		// Other test files may leave networks without topics in this database too: at least this one.
		expect(await seedMissingDefaultTopics()).toBeGreaterThanOrEqual(1);
		expect(await count(old.id)).toBe(7);
		expect(await count(w.network.id)).toBe(7);
		expect(await seedMissingDefaultTopics()).toBe(0);
		expect(await count(old.id)).toBe(7);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.networkId, old.id), eq(auditLog.recordType, 'exchange_topic')));
		expect(audit).toHaveLength(7);
		expect(audit.every((a) => a.actorUserId === null)).toBe(true);
	});

	it('coordinators create topics; the title is required, at most 120 characters, unique per network ignoring case', async () => {
		const t = await createTopic(w.coordinator, w.network.id, { title: 'Wasser', description: 'Trinkwasser und Abwasser' });
		expect(t.position).toBe(7);
		expect(await fieldErrors(createTopic(w.coordinator, w.network.id, { title: '  ' }))).toEqual({ title: 'exchange.topic.titleRequired' });
		expect(await fieldErrors(createTopic(w.coordinator, w.network.id, { title: 'x'.repeat(121) }))).toEqual({ title: 'exchange.topic.titleTooLong' });
		expect(await fieldErrors(createTopic(w.coordinator, w.network.id, { title: 'wASSER' }))).toEqual({ title: 'exchange.topic.titleTaken' });
		// Another network may have the same name.
		await expect(createTopic(w.foreignCoordinator, w.foreign.id, { title: 'Wasser' })).resolves.toMatchObject({ title: 'Wasser' });
		await expect(createTopic(w.member, w.network.id, { title: 'Neu' })).rejects.toThrow(ForbiddenError);
		await expect(createTopic(w.partner, w.network.id, { title: 'Neu' })).rejects.toThrow(ForbiddenError);
		await expect(createTopic(w.citizen, w.network.id, { title: 'Neu' })).rejects.toThrow(NotFoundError);
		await expect(createTopic(w.foreignCoordinator, w.network.id, { title: 'Neu' })).rejects.toThrow(NotFoundError);
	});

	it('coordinators rename (version guarded), reorder and archive; archived topics take no new threads', async () => {
		const t = await createTopic(w.coordinator, w.network.id, { title: 'Abfall' });
		const renamed = await updateTopic(w.coordinator, w.network.id, t.id, { title: 'Abfall und Kreislauf', description: '', version: '1' });
		expect(renamed).toMatchObject({ title: 'Abfall und Kreislauf', version: 2 });
		expect(await fieldErrors(updateTopic(w.coordinator, w.network.id, t.id, { title: 'Alt', version: '1' }))).toEqual({ _form: 'exchange.topic.editedMeanwhile' });
		expect(await fieldErrors(updateTopic(w.coordinator, w.network.id, t.id, { title: 'energie', version: '2' }))).toEqual({ title: 'exchange.topic.titleTaken' });

		const before = (await listTopics(w.coordinator, w.network.id)).map((x) => x.id);
		await moveTopic(w.coordinator, w.network.id, t.id, 'up');
		const after = (await listTopics(w.coordinator, w.network.id)).map((x) => x.id);
		const i = before.indexOf(t.id);
		expect(after.indexOf(t.id)).toBe(i - 1);
		await expect(moveTopic(w.member, w.network.id, t.id, 'up')).rejects.toThrow(ForbiddenError);

		const current = (await listTopics(w.coordinator, w.network.id)).find((x) => x.id === t.id)!;
		await updateTopic(w.coordinator, w.network.id, t.id, { title: 'Abfall und Kreislauf', archived: 'on', version: String(current.version) });
		expect((await listTopics(w.member, w.network.id)).some((x) => x.id === t.id)).toBe(false);
		expect((await listTopics(w.member, w.network.id, { includeArchived: true })).find((x) => x.id === t.id)?.archived).toBe(true);
		expect((await openTopics(w.member, w.network.id)).some((x) => x.id === t.id)).toBe(false);
		expect(await fieldErrors(makeThread(w.member, w.network.id, t.id))).toEqual({ topicId: 'exchange.topicArchived' });
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'exchange_topic'), eq(auditLog.recordId, t.id)));
		expect(audit.length).toBeGreaterThanOrEqual(4);
	});
});

describe('threads and posts', () => {
	it('members and partners start threads and reply; citizens, visitors and other networks see nothing', async () => {
		const { thread, post } = await makeThread(w.member, w.network.id, w.topic.id);
		expect(post.isOpening).toBe(true);
		const reply = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Wir haben **rote** Module genommen.' });
		const t = await threadRow(thread.id);
		expect(t.replyCount).toBe(1);
		expect(t.lastPostAt.getTime()).toBe(reply.createdAt.getTime());
		const posts = await listPosts(w.coordinator, w.network.id, thread.id);
		expect(posts.items.map((p) => p.id)).toEqual([post.id, reply.id]);
		expect(posts.items[1].html).toContain('<strong>rote</strong>');
		for (const outsider of [w.citizen, VISITOR, w.foreignCoordinator]) {
			await expect(getThread(outsider, w.network.id, thread.id)).rejects.toThrow(NotFoundError);
			await expect(listPosts(outsider, w.network.id, thread.id)).rejects.toThrow(NotFoundError);
			await expect(replyToThread(outsider, w.network.id, thread.id, { body: 'Hallo' })).rejects.toThrow(NotFoundError);
			await expect(listThreads(outsider, w.network.id)).rejects.toThrow(NotFoundError);
		}
		// The other network's coordinator can't reach it through their own network either.
		await expect(getThread(w.foreignCoordinator, w.foreign.id, thread.id)).rejects.toThrow(NotFoundError);
		expect((await listThreads(w.foreignCoordinator, w.foreign.id)).items.some((i) => i.id === thread.id)).toBe(false);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, reply.id));
		expect(audit.map((a) => a.action)).toEqual(['create']);
	});

	it('refuses empty, whitespace-only, 1 MB posts and over-long titles, saving nothing', async () => {
		const count = async () => (await db().select().from(exchangeThreads).where(eq(exchangeThreads.networkId, w.network.id))).length;
		const c0 = await count();
		expect(await fieldErrors(makeThread(w.member, w.network.id, w.topic.id, { body: '' }))).toEqual({ body: 'exchange.bodyRequired' });
		expect(await fieldErrors(makeThread(w.member, w.network.id, w.topic.id, { body: ' \n\t ' }))).toEqual({ body: 'exchange.bodyRequired' });
		expect(await fieldErrors(makeThread(w.member, w.network.id, w.topic.id, { body: 'x'.repeat(1024 * 1024) }))).toEqual({ body: 'exchange.bodyTooLong' });
		expect(await fieldErrors(makeThread(w.member, w.network.id, w.topic.id, { title: 'x'.repeat(201) }))).toEqual({ title: 'exchange.titleTooLong' });
		expect(await fieldErrors(makeThread(w.member, w.network.id, w.topic.id, { title: '' }))).toEqual({ title: 'exchange.titleRequired' });
		expect(await fieldErrors(makeThread(w.member, w.network.id, 'nonsense'))).toEqual({ topicId: 'exchange.topicRequired' });
		// A topic of another network is no topic here.
		expect(await fieldErrors(makeThread(w.member, w.network.id, w.foreignTopic.id))).toEqual({ topicId: 'exchange.topicRequired' });
		expect(await count()).toBe(c0);
		// 20,000 characters are fine.
		await expect(makeThread(w.member, w.network.id, w.topic.id, { body: 'x'.repeat(20000), title: 'y'.repeat(200) })).resolves.toBeTruthy();

		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		expect(await fieldErrors(replyToThread(w.partner, w.network.id, thread.id, { body: 'x'.repeat(1024 * 1024) }))).toEqual({ body: 'exchange.bodyTooLong' });
		expect(await fieldErrors(replyToThread(w.partner, w.network.id, thread.id, { body: '   ' }))).toEqual({ body: 'exchange.bodyRequired' });
		expect((await threadRow(thread.id)).replyCount).toBe(0);
	});

	it('locked threads take no replies; hidden threads are gone for all but coordinators', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		await expect(setThreadLocked(w.member, w.network.id, thread.id, true)).rejects.toThrow(ForbiddenError);
		await setThreadLocked(w.coordinator, w.network.id, thread.id, true);
		expect(await fieldErrors(replyToThread(w.partner, w.network.id, thread.id, { body: 'Noch eine Frage' }))).toEqual({ body: 'exchange.threadLocked' });
		expect(await fieldErrors(replyToThread(w.coordinator, w.network.id, thread.id, { body: 'Noch eine Frage' }))).toEqual({ body: 'exchange.threadLocked' });
		expect((await getThread(w.member, w.network.id, thread.id)).can.reply).toBe(false);
		await setThreadLocked(w.coordinator, w.network.id, thread.id, false);
		await replyToThread(w.partner, w.network.id, thread.id, { body: 'Jetzt geht es wieder.' });

		expect(await fieldErrors(setThreadHidden(w.coordinator, w.network.id, thread.id, true, ''))).toEqual({ reason: 'exchange.reasonRequired' });
		await expect(setThreadHidden(w.partner, w.network.id, thread.id, true, 'Werbung')).rejects.toThrow(ForbiddenError);
		await setThreadHidden(w.coordinator, w.network.id, thread.id, true, 'Werbung');
		await expect(getThread(w.member, w.network.id, thread.id)).rejects.toThrow(NotFoundError);
		expect((await listThreads(w.member, w.network.id)).items.some((i) => i.id === thread.id)).toBe(false);
		const seen = await getThread(w.coordinator, w.network.id, thread.id);
		expect(seen).toMatchObject({ hiddenReason: 'Werbung', hiddenByName: 'Karla Koordinatorin' });
		expect((await listThreads(w.coordinator, w.network.id)).items.find((i) => i.id === thread.id)?.hidden).toBe(true);
		expect(await fieldErrors(replyToThread(w.coordinator, w.network.id, thread.id, { body: 'Hallo' }))).toEqual({ body: 'exchange.threadHidden' });
		// A member can't moderate what they can't see: 404, not 403.
		await expect(setThreadLocked(w.member, w.network.id, thread.id, true)).rejects.toThrow(NotFoundError);
		await setThreadHidden(w.coordinator, w.network.id, thread.id, false);
		await expect(getThread(w.member, w.network.id, thread.id)).resolves.toBeTruthy();
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'exchange_thread'), eq(auditLog.recordId, thread.id)));
		expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'update', 'update']);
	});

	it('coordinators move threads to another topic of the network', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const target = w.topics[2];
		await expect(moveThread(w.member, w.network.id, thread.id, target.id)).rejects.toThrow(ForbiddenError);
		expect(await fieldErrors(moveThread(w.coordinator, w.network.id, thread.id, w.foreignTopic.id))).toEqual({ topicId: 'exchange.topicRequired' });
		await moveThread(w.coordinator, w.network.id, thread.id, target.id);
		expect((await threadRow(thread.id)).topicId).toBe(target.id);
		expect((await listThreads(w.member, w.network.id, { topicId: target.id })).items.map((i) => i.id)).toContain(thread.id);
	});

	it('lists threads newest activity first, with the filters unanswered, mine and following', async () => {
		const topic = await createTopic(w.coordinator, w.network.id, { title: 'Listen' });
		const a = await makeThread(w.member, w.network.id, topic.id, { title: 'A' });
		const b = await makeThread(w.partner, w.network.id, topic.id, { title: 'B' });
		const c = await makeThread(w.other, w.network.id, topic.id, { title: 'C' });
		const r = await replyToThread(w.other, w.network.id, a.thread.id, { body: 'Antwort auf A' });
		await markAnswer(w.member, w.network.id, a.thread.id, r.id);
		const titles = async (filter?: 'unanswered' | 'mine' | 'following') => (await listThreads(w.member, w.network.id, { topicId: topic.id, filter })).items.map((i) => i.title);
		expect(await titles()).toEqual(['A', 'C', 'B']);
		expect(await titles('unanswered')).toEqual(['C', 'B']);
		expect(await titles('mine')).toEqual(['A']);
		await setFollowing(w.member, w.network.id, c.thread.id, true);
		expect(await titles('following')).toEqual(['A', 'C']);
		const list = await listThreads(w.member, w.network.id, { topicId: topic.id, pageSize: 2, page: 2 });
		expect(list).toMatchObject({ total: 3, page: 2, pageSize: 2 });
		expect(list.items.map((i) => i.title)).toEqual(['B']);
		expect((await listThreads(w.member, w.network.id, { topicId: topic.id })).items[0]).toMatchObject({ answered: true, replyCount: 1, authorName: 'Anna Maria Schulz', topicTitle: 'Listen' });
		expect((await listTopics(w.member, w.network.id)).find((t) => t.id === topic.id)?.threadCount).toBe(3);
		expect(b).toBeTruthy();
	});
});

describe('the answer that helped', () => {
	it('the asker and coordinators mark and unmark a reply; others may not', async () => {
		const { thread, post: opening } = await makeThread(w.member, w.network.id, w.topic.id);
		const r1 = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Eins' });
		const r2 = await replyToThread(w.other, w.network.id, thread.id, { body: 'Zwei' });
		await expect(markAnswer(w.partner, w.network.id, thread.id, r1.id)).rejects.toThrow(ForbiddenError);
		await expect(markAnswer(w.citizen, w.network.id, thread.id, r1.id)).rejects.toThrow(NotFoundError);
		expect(await fieldErrors(markAnswer(w.member, w.network.id, thread.id, opening.id))).toEqual({ _form: 'exchange.answerGone' });
		await markAnswer(w.member, w.network.id, thread.id, r1.id);
		let t = await getThread(w.member, w.network.id, thread.id);
		expect(t.answerPostId).toBe(r1.id);
		expect((await answerOf(w.member, t))?.id).toBe(r1.id);
		await markAnswer(w.coordinator, w.network.id, thread.id, r2.id);
		expect((await threadRow(thread.id)).answerPostId).toBe(r2.id);
		await markAnswer(w.member, w.network.id, thread.id, null);
		expect((await threadRow(thread.id)).answerPostId).toBeNull();
		// A deleted answer stops being the answer.
		await markAnswer(w.member, w.network.id, thread.id, r2.id);
		await deletePost(w.other, w.network.id, r2.id);
		t = await getThread(w.member, w.network.id, thread.id);
		expect(t.answerPostId).toBeNull();
		expect(await fieldErrors(markAnswer(w.member, w.network.id, thread.id, r2.id))).toEqual({ _form: 'exchange.answerGone' });
	});
});

describe('editing, history and deleting', () => {
	it('keeps the previous text, shows "edited", guards the version and keeps the author’s text when it trips', async () => {
		const { thread, post } = await makeThread(w.member, w.network.id, w.topic.id, { body: 'Erste Fassung' });
		await expect(editPost(w.other, w.network.id, post.id, { body: 'Fremd', title: 'x', version: '1' })).rejects.toThrow(ForbiddenError);
		await expect(editPost(w.coordinator, w.network.id, post.id, { body: 'Koordination', title: 'x', version: '1' })).rejects.toThrow(ForbiddenError);
		const edited = await editPost(w.member, w.network.id, post.id, { body: 'Zweite Fassung', title: 'Neuer Titel', version: '1' });
		expect(edited.editedAt).not.toBeNull();
		expect(edited.version).toBe(2);
		expect((await threadRow(thread.id)).title).toBe('Neuer Titel');
		const stale = await editPost(w.member, w.network.id, post.id, { body: 'Dritte Fassung', title: 'Neuer Titel', version: '1' }).catch((e) => e);
		expect(stale.fieldErrors).toEqual({ _form: 'exchange.editedMeanwhile' });
		expect(stale.values).toEqual({ version: '2' });
		expect(await fieldErrors(editPost(w.member, w.network.id, post.id, { body: 'x', title: 'T' }))).toEqual({ _form: 'exchange.versionMissing' });
		expect(await fieldErrors(editPost(w.member, w.network.id, post.id, { body: ' ', title: 'T', version: '2' }))).toEqual({ body: 'exchange.bodyRequired' });
		await editPost(w.member, w.network.id, post.id, { body: 'Dritte Fassung', title: 'Neuer Titel', version: '2' });

		const history = await listRevisions(w.partner, w.network.id, post.id);
		expect(history.revisions.items.map((r) => r.html.trim())).toEqual(['<p>Zweite Fassung</p>', '<p>Erste Fassung</p>']);
		expect(history.revisions.items[0].editedByName).toBe('Anna Maria Schulz');
		const view = (await listPosts(w.partner, w.network.id, thread.id)).items[0];
		expect(view).toMatchObject({ can: { history: true, edit: false } });
		expect(view.html.trim()).toBe('<p>Dritte Fassung</p>');
		expect(view.editedAt).not.toBeNull();
		await expect(listRevisions(w.citizen, w.network.id, post.id)).rejects.toThrow(NotFoundError);
	});

	it('deletes softly: the opening post goes, the thread and its replies stay; history only for the author and coordinators', async () => {
		const { thread, post } = await makeThread(w.member, w.network.id, w.topic.id, { body: 'Frage' });
		await editPost(w.member, w.network.id, post.id, { body: 'Frage, genauer', title: 'T', version: '1' });
		const reply = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Antwort' });
		await expect(deletePost(w.partner, w.network.id, post.id)).rejects.toThrow(ForbiddenError);
		await expect(deletePost(w.coordinator, w.network.id, post.id)).rejects.toThrow(ForbiddenError);
		await deletePost(w.member, w.network.id, post.id);
		const items = (await listPosts(w.partner, w.network.id, thread.id)).items;
		expect(items.map((p) => [p.id, p.deleted, p.html === ''])).toEqual([
			[post.id, true, true],
			[reply.id, false, false]
		]);
		expect(items[0].can).toMatchObject({ edit: false, delete: false, history: false });
		expect((await threadRow(thread.id)).replyCount).toBe(1);
		await expect(listRevisions(w.partner, w.network.id, post.id)).rejects.toThrow(NotFoundError);
		expect((await listRevisions(w.member, w.network.id, post.id)).revisions.items).toHaveLength(1);
		expect((await listRevisions(w.coordinator, w.network.id, post.id)).revisions.items).toHaveLength(1);
		const revs = await db().select().from(exchangePostRevisions).where(eq(exchangePostRevisions.postId, post.id));
		expect(revs).toHaveLength(1);
		// Deleting a reply counts down; deleting twice changes nothing.
		await deletePost(w.partner, w.network.id, reply.id);
		await deletePost(w.partner, w.network.id, reply.id).catch(() => null);
		const t = await threadRow(thread.id);
		expect(t.replyCount).toBe(0);
		expect(t.lastPostAt.getTime()).toBe(t.createdAt.getTime());
		await expect(getThread(w.member, w.network.id, thread.id)).resolves.toBeTruthy();
	});
});

describe('moderation of posts', () => {
	it('hidden posts: only coordinators see them (marked); reply count and last activity follow', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const r1 = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Gut' });
		await new Promise((r) => setTimeout(r, 5));
		const r2 = await replyToThread(w.other, w.network.id, thread.id, { body: 'Werbung für Solarfirma' });
		await expect(setPostHidden(w.member, w.network.id, r2.id, true, 'Werbung')).rejects.toThrow(ForbiddenError);
		expect(await fieldErrors(setPostHidden(w.coordinator, w.network.id, r2.id, true, ''))).toEqual({ reason: 'exchange.reasonRequired' });
		await setPostHidden(w.coordinator, w.network.id, r2.id, true, 'Werbung');
		let t = await threadRow(thread.id);
		expect(t.replyCount).toBe(1);
		expect(t.lastPostAt.getTime()).toBe(r1.createdAt.getTime());
		expect((await listPosts(w.member, w.network.id, thread.id)).items.map((p) => p.id)).not.toContain(r2.id);
		const coord = (await listPosts(w.coordinator, w.network.id, thread.id)).items.find((p) => p.id === r2.id)!;
		expect(coord).toMatchObject({ hidden: true, hiddenReason: 'Werbung' });
		// Its author can't edit it while hidden, nor read its history, nor mark it.
		await expect(editPost(w.other, w.network.id, r2.id, { body: 'x', version: '1' })).rejects.toThrow(NotFoundError);
		expect(await fieldErrors(markAnswer(w.member, w.network.id, thread.id, r2.id))).toEqual({ _form: 'exchange.answerGone' });
		await setPostHidden(w.coordinator, w.network.id, r2.id, false);
		t = await threadRow(thread.id);
		expect(t.replyCount).toBe(2);
		expect(t.lastPostAt.getTime()).toBe(r2.createdAt.getTime());
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'exchange_post'), eq(auditLog.recordId, r2.id)));
		expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
	});

	it('pages posts by 50 and finds the page of a post', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const base = Date.now() - 3_600_000;
		const ids: string[] = [];
		for (let i = 0; i < POSTS_PER_PAGE + 2; i++) ids.push((await replyToThread(w.partner, w.network.id, thread.id, { body: `Antwort ${i}` }, { at: new Date(base + i * 1000) })).id);
		const p1 = await listPosts(w.member, w.network.id, thread.id);
		expect(p1).toMatchObject({ total: POSTS_PER_PAGE + 3, pageSize: 50 });
		expect(p1.items).toHaveLength(50);
		expect((await listPosts(w.member, w.network.id, thread.id, { page: 2 })).items.map((p) => p.id)).toEqual(ids.slice(49));
		expect(await pageOfPost(w.member, w.network.id, thread.id, ids[48])).toBe(1);
		expect(await pageOfPost(w.member, w.network.id, thread.id, ids[49])).toBe(2);
		expect(await pageOfPost(w.member, w.network.id, thread.id, 'nonsense')).toBe(1);
	});
});

describe('follows, mentions and notifications', () => {
	it('finds mentions: longest name, any case, at word boundaries; e-mail addresses are no mentions', () => {
		const people = [
			{ id: 'a', name: 'Anna Maria' },
			{ id: 'b', name: 'Anna Maria Schulz' },
			{ id: 'c', name: 'Paul Partner' }
		];
		expect(findMentions('Frag @anna maria schulz und @Paul Partner.', people)).toEqual(['b', 'c']);
		expect(findMentions('Frag @Anna Maria, bitte', people)).toEqual(['a']);
		expect(findMentions('@Anna Mariahilf ist niemand', people)).toEqual([]);
		expect(findMentions('paul@Paul Partner.de', people)).toEqual([]);
		expect(findMentions('(@Paul Partner) und nochmal @Paul Partner', people)).toEqual(['c']);
		expect(findMentions('ohne Erwähnung', people)).toEqual([]);
	});

	it('a longer hyphenated or apostrophed name is someone else: "@Anna Müller-Lüdenscheidt" is not Anna Müller', () => {
		const people = [
			{ id: 'm', name: 'Anna Müller' },
			{ id: 'o', name: 'Sean O' }
		];
		expect(findMentions('Frag @Anna Müller-Lüdenscheidt', people)).toEqual([]);
		expect(findMentions('Frag @Sean O’Neill oder @Sean O\'Brien', people)).toEqual([]);
		// A dash or apostrophe that does not go on with a letter ends the name.
		expect(findMentions('@Anna Müller - danke! @Anna Müller-', people)).toEqual(['m']);
		expect(findMentions('„@Anna Müller’“ und @Anna Müller.', people)).toEqual(['m']);
	});

	it('the asker and repliers follow; an unfollow sticks; followers hear of replies, mentioned people of the mention only', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id, { body: 'Frage an @Paul Partner' });
		expect(await isFollowing(w.member, thread.id)).toBe(true);
		// The partner was mentioned in the opening post.
		expect(await notificationsOf(w.partner.userId!, 'exchange.mention')).toHaveLength(1);
		const n0 = (await notificationsOf(w.member.userId!, 'exchange.reply')).length;
		const own0 = (await notificationsOf(w.partner.userId!, 'exchange.reply')).length;

		const answer = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Antwort' });
		expect(await isFollowing(w.partner, thread.id)).toBe(true);
		const toAsker = await notificationsOf(w.member.userId!, 'exchange.reply');
		expect(toAsker.length).toBe(n0 + 1);
		// About the post (so hiding or deleting it withdraws exactly these), leading to the post.
		expect(toAsker.at(-1)).toMatchObject({ title: `Neue Antwort: ${thread.title}`, recordType: 'exchange_post', recordId: answer.id });
		expect(toAsker.at(-1)!.url).toMatch(new RegExp(`^/${w.network.slug}/intern/austausch/diskussionen/${thread.id}\\?beitrag=`));
		// Nobody hears of their own reply.
		expect((await notificationsOf(w.partner.userId!, 'exchange.reply')).length).toBe(own0);

		await setFollowing(w.partner, w.network.id, thread.id, false);
		await replyToThread(w.partner, w.network.id, thread.id, { body: 'Noch etwas' });
		expect(await isFollowing(w.partner, thread.id)).toBe(false);
		const [row] = await db().select().from(exchangeThreadFollows).where(and(eq(exchangeThreadFollows.threadId, thread.id), eq(exchangeThreadFollows.userId, w.partner.userId!)));
		expect(row.following).toBe(false);
		const partnerReplies = (await notificationsOf(w.partner.userId!, 'exchange.reply')).length;
		await replyToThread(w.member, w.network.id, thread.id, { body: 'Danke' });
		expect((await notificationsOf(w.partner.userId!, 'exchange.reply')).length).toBe(partnerReplies);

		// A mentioned follower gets the mention, not also the reply.
		const coordBefore = (await notificationsOf(w.coordinator.userId!)).length;
		const memberReplies = (await notificationsOf(w.member.userId!, 'exchange.reply')).length;
		const memberMentions = (await notificationsOf(w.member.userId!, 'exchange.mention')).length;
		await replyToThread(w.coordinator, w.network.id, thread.id, { body: '@Anna Maria Schulz, schau mal' });
		expect((await notificationsOf(w.member.userId!, 'exchange.reply')).length).toBe(memberReplies);
		expect((await notificationsOf(w.member.userId!, 'exchange.mention')).length).toBe(memberMentions + 1);
		expect((await notificationsOf(w.coordinator.userId!)).length).toBe(coordBefore);
	});

	it('demo threads notify nobody, neither when seeded nor on later replies, mentions or edits (no mail jobs either)', async () => {
		const before = (await db().select().from(notifications)).length;
		const mailJobs = async () => (await db().select().from(jobs).where(eq(jobs.kind, MAIL_JOB))).length;
		const jobsBefore = await mailJobs();
		const { thread, post } = await createThread(w.member, w.network.id, { topicId: w.topic.id, title: 'Demo: Dienstfahrräder?', body: 'Frage an @Paul Partner' }, { isDemo: true });
		await replyToThread(w.partner, w.network.id, thread.id, { body: 'Antwort an @Karla Koordinatorin' });
		await replyToThread(w.coordinator, w.network.id, thread.id, { body: 'Danke' });
		await editPost(w.member, w.network.id, post.id, { title: thread.title, body: 'Frage an @Paul Partner und @Anna Maria', version: String(post.version) });
		// The mentions are still recorded (they link the people); only nobody is told.
		expect(await db().select().from(exchangeMentions).where(eq(exchangeMentions.postId, post.id))).toHaveLength(2);
		expect((await db().select().from(notifications)).length).toBe(before);
		expect(await mailJobs()).toBe(jobsBefore);
		// A real thread next to it still notifies.
		await makeThread(w.member, w.network.id, w.topic.id, { body: 'Frage an @Paul Partner' });
		expect((await db().select().from(notifications)).length).toBe(before + 1);
		expect(await mailJobs()).toBe(jobsBefore + 1);
	});

	it('a mention of someone outside the network stays plain text and notifies nobody; an edit notifies only newly mentioned people', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const before = (await notificationsOf(w.foreignCoordinator.userId!)).length;
		const citizenBefore = (await notificationsOf(w.citizen.userId!)).length;
		const reply = await replyToThread(w.other, w.network.id, thread.id, { body: 'Frag @Fritz Fremd oder @Clara Bürgerin' });
		expect(await db().select().from(exchangeMentions).where(eq(exchangeMentions.postId, reply.id))).toEqual([]);
		expect((await notificationsOf(w.foreignCoordinator.userId!)).length).toBe(before);
		expect((await notificationsOf(w.citizen.userId!)).length).toBe(citizenBefore);
		const html = (await listPosts(w.member, w.network.id, thread.id)).items[1].html;
		expect(html.trim()).toBe('<p>Frag @Fritz Fremd oder @Clara Bürgerin</p>');

		const partnerBefore = (await notificationsOf(w.partner.userId!, 'exchange.mention')).length;
		const e1 = await editPost(w.other, w.network.id, reply.id, { body: 'Frag @Paul Partner', version: '1' });
		expect((await notificationsOf(w.partner.userId!, 'exchange.mention')).length).toBe(partnerBefore + 1);
		const coordBefore = (await notificationsOf(w.coordinator.userId!, 'exchange.mention')).length;
		await editPost(w.other, w.network.id, reply.id, { body: 'Frag @Paul Partner und @Karla Koordinatorin', version: String(e1.version) });
		expect((await notificationsOf(w.partner.userId!, 'exchange.mention')).length).toBe(partnerBefore + 1);
		expect((await notificationsOf(w.coordinator.userId!, 'exchange.mention')).length).toBe(coordBefore + 1);
		const stored = await db().select().from(exchangeMentions).where(eq(exchangeMentions.postId, reply.id));
		expect(stored.map((m) => m.userId).sort()).toEqual([w.partner.userId, w.coordinator.userId].sort());

		// Taking a name out and putting it back does not tell the person a second time.
		const e3 = await editPost(w.other, w.network.id, reply.id, { body: 'Frag @Karla Koordinatorin', version: String(e1.version + 1) });
		await editPost(w.other, w.network.id, reply.id, { body: 'Frag @Paul Partner wieder', version: String(e3.version) });
		expect((await notificationsOf(w.partner.userId!, 'exchange.mention')).length).toBe(partnerBefore + 1);
	});

	it('the people search lists at most 10 people of this network, by name or word start', async () => {
		for (let i = 0; i < 12; i++) await makeNamed(w.network.id, 'member', `Berta Beispiel ${String(i).padStart(2, '0')}`);
		await makeNamed(w.foreign.id, 'member', 'Berta Fremdnetz');
		await makeNamed(w.network.id, 'citizen', 'Berta Bürgerin');
		const hits = await searchPeople(w.member, w.network.id, '@Ber');
		expect(hits).toHaveLength(10);
		expect(hits.every((h) => h.name.startsWith('Berta Beispiel'))).toBe(true);
		expect((await searchPeople(w.member, w.network.id, 'schulz')).map((h) => h.name)).toEqual(['Anna Maria Schulz']);
		expect(await searchPeople(w.member, w.network.id, '%')).toEqual([]);
		expect(await searchPeople(w.member, w.network.id, '')).toEqual([]);
		await expect(searchPeople(w.citizen, w.network.id, 'Ber')).rejects.toThrow(NotFoundError);
		await expect(searchPeople(VISITOR, w.network.id, 'Ber')).rejects.toThrow(NotFoundError);
	});
});

describe('withdrawing notifications and the answer of hidden or deleted posts', () => {
	const about = (postId: string) => db().select().from(notifications).where(and(eq(notifications.recordType, 'exchange_post'), eq(notifications.recordId, postId)));
	/** Marks a post's notifications as mailed (what the mail job does), so withdrawing must keep them blank. */
	const mail = (postId: string, userId: string) =>
		db()
			.update(notifications)
			.set({ mailedAt: new Date() })
			.where(and(eq(notifications.recordId, postId), eq(notifications.userId, userId)));

	it('hiding a post removes pending notifications about it and blanks the excerpt of mailed ones; showing it again brings none back', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		await replyToThread(w.coordinator, w.network.id, thread.id, { body: 'Ich folge auch' });
		const spam = await replyToThread(w.other, w.network.id, thread.id, { body: 'Billige Module bei @Paul Partner kaufen' });
		const rows = await about(spam.id);
		// Followers (asker, coordinator) and the mentioned partner.
		expect(rows.map((r) => r.userId).sort()).toEqual([w.member.userId, w.coordinator.userId, w.partner.userId].sort());
		expect(rows.every((r) => r.excerpt.includes('Billige Module'))).toBe(true);
		await mail(spam.id, w.partner.userId!);
		await setPostHidden(w.coordinator, w.network.id, spam.id, true, 'Werbung');
		const left = await about(spam.id);
		expect(left).toHaveLength(1);
		expect(left[0]).toMatchObject({ userId: w.partner.userId, excerpt: '' });
		await setPostHidden(w.coordinator, w.network.id, spam.id, false);
		expect(await about(spam.id)).toHaveLength(1);
	});

	it('deleting a post withdraws its notifications; other posts keep theirs', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const keep = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Bleibt stehen' });
		const gone = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Versehentlich gepostet' });
		expect(await about(gone.id)).toHaveLength(1);
		await deletePost(w.partner, w.network.id, gone.id);
		expect(await about(gone.id)).toEqual([]);
		expect(await about(keep.id)).toHaveLength(1);
	});

	it('hiding a thread withdraws the notifications of all its posts, and only of its posts', async () => {
		const { thread, post } = await makeThread(w.member, w.network.id, w.topic.id, { body: 'Frage an @Paul Partner' });
		const r1 = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Erste Antwort' });
		const r2 = await replyToThread(w.coordinator, w.network.id, thread.id, { body: 'Zweite Antwort' });
		await mail(r2.id, w.member.userId!);
		const { thread: other } = await makeThread(w.member, w.network.id, w.topic.id);
		const elsewhere = await replyToThread(w.partner, w.network.id, other.id, { body: 'Anderswo' });
		await setThreadHidden(w.coordinator, w.network.id, thread.id, true, 'Doppelt');
		expect(await about(post.id)).toEqual([]);
		expect(await about(r1.id)).toEqual([]);
		const mailed = await about(r2.id);
		expect(mailed.map((r) => [r.userId, r.excerpt])).toEqual([[w.member.userId, '']]);
		expect((await about(elsewhere.id))[0].excerpt).toBe('Anderswo');
	});

	it('a hidden answer is no longer the answer (audited on the thread)', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const reply = await replyToThread(w.partner, w.network.id, thread.id, { body: 'So geht es' });
		await markAnswer(w.member, w.network.id, thread.id, reply.id);
		const version = (await threadRow(thread.id)).version;
		await setPostHidden(w.coordinator, w.network.id, reply.id, true, 'Falsche Angaben');
		const t = await threadRow(thread.id);
		expect(t.answerPostId).toBeNull();
		expect(t.version).toBe(version + 1);
		expect(await answerOf(w.coordinator, await getThread(w.coordinator, w.network.id, thread.id))).toBeNull();
		expect((await listThreads(w.member, w.network.id, { topicId: w.topic.id })).items.find((i) => i.id === thread.id)?.answered).toBe(false);
		const audit = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'exchange_thread'), eq(auditLog.recordId, thread.id)))
			.orderBy(asc(auditLog.createdAt), asc(auditLog.id));
		expect(audit.at(-1)).toMatchObject({ action: 'update', actorUserId: w.coordinator.userId, after: { answerPostId: null } });
		// Shown again, it does not become the answer by itself.
		await setPostHidden(w.coordinator, w.network.id, reply.id, false);
		expect((await threadRow(thread.id)).answerPostId).toBeNull();
	});
});

describe('fixes from the new-user test', () => {
	it('a too long moderation reason says so (not "required"); an empty one is required', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const reply = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Antwort' });
		const long = 'x'.repeat(2001);
		expect(await fieldErrors(setPostHidden(w.coordinator, w.network.id, reply.id, true, long))).toEqual({ reason: 'dir.tooLong2000' });
		expect(await fieldErrors(setThreadHidden(w.coordinator, w.network.id, thread.id, true, long))).toEqual({ reason: 'dir.tooLong2000' });
		expect(await fieldErrors(setPostHidden(w.coordinator, w.network.id, reply.id, true, '  '))).toEqual({ reason: 'exchange.reasonRequired' });
		await setPostHidden(w.coordinator, w.network.id, reply.id, true, 'x'.repeat(2000));
	});

	it('checks the post and the right before the reason: unknown post 404, member 403 (also without a reason)', async () => {
		const { thread, post } = await makeThread(w.member, w.network.id, w.topic.id);
		await expect(setPostHidden(w.coordinator, w.network.id, 'xyz', true, '')).rejects.toThrow(NotFoundError);
		await expect(setPostHidden(w.member, w.network.id, post.id, true, '')).rejects.toThrow(ForbiddenError);
		await expect(setThreadHidden(w.member, w.network.id, thread.id, true, '')).rejects.toThrow(ForbiddenError);
		await expect(moveThread(w.member, w.network.id, thread.id, '')).rejects.toThrow(ForbiddenError);
	});

	it('refuses a topic move other than up or down, and moving a thread into an archived topic', async () => {
		const before = (await listTopics(w.coordinator, w.network.id)).map((x) => x.id);
		expect(await fieldErrors(moveTopic(w.coordinator, w.network.id, before[1], 'sideways'))).toEqual({ _form: 'exchange.topics.badDirection' });
		expect((await listTopics(w.coordinator, w.network.id)).map((x) => x.id)).toEqual(before);

		const archived = await createTopic(w.coordinator, w.network.id, { title: 'Archiv für Umzüge' });
		await updateTopic(w.coordinator, w.network.id, archived.id, { title: archived.title, archived: 'on', version: '1' });
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		expect(await fieldErrors(moveThread(w.coordinator, w.network.id, thread.id, archived.id))).toEqual({ topicId: 'exchange.topic.archivedMove' });
		expect((await threadRow(thread.id)).topicId).toBe(w.topic.id);
	});

	it('lists the errors of a new thread in the form’s order: topic, title, text', async () => {
		const errors = await fieldErrors(createThread(w.member, w.network.id, { topicId: '', title: '', body: '' }));
		expect(Object.keys(errors)).toEqual(['topicId', 'title', 'body']);
	});

	it('uploads to a locked or hidden thread get a message for the file field; an empty file is called empty', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const pdf = { filename: 'plan.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') };
		expect(await fieldErrors(uploadThreadFile(w.member, w.network.id, thread.id, { ...pdf, bytes: Buffer.alloc(0) }))).toEqual({ file: 'exchange.files.emptyFile' });
		await setThreadLocked(w.coordinator, w.network.id, thread.id, true);
		expect(await fieldErrors(uploadThreadFile(w.member, w.network.id, thread.id, pdf))).toEqual({ file: 'exchange.threadLocked' });
		await setThreadLocked(w.coordinator, w.network.id, thread.id, false);
		await setThreadHidden(w.coordinator, w.network.id, thread.id, true, 'Prüfung');
		expect(await fieldErrors(uploadThreadFile(w.coordinator, w.network.id, thread.id, pdf))).toEqual({ file: 'exchange.threadHidden' });
	});

	it('coordinators learn how many replies are hidden; others see the count of what they see', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		await replyToThread(w.partner, w.network.id, thread.id, { body: 'Sichtbar' });
		const hidden = await replyToThread(w.partner, w.network.id, thread.id, { body: 'Wird ausgeblendet' });
		await setPostHidden(w.coordinator, w.network.id, hidden.id, true, 'Werbung');
		expect(await getThread(w.coordinator, w.network.id, thread.id)).toMatchObject({ replyCount: 1, hiddenReplies: 1 });
		expect(await getThread(w.member, w.network.id, thread.id)).toMatchObject({ replyCount: 1, hiddenReplies: 0 });
	});

	it('pages the history of a post by 10, newest first', async () => {
		const { post } = await makeThread(w.member, w.network.id, w.topic.id, { body: 'Fassung 0' });
		for (let i = 1; i <= 12; i++) await editPost(w.member, w.network.id, post.id, { body: `Fassung ${i}`, title: 'Verlauf', version: String(i) });
		const first = await listRevisions(w.partner, w.network.id, post.id);
		expect(first.revisions).toMatchObject({ total: 12, page: 1, pageSize: REVISIONS_PER_PAGE });
		expect(first.revisions.items).toHaveLength(10);
		expect(first.revisions.items[0].html.trim()).toBe('<p>Fassung 11</p>');
		const second = await listRevisions(w.partner, w.network.id, post.id, { page: 2 });
		expect(second.revisions.items.map((r) => r.html.trim())).toEqual(['<p>Fassung 1</p>', '<p>Fassung 0</p>']);
	});

	it('notification excerpts are the text of the Markdown, tags and angle brackets kept as written', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		await replyToThread(w.partner, w.network.id, thread.id, { body: 'Das ist <b>fett</b> und **wichtig**, siehe [Leitfaden](https://example.org/l).' });
		const n = (await notificationsOf(w.member.userId!, 'exchange.reply')).find((x) => x.url.includes(thread.id))!;
		expect(n.excerpt).toBe('Das ist <b>fett</b> und wichtig, siehe Leitfaden.');
	});
});
