import { describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { useSmtpCapture } from '../testing/smtp';
import { db } from '../db/client';
import { jobs } from '../jobs/schema';
import { memberships, networks } from '../network/schema';
import { enqueue, runDueJobs } from '../jobs';
import { makeActor } from '../testing/factories';
import { notify } from './index';
import { notificationDigests, notificationPreferences, notifications } from './schema';
import { DIGEST_MAIL_JOB, DIGEST_RUN_JOB, digestCutoff, sendDigests } from './digest';
import { requestDigestsNow } from './jobs';
import { readUnsubscribeToken } from './tokens';
import { DAILY_KIND, notificationWorld, plainText, registerNotificationHandlers } from './testing';
import { ForbiddenError } from '../errors';
import { sendInvitations } from '../meetings/invitations';
import { meetingRow, meetingWorkWorld } from '../meetings/work-testing';

useTestDb();
const received = useSmtpCapture();
registerNotificationHandlers();

const KINDS = [DIGEST_RUN_JOB, DIGEST_MAIL_JOB, 'notifications.mail', 'mail.send'];
async function drain(workers = ['a']) {
	for (let i = 0; i < 20; i++) {
		const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(jobs).where(and(eq(jobs.status, 'queued'), inArray(jobs.kind, KINDS), sql`${jobs.runAt} <= now()`));
		if (!Number(n)) return;
		await Promise.all(workers.map((w) => runDueJobs(w, 10)));
	}
}

async function raise(networkId: string, kind: string, userIds: string[], title: string, createdAt?: Date) {
	await db().transaction((tx) => notify(tx, { networkId, kind, userIds, title, excerpt: `Auszug zu ${title}`, url: `/x/intern/${encodeURIComponent(title)}` }));
	if (createdAt) await db().update(notifications).set({ createdAt }).where(eq(notifications.title, title));
}

const textOf = (email: string) => received.filter((r) => r.to.includes(email)).map((r) => ({ ...r, text: plainText(r.raw) }));

describe('digest cut-off', () => {
	it('daily: the last 07:00 in Berlin; weekly: the last Monday 07:00 (summer and winter time)', async () => {
		// Wed 12 June 2024 10:00 Berlin (CEST, UTC+2) → 07:00 that day = 05:00Z
		expect((await digestCutoff('daily', new Date('2024-06-12T08:00:00Z'))).toISOString()).toBe('2024-06-12T05:00:00.000Z');
		// Wed 06:30 Berlin → the day before, 07:00
		expect((await digestCutoff('daily', new Date('2024-06-12T04:30:00Z'))).toISOString()).toBe('2024-06-11T05:00:00.000Z');
		// Winter (CET, UTC+1)
		expect((await digestCutoff('daily', new Date('2024-01-10T12:00:00Z'))).toISOString()).toBe('2024-01-10T06:00:00.000Z');
		// Weekly: Monday 10 June 2024 07:00 Berlin
		expect((await digestCutoff('weekly', new Date('2024-06-12T08:00:00Z'))).toISOString()).toBe('2024-06-10T05:00:00.000Z');
		// Monday 06:00 Berlin → the Monday before
		expect((await digestCutoff('weekly', new Date('2024-06-10T04:00:00Z'))).toISOString()).toBe('2024-06-03T05:00:00.000Z');
	});
});

describe('digests', () => {
	it('one German mail per person and frequency, grouped by network and kind, with unsubscribe links and headers; only items before the cut-off; leavers’ items left out', async () => {
		const w = await notificationWorld('harz-digest');
		const w2 = await notificationWorld('altmark-digest');
		await db().update(networks).set({ name: 'Klimanetzwerk Altmark' }).where(eq(networks.id, w2.network.id));
		await db().update(networks).set({ name: 'Klimanetzwerk Harz' }).where(eq(networks.id, w.network.id));
		await db().insert(memberships).values({ networkId: w2.network.id, userId: w.member.userId!, role: 'member' });
		await db().insert(notificationPreferences).values([
			{ userId: w.member.userId!, kind: 'meeting.invitation', channel: 'daily' },
			{ userId: w.member.userId!, kind: 'meeting.reminder', channel: 'weekly' }
		]);
		const cutoff = new Date(Date.now() - 60_000);
		const before = new Date(Date.now() - 3600_000);
		await raise(w.network.id, 'meeting.invitation', [w.member.userId!], 'Einladung Harz', before);
		await raise(w.network.id, DAILY_KIND.kind, [w.member.userId!], 'Täglich Harz', before);
		await raise(w2.network.id, 'meeting.invitation', [w.member.userId!], 'Einladung Altmark', before);
		await raise(w.network.id, 'meeting.invitation', [w.member.userId!], 'Zu spät für heute');
		await raise(w.network.id, 'meeting.reminder', [w.member.userId!], 'Wöchentlich Harz', before);
		// The other member left the network after the item was raised: no digest item for them.
		await raise(w.network.id, DAILY_KIND.kind, [w.other.userId!], 'Für jemanden, der ging', before);
		await db().delete(memberships).where(and(eq(memberships.userId, w.other.userId!), eq(memberships.networkId, w.network.id)));

		received.length = 0;
		const run = await sendDigests('daily', cutoff);
		expect(run).toEqual({ digests: 2, notifications: 4 });
		await drain();
		const [mail, ...rest] = textOf(w.member.email);
		expect(rest).toHaveLength(0);
		expect(textOf(w.other.email)).toHaveLength(0);
		expect(mail.subject).toBe('Ihre tägliche Zusammenfassung: 3 Neuigkeiten aus Klimanetz');
		const t = mail.text;
		// Networks in alphabetical order, each with its kinds, each item with title, excerpt and link.
		expect(t.indexOf('Klimanetzwerk Altmark\n=====')).toBeGreaterThan(-1);
		expect(t.indexOf('Klimanetzwerk Altmark\n=====')).toBeLessThan(t.indexOf('Klimanetzwerk Harz\n====='));
		expect(t).toContain('Einladungen zu Treffen, Änderungen und Absagen:\n* Einladung');
		expect(t).toContain('* Einladung Harz\n  Auszug zu Einladung Harz\n  ');
		expect(t).toContain('Täglich Harz');
		expect(t).not.toContain('Zu spät für heute');
		expect(t).not.toContain('Wöchentlich Harz');
		expect(t).toContain('E-Mails zu „Einladungen zu Treffen, Änderungen und Absagen“ abbestellen');
		expect(t).toContain('Alle Benachrichtigungs-E-Mails abbestellen');
		const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
		const lu = /^list-unsubscribe:\s*<([^>]+)>/im.exec(head)!;
		expect(readUnsubscribeToken(new URL(lu[1]).searchParams.get('token'))).toEqual({ userId: w.member.userId, kind: '*', channelScope: 'daily' });
		expect(head).toMatch(/^list-unsubscribe-post:\s*List-Unsubscribe=One-Click/im);

		// The late one waits for the next cut-off; the weekly one for its own.
		const pending = await db().select().from(notifications).where(and(eq(notifications.userId, w.member.userId!), sql`${notifications.mailedAt} is null`));
		expect(pending.map((p) => p.title).sort()).toEqual(['Wöchentlich Harz', 'Zu spät für heute']);
		expect(await sendDigests('daily', cutoff)).toEqual({ digests: 0, notifications: 0 });
		expect((await sendDigests('weekly', cutoff)).notifications).toBe(1);
		await drain();
		expect(textOf(w.member.email).map((m) => m.subject)).toContain('Ihre wöchentliche Zusammenfassung: 1 Neuigkeit aus Klimanetz');
	});

	it('two runners at once (and two queued runs) send exactly one digest per person', async () => {
		const w = await notificationWorld();
		for (const u of [w.member, w.other, w.coordinator]) {
			await db().insert(notificationPreferences).values({ userId: u.userId!, kind: 'meeting.invitation', channel: 'daily' });
		}
		for (let i = 0; i < 3; i++) await raise(w.network.id, 'meeting.invitation', [w.member, w.other, w.coordinator].map((a) => a.userId!), `Parallel ${i}`);
		received.length = 0;
		const cutoff = new Date(Date.now() + 1000);
		const runs = await Promise.all([sendDigests('daily', cutoff), sendDigests('daily', cutoff)]);
		// (Other tests' leftovers may be claimed too: count this world's people only.)
		const three = [w.member.userId!, w.other.userId!, w.coordinator.userId!];
		expect(runs.reduce((n, r) => n + r.notifications, 0)).toBeGreaterThanOrEqual(9);
		expect(await db().select().from(notificationDigests).where(inArray(notificationDigests.userId, three))).toHaveLength(3);
		const claimed = await db().select().from(notifications).where(inArray(notifications.userId, three));
		expect(claimed.every((n) => n.digestId && n.mailedAt)).toBe(true);
		// And as queued jobs on two workers.
		await new Promise((r) => setTimeout(r, 1100));
		await raise(w.network.id, 'meeting.invitation', [w.member, w.other, w.coordinator].map((a) => a.userId!), 'Parallel danach');
		await enqueue(DIGEST_RUN_JOB, { now: true });
		await enqueue(DIGEST_RUN_JOB, { now: true });
		await drain(['instance-a', 'instance-b']);
		for (const u of [w.member, w.other, w.coordinator]) {
			const mails = textOf(u.email);
			expect(mails).toHaveLength(2);
			expect(mails.filter((m) => m.text.includes('Parallel 0'))).toHaveLength(1);
			expect(mails.filter((m) => m.text.includes('Parallel danach'))).toHaveLength(1);
		}
		const digests = await db().select().from(notificationDigests).where(inArray(notificationDigests.userId, [w.member.userId!, w.other.userId!, w.coordinator.userId!]));
		expect(digests).toHaveLength(6);
		expect(digests.every((d) => d.sentAt)).toBe(true);
	});

	it('the operator’s "send now" queues a run (operators only) that sends pending digests', async () => {
		const w = await notificationWorld();
		const operator = await makeActor(null, 'operator');
		await db().insert(notificationPreferences).values({ userId: w.member.userId!, kind: 'meeting.invitation', channel: 'weekly' });
		await raise(w.network.id, 'meeting.invitation', [w.member.userId!], 'Sofort zusammengefasst');
		await expect(requestDigestsNow(w.coordinator)).rejects.toBeInstanceOf(ForbiddenError);
		received.length = 0;
		await requestDigestsNow(operator);
		expect(received).toHaveLength(0);
		await drain();
		expect(textOf(w.member.email).map((m) => m.subject)).toEqual(['Ihre wöchentliche Zusammenfassung: 1 Neuigkeit aus Klimanetz']);
	});

	it('meeting invitation with channel daily: no immediate mail with .ics, an in-app notification, and it arrives in the digest', async () => {
		const w = await meetingWorkWorld();
		await db().insert(notificationPreferences).values({ userId: w.memberHb.userId!, kind: 'meeting.invitation', channel: 'daily' });
		await db().insert(notificationPreferences).values({ userId: w.memberOw.userId!, kind: 'meeting.invitation', channel: 'none' });
		const m = await meetingRow(w.network.id, { status: 'planned', title: 'Netzwerktreffen Digest' });
		received.length = 0;
		const run = await sendInvitations(w.coordinator, w.network.id, m.id);
		expect(run.queued).toBe(2);
		await drain();
		expect(textOf(w.memberHb.email)).toHaveLength(0);
		expect(textOf(w.memberOw.email)).toHaveLength(0);
		expect(textOf(w.partner.email).map((r) => r.subject)).toEqual([expect.stringMatching(/^Einladung: Netzwerktreffen Digest am /)]);
		const rows = await db().select().from(notifications).where(eq(notifications.recordId, m.id));
		expect(rows.map((r) => [r.userId, r.channel]).sort()).toEqual(
			[
				[w.coordinator.userId, 'immediate'],
				[w.memberHb.userId, 'daily'],
				[w.memberOw.userId, 'none'],
				[w.partner.userId, 'immediate']
			].sort()
		);
		// The module mailed the immediate ones itself: no second, generic mail.
		expect(rows.filter((r) => r.channel === 'immediate').every((r) => r.mailedAt)).toBe(true);
		expect(await sendDigests('daily', new Date())).toMatchObject({ digests: 1 });
		await drain();
		const [digest] = textOf(w.memberHb.email);
		expect(digest.subject).toBe('Ihre tägliche Zusammenfassung: 1 Neuigkeit aus Klimanetz');
		expect(digest.text).toMatch(/Einladung: Netzwerktreffen Digest am /);
		expect(digest.text).toContain(`/intern/treffen/${m.id}`);
		expect(textOf(w.memberOw.email)).toHaveLength(0);
	});
});
