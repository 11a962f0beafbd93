// Digests: a scheduled job (every 15 minutes) gathers each person's pending daily or weekly
// notifications into one mail. Daily ones created before the last 07:00 (Berlin) go out once that
// hour has passed; weekly ones created before the last Monday 07:00.
//
// Why each digest goes out once, with several instances and two runners at the same time: per
// person and frequency ONE transaction inserts the digest row, claims the pending notifications
// (`update … where mailed_at is null … returning`) and queues the mail job for that digest. Under
// READ COMMITTED a second runner's update waits for the first one's row locks and then re-checks
// `mailed_at is null`: it claims nothing, and a digest that claimed nothing is rolled back. The
// mail job's unique key (notifications.digest:<digestId>) guards the queue as well.
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { db, query } from '../db/client';
import { users } from '../auth/schema';
import { WORKING_AREA_ROLES } from '../auth/actor';
import { isDemoEmail } from '../network/demo/accounts';
import { memberships, networks } from '../network/schema';
import { enqueue } from '../jobs';
import { sendMail } from '../mail';
import { log } from '../log';
import { notificationDigests, notifications } from './schema';
import { digestMail, type DigestItem } from './mails';

export type Frequency = 'daily' | 'weekly';
export const DIGEST_RUN_JOB = 'notifications.digests';
export const DIGEST_MAIL_JOB = 'notifications.digest';
export const DIGEST_EVERY_SECONDS = 15 * 60;
/** Items listed in one digest mail; the rest are counted and linked. */
const MAX_ITEMS = 200;

/** The last 07:00 (daily) or Monday 07:00 (weekly) in Berlin at or before `now`. */
export async function digestCutoff(frequency: Frequency, now: Date): Promise<Date> {
	const unit = frequency === 'daily' ? 'day' : 'week';
	const step = frequency === 'daily' ? '1 day' : '7 days';
	const at = now.toISOString();
	const [row] = await query<{ cutoff: string | Date }>(
		sql`with c as (select (date_trunc(${unit}, ${at}::timestamptz at time zone 'Europe/Berlin') + interval '7 hours') at time zone 'Europe/Berlin' as t)
			select case when c.t > ${at}::timestamptz then c.t - ${step}::interval else c.t end as cutoff from c`
	);
	return new Date(row.cutoff);
}

class NothingClaimed extends Error {}

export interface DigestRun {
	digests: number;
	notifications: number;
}

/**
 * Claims and queues the due digests of one frequency. `cutoff`: notifications created before it
 * are due (the operator's "send now" passes the current time).
 */
export async function sendDigests(frequency: Frequency, cutoff: Date): Promise<DigestRun> {
	const before = cutoff.toISOString();
	const pending = and(
		eq(notifications.channel, frequency),
		isNull(notifications.mailedAt),
		lt(notifications.createdAt, sql`${before}::timestamptz`)
	);
	const run: DigestRun = { digests: 0, notifications: 0 };
	// In batches of people, so a large backlog never loads everyone at once.
	for (;;) {
		const people = await db().selectDistinct({ userId: notifications.userId }).from(notifications).where(pending).limit(200);
		let progressed = false;
		for (const { userId } of people) {
			try {
				const claimed = await db().transaction(async (tx) => {
					const [digest] = await tx.insert(notificationDigests).values({ userId, frequency }).returning({ id: notificationDigests.id });
					const rows = await tx
						.update(notifications)
						.set({ digestId: digest.id, mailedAt: sql`now()` })
						.where(and(eq(notifications.userId, userId), pending))
						.returning({ id: notifications.id });
					if (!rows.length) throw new NothingClaimed();
					await enqueue(DIGEST_MAIL_JOB, { digestId: digest.id }, { uniqueKey: `${DIGEST_MAIL_JOB}:${digest.id}` }, tx);
					return rows.length;
				});
				run.digests++;
				run.notifications += claimed;
				progressed = true;
			} catch (e) {
				if (!(e instanceof NothingClaimed)) throw e;
			}
		}
		// Nothing claimed in a full batch: another runner holds them; it will send them.
		if (people.length < 200 || !progressed) break;
	}
	if (run.digests) log.info('notifications.digests', { frequency, ...run });
	return run;
}

/** The scheduled run (payload {}), or the operator's "send now" ({ now: true }: cut-off = now). */
export async function digestRunJob(payload: { now?: boolean } | null): Promise<void> {
	const now = new Date();
	for (const f of ['daily', 'weekly'] as const) {
		await sendDigests(f, payload?.now ? now : await digestCutoff(f, now));
	}
}

/**
 * Mails one claimed digest. Items of networks the person has left (or no longer works in) are
 * left out; a deleted account, an invented demo address or an empty digest gets no mail (the
 * digest is still marked sent: its items are done).
 */
export async function digestMailJob(payload: { digestId: string }): Promise<void> {
	const [d] = await db()
		.select({ id: notificationDigests.id, userId: notificationDigests.userId, frequency: notificationDigests.frequency, sentAt: notificationDigests.sentAt, email: users.email, deletedAt: users.deletedAt })
		.from(notificationDigests)
		.innerJoin(users, eq(users.id, notificationDigests.userId))
		.where(eq(notificationDigests.id, payload.digestId));
	if (!d || d.sentAt || (d.frequency !== 'daily' && d.frequency !== 'weekly')) return;
	if (d.deletedAt || !d.email || isDemoEmail(d.email)) {
		await db().update(notificationDigests).set({ sentAt: sql`now()` }).where(eq(notificationDigests.id, d.id));
		return;
	}
	const inNetwork = and(
		eq(memberships.networkId, notifications.networkId),
		eq(memberships.userId, notifications.userId),
		inArray(memberships.role, [...WORKING_AREA_ROLES])
	);
	const where = eq(notifications.digestId, d.id);
	const [items, [{ total }]] = await Promise.all([
		db()
			.select({ kind: notifications.kind, title: notifications.title, excerpt: notifications.excerpt, url: notifications.url, networkId: notifications.networkId, networkName: networks.name })
			.from(notifications)
			.innerJoin(networks, eq(networks.id, notifications.networkId))
			.innerJoin(memberships, inNetwork)
			.where(where)
			.orderBy(asc(networks.name), asc(notifications.networkId), asc(notifications.kind), asc(notifications.createdAt))
			.limit(MAX_ITEMS),
		db().select({ total: sql<number>`count(*)::int` }).from(notifications).innerJoin(memberships, inNetwork).where(where)
	]);
	if (items.length) {
		await sendMail(digestMail(d.email, d.userId, d.frequency, items as DigestItem[], Number(total) - items.length));
	}
	await db().update(notificationDigests).set({ sentAt: sql`now()` }).where(eq(notificationDigests.id, d.id));
}
