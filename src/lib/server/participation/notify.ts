// Telling followers that something they follow changed. Commands call notifyFollowers inside
// their transaction; one queued job per change then mails every follower (except whoever made the
// change), so a slow mail server never slows the command and nothing is sent for a rolled-back one.
import { and, eq, isNull, ne } from 'drizzle-orm';
import { db, type Db, type Tx } from '../db/client';
import { enqueue, registerJobHandler } from '../jobs';
import { users } from '../auth/schema';
import { citizenProfiles, follows } from './schema';
import { followMail } from './mails';
import { config } from '../config';

export const FOLLOW_JOB = 'participation.notify_followers';

/** What can be followed (and is the subject of a follower mail): an idea or a public measure. */
export interface FollowTarget {
	type: 'idea' | 'measure';
	id: string;
	networkId: string;
}

export interface Change {
	/** Title of the idea or measure, as it reads now. */
	title: string;
	/** One German sentence: what happened ("Der Status ist jetzt „In Umsetzung“."). */
	what: string;
	/** Path of the public page, e.g. /harz/ideen/…; made absolute with the configured origin. */
	path: string;
	/** Who made the change: not notified about their own change. */
	byUserId?: string | null;
}

interface Payload extends FollowTarget, Change {}

export async function notifyFollowers(tx: Db | Tx, target: FollowTarget, change: Change) {
	await enqueue<Payload>(FOLLOW_JOB, { ...target, ...change }, {}, tx);
}

/**
 * Job: one mail per follower. Mail goes only where the consent is in force (the follow rests on it:
 * whoever withdrew it gets nothing until they consent again) and the address is confirmed; a
 * deleted account has neither.
 */
export async function notifyFollowersJob(p: Payload) {
	const rows = await db()
		.select({ email: users.email, userId: users.id })
		.from(follows)
		.innerJoin(users, eq(users.id, follows.userId))
		.innerJoin(citizenProfiles, eq(citizenProfiles.userId, follows.userId))
		.where(
			and(
				eq(follows.targetType, p.type),
				eq(follows.targetId, p.id),
				isNull(citizenProfiles.consentWithdrawnAt),
				eq(users.emailVerified, true),
				isNull(users.deletedAt),
				p.byUserId ? ne(users.id, p.byUserId) : undefined
			)
		);
	const url = new URL(p.path, config.origin).toString();
	for (const r of rows) {
		// Each mail is its own job, so one bad address doesn't repeat the others on retry.
		await enqueue('mail.send', followMail(r.email, { title: p.title, what: p.what, url }));
	}
}

export function registerParticipationJobs() {
	registerJobHandler<Payload>(FOLLOW_JOB, notifyFollowersJob);
}
