// Test fixtures of the notifications module: a network with a coordinator, two members, a citizen
// and someone who left, and the job handlers registered without the schedule.
import { and, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { memberships } from '../network/schema';
import { makeActor, makeNetwork } from '../testing/factories';
import { registerJobHandler } from '../jobs';
import { MAIL_JOB } from './notify';
import { immediateMailJob } from './jobs';
import { DIGEST_MAIL_JOB, DIGEST_RUN_JOB, digestMailJob, digestRunJob } from './digest';
import { registerNotificationKind } from './kinds';
import './meeting-kinds';

export const TEST_KIND = { kind: 'meeting.invitation' } as const;
export const OTHER_KIND = { kind: 'meeting.reminder' } as const;
/** A kind whose default is the daily digest (nothing real has that default yet). */
export const DAILY_KIND = registerOnce({ kind: 'testing.daily', labelKey: 'notifications.title', hintKey: 'notifications.intro', defaultChannel: 'daily' });

function registerOnce<T extends Parameters<typeof registerNotificationKind>[0]>(def: T): T {
	registerNotificationKind(def);
	return def;
}

export function registerNotificationHandlers() {
	registerJobHandler(MAIL_JOB, immediateMailJob);
	registerJobHandler(DIGEST_MAIL_JOB, digestMailJob);
	registerJobHandler(DIGEST_RUN_JOB, digestRunJob);
}

export async function notificationWorld(name?: string) {
	const network = await makeNetwork(name);
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member');
	const other = await makeActor(network.id, 'member');
	const citizen = await makeActor(network.id, 'citizen');
	const leaver = await makeActor(network.id, 'member');
	return { network, coordinator, member, other, citizen, leaver };
}

export async function leave(networkId: string, userId: string) {
	await db().delete(memberships).where(and(eq(memberships.networkId, networkId), eq(memberships.userId, userId)));
}

/**
 * The whole text/plain part of a raw message, decoded. (testing/smtp.ts stops reading at the
 * first line starting with "--", i.e. at the signature separator; the footer lies beyond it.)
 */
export function plainText(raw: string): string {
	const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
	const parts = boundary ? raw.split(`--${boundary}`) : [raw];
	const part = parts.find((p) => /content-type:\s*text\/plain/i.test(p)) ?? '';
	const body = part.slice(part.search(/\r?\n\r?\n/)).trim();
	const joined = body.replace(/=\r?\n/g, '');
	const bytes: number[] = [];
	for (let i = 0; i < joined.length; i++) {
		const m = /^=([0-9A-F]{2})/.exec(joined.slice(i, i + 3));
		if (m) {
			bytes.push(parseInt(m[1], 16));
			i += 2;
		} else bytes.push(...Buffer.from(joined[i]));
	}
	return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}
