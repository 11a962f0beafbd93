import { describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { useSmtpCapture } from '../testing/smtp';
import { db } from '../db/client';
import { jobs } from '../jobs/schema';
import { users } from '../auth/schema';
import { auditLog } from '../db/schema';
import { runDueJobs } from '../jobs';
import { makeActor, makeNetwork } from '../testing/factories';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { notify, notifyEach, channelFor, MAIL_JOB } from './index';
import { notificationPreferences, notifications } from './schema';
import { listMyNotifications, markAllRead, markRead, myPreferences, openNotification, savePreferences, unreadCount, unsubscribe, isAppPath } from './service';
import { readUnsubscribeToken, unsubscribeToken } from './tokens';
import { DAILY_KIND, notificationWorld, leave, plainText, registerNotificationHandlers } from './testing';
import { VISITOR } from '../auth/actor';

useTestDb();
const received = useSmtpCapture();
registerNotificationHandlers();

async function runMailJobs() {
	for (let i = 0; i < 10; i++) {
		const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(jobs).where(and(eq(jobs.status, 'queued'), eq(jobs.kind, MAIL_JOB)));
		if (!Number(n)) return;
		await runDueJobs('test', 20);
	}
}

const input = (networkId: string, userIds: string[], over: Record<string, unknown> = {}) => ({
	networkId,
	kind: 'meeting.invitation',
	userIds,
	title: 'Neue Antwort: Wärmeplanung in kleinen Gemeinden',
	excerpt: 'Wir haben das mit dem Landkreis gemeinsam ausgeschrieben. '.repeat(20),
	url: '/harz/intern/austausch/beitraege/123#beitrag-1',
	...over
});

describe('notify()', () => {
	it('one row per person still in the working area: duplicates removed, actor, citizens, leavers, deleted accounts and other networks skipped', async () => {
		const w = await notificationWorld();
		const elsewhere = await makeActor((await makeNetwork()).id, 'member');
		const deleted = await makeActor(w.network.id, 'member');
		await db().update(users).set({ deletedAt: new Date() }).where(eq(users.id, deleted.userId!));
		await leave(w.network.id, w.leaver.userId!);
		const ids = [w.member, w.member, w.other, w.coordinator, w.citizen, w.leaver, elsewhere, deleted].map((a) => a.userId!);
		const n = await db().transaction((tx) => notify(tx, input(w.network.id, ids, { actorId: w.coordinator.userId })));
		expect(n).toBe(2);
		const rows = await db().select().from(notifications).where(eq(notifications.networkId, w.network.id));
		expect(rows.map((r) => r.userId).sort()).toEqual([w.member.userId, w.other.userId].sort());
		expect(rows[0].excerpt.length).toBeLessThanOrEqual(300);
		expect(rows[0].excerpt.endsWith('…')).toBe(true);
		expect(rows[0].actorId).toBe(w.coordinator.userId);
	});

	it('channel from the preference, else the default; only immediate queues a mail; a rolled-back command leaves nothing', async () => {
		const w = await notificationWorld();
		await db().insert(notificationPreferences).values({ userId: w.other.userId!, kind: 'meeting.invitation', channel: 'weekly' });
		const each = await db().transaction((tx) => notifyEach(tx, input(w.network.id, [w.member.userId!, w.other.userId!])));
		const byUser = new Map(each.map((e) => [e.userId, e.channel]));
		expect(byUser.get(w.member.userId!)).toBe('immediate');
		expect(byUser.get(w.other.userId!)).toBe('weekly');
		expect(await channelFor(db(), w.other.userId!, 'meeting.invitation')).toBe('weekly');
		expect(await channelFor(db(), w.other.userId!, DAILY_KIND.kind)).toBe('daily');
		const queued = await db().select().from(jobs).where(inArray(jobs.uniqueKey, each.map((e) => `${MAIL_JOB}:${e.notificationId}`)));
		expect(queued).toHaveLength(1);

		await expect(
			db().transaction(async (tx) => {
				await notify(tx, input(w.network.id, [w.member.userId!], { title: 'Zurückgerollt' }));
				throw new Error('rollback');
			})
		).rejects.toThrow('rollback');
		expect(await db().select().from(notifications).where(eq(notifications.title, 'Zurückgerollt'))).toHaveLength(0);
		await expect(db().transaction((tx) => notify(tx, input(w.network.id, [w.member.userId!], { kind: 'unknown.kind' })))).rejects.toThrow(/not registered/);
		await expect(db().transaction((tx) => notify(tx, input(w.network.id, [w.member.userId!], { url: 'https://evil.example/' })))).rejects.toThrow(/path/);
	});

	it('immediate: one German mail over real SMTP with link, settings link, unsubscribe link and the RFC 8058 headers; not for someone who left meanwhile', async () => {
		const w = await notificationWorld();
		received.length = 0;
		await db().transaction((tx) => notify(tx, input(w.network.id, [w.member.userId!, w.other.userId!])));
		await leave(w.network.id, w.other.userId!);
		await runMailJobs();
		const mine = () => received.filter((r) => [w.member.email, w.other.email].includes(r.to[0]));
		expect(mine().map((r) => r.to[0])).toEqual([w.member.email]);
		const mail = mine()[0];
		expect(mail.subject).toBe('Neue Antwort: Wärmeplanung in kleinen Gemeinden');
		const text = plainText(mail.raw);
		expect(text).toContain('/harz/intern/austausch/beitraege/123#beitrag-1');
		expect(text).toContain('Warum bekomme ich diese E-Mail?');
		expect(text).toContain('/konto/benachrichtigungen/einstellungen');
		const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
		const lu = /^list-unsubscribe:\s*<([^>]+)>/im.exec(head);
		expect(lu).not.toBeNull();
		expect(head).toMatch(/^list-unsubscribe-post:\s*List-Unsubscribe=One-Click/im);
		const token = new URL(lu![1]).searchParams.get('token');
		expect(readUnsubscribeToken(token)).toEqual({ userId: w.member.userId, kind: 'meeting.invitation', channelScope: 'immediate' });
		const rows = await db().select().from(notifications).where(eq(notifications.networkId, w.network.id));
		expect(rows.find((r) => r.userId === w.member.userId)!.mailedAt).toBeInstanceOf(Date);
		expect(rows.find((r) => r.userId === w.other.userId)!.mailedAt).toBeNull();
		// The job ran once; running again sends nothing.
		await runDueJobs('test', 20);
		expect(mine()).toHaveLength(1);
	});
});

describe('the person’s list', () => {
	it('newest first, unread counted, filter by unread and network; nobody sees or marks another’s notifications', async () => {
		const w = await notificationWorld();
		const second = await makeNetwork();
		const { memberships } = await import('../network/schema');
		await db().insert(memberships).values({ networkId: second.id, userId: w.member.userId!, role: 'member' });
		for (let i = 0; i < 3; i++) await db().transaction((tx) => notify(tx, input(w.network.id, [w.member.userId!], { title: `Harz ${i}` })));
		await db().transaction((tx) => notify(tx, input(second.id, [w.member.userId!], { title: 'Anderes Netz' })));
		await db().transaction((tx) => notify(tx, input(w.network.id, [w.other.userId!], { title: 'Für jemand anderen' })));
		const actor = { ...w.member, memberships: [] };
		const all = await listMyNotifications(actor);
		expect(all.total).toBe(4);
		expect(all.unread).toBe(4);
		expect(await unreadCount(w.member.userId!)).toBe(4);
		expect(all.items.map((i) => i.title)).not.toContain('Für jemand anderen');
		expect(all.items[0].createdAt.getTime()).toBeGreaterThanOrEqual(all.items[3].createdAt.getTime());
		expect((await listMyNotifications(actor, { networkId: second.id })).items.map((i) => i.title)).toEqual(['Anderes Netz']);

		const theirs = (await listMyNotifications({ ...w.other, memberships: [] })).items[0];
		await expect(markRead(actor, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(openNotification(actor, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(markRead(actor, 'not-a-uuid')).rejects.toBeInstanceOf(NotFoundError);
		await expect(listMyNotifications(VISITOR)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await unreadCount(w.other.userId!)).toBe(1);

		const byTitle = (t: string) => all.items.find((i) => i.title === t)!.id;
		await markRead(actor, byTitle('Harz 0'));
		expect((await listMyNotifications(actor, { unreadOnly: true })).items.map((i) => i.title).sort()).toEqual(['Anderes Netz', 'Harz 1', 'Harz 2']);
		expect(await openNotification(actor, byTitle('Harz 1'))).toBe('/harz/intern/austausch/beitraege/123#beitrag-1');
		expect(await markAllRead(actor, { networkId: second.id })).toBe(1);
		expect(await markAllRead(actor)).toBe(1);
		expect(await unreadCount(w.member.userId!)).toBe(0);
		expect(await unreadCount(w.other.userId!)).toBe(1);
	});

	it('only paths inside the app are followed', () => {
		expect(isAppPath('/harz/intern/x#a')).toBe(true);
		for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', '/a b']) expect(isAppPath(bad)).toBe(false);
	});
});

describe('preferences', () => {
	it('saves valid choices with an audit entry; an unknown kind or channel is refused in German and nothing is saved', async () => {
		const w = await notificationWorld();
		const actor = w.member;
		await expect(savePreferences(actor, { 'meeting.invitation': 'daily', 'erfunden.art': 'none' })).rejects.toMatchObject({ fieldErrors: { _form: 'notifications.prefs.unknownKind' } });
		await expect(savePreferences(actor, { 'meeting.invitation': 'daily', 'meeting.reminder': 'stündlich' })).rejects.toMatchObject({ fieldErrors: { 'meeting.reminder': 'notifications.prefs.unknownChannel' } });
		await expect(savePreferences(actor, {})).rejects.toBeInstanceOf(ValidationError);
		expect(await db().select().from(notificationPreferences).where(eq(notificationPreferences.userId, actor.userId!))).toHaveLength(0);

		await savePreferences(actor, { 'meeting.invitation': 'daily', 'meeting.reminder': 'none' });
		const prefs = await myPreferences(actor);
		expect(prefs.find((p) => p.kind === 'meeting.invitation')).toMatchObject({ channel: 'daily', isDefault: false, module: 'meeting' });
		expect(prefs.find((p) => p.kind === 'meeting.reminder')!.channel).toBe('none');
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'notification_preferences'), eq(auditLog.recordId, actor.userId!)));
		expect(audit).toHaveLength(1);
		await expect(savePreferences(VISITOR, { 'meeting.invitation': 'daily' })).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('unsubscribe tokens', () => {
	it('a valid token sets its kind to none; tampered, truncated or garbage tokens change nothing; a token names one person and kind', async () => {
		const w = await notificationWorld();
		const token = unsubscribeToken({ userId: w.member.userId!, kind: 'meeting.invitation', channelScope: 'immediate' });
		const [payload, sig] = token.split('.');
		const forged = Buffer.from(`${w.other.userId}|meeting.invitation|immediate`).toString('base64url') + '.' + sig;
		const otherKind = Buffer.from(`${w.member.userId}|meeting.reminder|immediate`).toString('base64url') + '.' + sig;
		for (const bad of [forged, otherKind, token.slice(0, -3), `${payload}.${'A'.repeat(43)}`, 'Unsinn', '', `${token}x`, null]) {
			expect(readUnsubscribeToken(bad)).toBeNull();
			expect(await unsubscribe(bad)).toBeNull();
		}
		expect(await db().select().from(notificationPreferences).where(inArray(notificationPreferences.userId, [w.member.userId!, w.other.userId!]))).toHaveLength(0);

		expect(await unsubscribe(token)).toEqual(['meeting.invitation']);
		expect(await channelFor(db(), w.member.userId!, 'meeting.invitation')).toBe('none');
		expect(await channelFor(db(), w.member.userId!, 'meeting.reminder')).toBe('immediate');
		expect(await channelFor(db(), w.other.userId!, 'meeting.invitation')).toBe('immediate');

		// '*' with a digest frequency: the kinds that mail on that frequency; 'all': every kind.
		await savePreferences(w.other, { 'meeting.reminder': 'daily' });
		expect(await unsubscribe(unsubscribeToken({ userId: w.other.userId!, kind: '*', channelScope: 'daily' }))).toEqual(expect.arrayContaining(['meeting.reminder', DAILY_KIND.kind]));
		expect(await channelFor(db(), w.other.userId!, 'meeting.invitation')).toBe('immediate');
		await unsubscribe(unsubscribeToken({ userId: w.other.userId!, kind: '*', channelScope: 'all' }));
		expect((await myPreferences(w.other)).every((p) => p.channel === 'none')).toBe(true);
	});
});
