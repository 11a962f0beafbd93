// What happens to notifications still waiting to be mailed or read: a changed preference applies to
// them, a network the person left hides them, and invented demo addresses are never mailed.
import { describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { useSmtpCapture } from '../testing/smtp';
import { db } from '../db/client';
import { jobs } from '../jobs/schema';
import { users } from '../auth/schema';
import { memberships } from '../network/schema';
import { runDueJobs } from '../jobs';
import { NotFoundError } from '../errors';
import { DEMO_EMAIL_DOMAIN } from '../network/demo/accounts';
import { notify, MAIL_JOB } from './index';
import { notificationDigests, notifications } from './schema';
import { DIGEST_MAIL_JOB, sendDigests } from './digest';
import { listMyNotifications, markAllRead, markRead, openNotification, savePreferences, unreadCount, unsubscribe } from './service';
import { unsubscribeToken } from './tokens';
import { DAILY_KIND, notificationWorld, leave, registerNotificationHandlers } from './testing';

useTestDb();
const received = useSmtpCapture();
registerNotificationHandlers();

async function drain() {
	for (let i = 0; i < 20; i++) {
		const [{ n }] = await db()
			.select({ n: sql<number>`count(*)::int` })
			.from(jobs)
			.where(and(eq(jobs.status, 'queued'), inArray(jobs.kind, [MAIL_JOB, DIGEST_MAIL_JOB]), sql`${jobs.runAt} <= now()`));
		if (!Number(n)) return;
		await runDueJobs('test', 20);
	}
}

async function raise(networkId: string, kind: string, userIds: string[], title: string) {
	await db().transaction((tx) => notify(tx, { networkId, kind, userIds, title, excerpt: `Auszug zu ${title}`, url: '/harz/intern/treffen' }));
}

const mailsTo = (email: string) => received.filter((r) => r.to.includes(email));
const channelOf = async (title: string) => (await db().select({ c: notifications.channel }).from(notifications).where(eq(notifications.title, title)))[0].c;

describe('a changed preference applies to what is still waiting', () => {
	it('a daily item waiting for the digest: after the one-click unsubscribe the next digest run sends nothing for it', async () => {
		const w = await notificationWorld();
		await raise(w.network.id, DAILY_KIND.kind, [w.member.userId!, w.other.userId!], 'Wartet auf die Zusammenfassung');
		expect(await unsubscribe(unsubscribeToken({ userId: w.member.userId!, kind: DAILY_KIND.kind, channelScope: 'daily' }))).toEqual([DAILY_KIND.kind]);
		received.length = 0;
		await sendDigests('daily', new Date(Date.now() + 1000));
		await drain();
		expect(mailsTo(w.member.email)).toHaveLength(0);
		// Someone who did not unsubscribe still gets the digest.
		expect(mailsTo(w.other.email)).toHaveLength(1);
		const mine = await db().select().from(notifications).where(eq(notifications.userId, w.member.userId!));
		expect(mine.map((r) => [r.channel, r.mailedAt, r.digestId])).toEqual([['none', null, null]]);
		expect(await db().select().from(notificationDigests).where(eq(notificationDigests.userId, w.member.userId!))).toHaveLength(0);
		// The in-app notification stays.
		expect(await unreadCount(w.member.userId!)).toBe(1);
	});

	it('an immediate mail still queued: switched to none → no mail; switched to the daily digest → it goes out in the digest instead', async () => {
		const w = await notificationWorld();
		await raise(w.network.id, 'meeting.invitation', [w.member.userId!], 'Sofort, dann keine');
		await raise(w.network.id, 'meeting.reminder', [w.other.userId!], 'Sofort, dann täglich');
		await savePreferences(w.member, { 'meeting.invitation': 'none' });
		await savePreferences(w.other, { 'meeting.reminder': 'daily' });
		expect(await channelOf('Sofort, dann keine')).toBe('none');
		expect(await channelOf('Sofort, dann täglich')).toBe('daily');
		received.length = 0;
		await drain();
		expect(mailsTo(w.member.email)).toHaveLength(0);
		expect(mailsTo(w.other.email)).toHaveLength(0);
		await sendDigests('daily', new Date(Date.now() + 1000));
		await drain();
		expect(mailsTo(w.member.email)).toHaveLength(0);
		expect(mailsTo(w.other.email).map((m) => m.subject)).toEqual([expect.stringContaining('tägliche Zusammenfassung')]);
	});

	it('switching a kind to immediate leaves items already waiting in their digest; mailed ones are not touched', async () => {
		const w = await notificationWorld();
		await raise(w.network.id, DAILY_KIND.kind, [w.member.userId!], 'Bleibt in der Zusammenfassung');
		await raise(w.network.id, 'meeting.invitation', [w.member.userId!], 'Schon verschickt');
		await drain();
		await savePreferences(w.member, { [DAILY_KIND.kind]: 'immediate', 'meeting.invitation': 'weekly' });
		expect(await channelOf('Bleibt in der Zusammenfassung')).toBe('daily');
		expect(await channelOf('Schon verschickt')).toBe('immediate');
	});
});

describe('networks the person left', () => {
	it('their notifications neither count nor show, and cannot be opened or marked; back in the network, they are there again', async () => {
		const w = await notificationWorld();
		await raise(w.network.id, 'meeting.invitation', [w.member.userId!], 'Aus dem verlassenen Netzwerk');
		const [id] = (await listMyNotifications(w.member)).items.map((i) => i.id);
		expect(await unreadCount(w.member.userId!)).toBe(1);

		await leave(w.network.id, w.member.userId!);
		expect(await unreadCount(w.member.userId!)).toBe(0);
		expect(await listMyNotifications(w.member)).toMatchObject({ items: [], total: 0, unread: 0 });
		await expect(openNotification(w.member, id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(markRead(w.member, id)).rejects.toBeInstanceOf(NotFoundError);
		expect(await markAllRead(w.member)).toBe(0);

		// Now only a citizen of that network: still outside the working area.
		await db().insert(memberships).values({ networkId: w.network.id, userId: w.member.userId!, role: 'citizen' });
		expect(await unreadCount(w.member.userId!)).toBe(0);
		await db().update(memberships).set({ role: 'partner' }).where(and(eq(memberships.networkId, w.network.id), eq(memberships.userId, w.member.userId!)));
		expect(await unreadCount(w.member.userId!)).toBe(1);
		expect((await listMyNotifications(w.member)).items.map((i) => i.id)).toEqual([id]);
	});
});

describe('invented demo addresses', () => {
	it('get neither immediate mails nor digests (the in-app notification stays)', async () => {
		const w = await notificationWorld();
		const demo = `demo-${w.member.userId}@${DEMO_EMAIL_DOMAIN}`;
		await db().update(users).set({ email: demo }).where(eq(users.id, w.member.userId!));
		await raise(w.network.id, 'meeting.invitation', [w.member.userId!, w.other.userId!], 'Sofort an alle');
		await raise(w.network.id, DAILY_KIND.kind, [w.member.userId!, w.other.userId!], 'Täglich an alle');
		received.length = 0;
		await drain();
		await sendDigests('daily', new Date(Date.now() + 1000));
		await drain();
		expect(received.filter((r) => r.to.some((t) => t.endsWith(`@${DEMO_EMAIL_DOMAIN}`)))).toHaveLength(0);
		expect(mailsTo(w.other.email)).toHaveLength(2);
		expect(await unreadCount(w.member.userId!)).toBe(2);
		// The demo person's digest is done without a mail: nothing stays pending for the next run.
		const [digest] = await db().select().from(notificationDigests).where(eq(notificationDigests.userId, w.member.userId!));
		expect(digest.sentAt).toBeInstanceOf(Date);
	});
});
