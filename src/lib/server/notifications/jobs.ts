// The notification jobs: one mail per 'immediate' notification, and the digests.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { db } from '../db/client';
import { users } from '../auth/schema';
import { memberships, networks } from '../network/schema';
import { enqueue, registerJobHandler, schedule } from '../jobs';
import { sendMail } from '../mail';
import { WORKING_AREA_ROLES, type Actor } from '../auth/actor';
import { isDemoEmail } from '../network/demo/accounts';
import { canOperate } from '../network/permissions';
import { ForbiddenError } from '../errors';
import { recordChange } from '../audit/service';
import { notifications } from './schema';
import { MAIL_JOB } from './notify';
import { immediateMail } from './mails';
import { DIGEST_EVERY_SECONDS, DIGEST_MAIL_JOB, DIGEST_RUN_JOB, digestMailJob, digestRunJob } from './digest';

/**
 * Mails one notification. Not for someone who left the network or deleted the account, not for an
 * invented demo address, not when the person has since switched the kind away from 'immediate'
 * (setChannels moved the waiting row to the digest or to 'none'), and not twice: mailed_at is set
 * once it went out (a retry after a crash in between may send it again).
 */
export async function immediateMailJob(payload: { notificationId: string }): Promise<void> {
	const [n] = await db()
		.select({
			id: notifications.id,
			userId: notifications.userId,
			kind: notifications.kind,
			title: notifications.title,
			excerpt: notifications.excerpt,
			url: notifications.url,
			networkName: networks.name,
			email: users.email
		})
		.from(notifications)
		.innerJoin(users, and(eq(users.id, notifications.userId), isNull(users.deletedAt)))
		.innerJoin(networks, eq(networks.id, notifications.networkId))
		.innerJoin(
			memberships,
			and(eq(memberships.networkId, notifications.networkId), eq(memberships.userId, notifications.userId), inArray(memberships.role, [...WORKING_AREA_ROLES]))
		)
		.where(and(eq(notifications.id, payload.notificationId), eq(notifications.channel, 'immediate'), isNull(notifications.mailedAt)));
	if (!n || !n.email || isDemoEmail(n.email)) return;
	await sendMail(immediateMail(n.email, n));
	await db().update(notifications).set({ mailedAt: new Date() }).where(eq(notifications.id, n.id));
}

/** Called once at start-up (app.ts) when this instance runs jobs. */
export async function registerNotificationJobs(): Promise<void> {
	registerJobHandler(MAIL_JOB, immediateMailJob);
	registerJobHandler(DIGEST_MAIL_JOB, digestMailJob);
	registerJobHandler(DIGEST_RUN_JOB, digestRunJob);
	await schedule(DIGEST_RUN_JOB, DIGEST_EVERY_SECONDS);
}

/**
 * The operator's "Zusammenfassungen jetzt senden": queues a run with the cut-off now (the request
 * mails nothing itself). Operators only; recorded in the audit log.
 */
export async function requestDigestsNow(actor: Actor): Promise<void> {
	if (!canOperate(actor, 'notifications.send')) throw new ForbiddenError();
	await db().transaction(async (tx) => {
		const job = await enqueue(DIGEST_RUN_JOB, { now: true }, {}, tx);
		await recordChange(tx, actor, { networkId: null, action: 'sendDigestsNow', recordType: 'job', recordId: String(job?.id ?? ''), after: { kind: DIGEST_RUN_JOB } });
	});
}
