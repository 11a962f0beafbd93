// The activities module's notification kind: a joint activity changed its status. Registered when
// this file is first imported (by activities/activities.ts, which raises it), so the app, the CLI
// and the tests find it registered before notify() runs.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { translate } from '$lib/i18n';
import { membershipBodies, memberships, networks } from '../network/schema';
import { activityParticipants } from '../activities/schema';
import { registerNotificationKind, type NotificationKind } from './kinds';
import { notify } from './notify';

export const ACTIVITY_STATUS: NotificationKind = {
	kind: 'activity.status',
	labelKey: 'activities.notify.kind',
	hintKey: 'activities.notify.kindHint',
	defaultChannel: 'immediate'
};

registerNotificationKind(ACTIVITY_STATUS);

export interface StatusChange {
	id: string;
	networkId: string;
	title: string;
	status: string;
	proposerBodyId: string | null;
	proposedBy: string | null;
	isDemo: boolean;
}

/**
 * Inside the command's transaction: tells the members of the participating towns (and of the
 * proposing one) and the person who proposed it that the activity has a new status. The actor is
 * skipped; notify() keeps only people still in the network's working area. The invented demo
 * activities raise nothing. `reason`: the reason given for dropping it, as the excerpt.
 */
export async function notifyActivityStatus(tx: Db | Tx, actorId: string | null, a: StatusChange, reason = ''): Promise<number> {
	if (a.isDemo) return 0;
	const participants = await tx
		.select({ bodyId: activityParticipants.bodyId })
		.from(activityParticipants)
		.where(and(eq(activityParticipants.activityId, a.id), eq(activityParticipants.networkId, a.networkId)));
	const bodyIds = [...new Set([...participants.map((p) => p.bodyId), ...(a.proposerBodyId ? [a.proposerBodyId] : [])])];
	const members = bodyIds.length
		? await tx
				.select({ userId: memberships.userId })
				.from(memberships)
				.innerJoin(membershipBodies, eq(membershipBodies.membershipId, memberships.id))
				.where(and(eq(memberships.networkId, a.networkId), eq(membershipBodies.networkId, a.networkId), inArray(membershipBodies.bodyId, bodyIds)))
		: [];
	const [network] = await tx.select({ slug: networks.slug }).from(networks).where(eq(networks.id, a.networkId));
	return notify(tx, {
		networkId: a.networkId,
		kind: ACTIVITY_STATUS.kind,
		userIds: [...members.map((m) => m.userId), ...(a.proposedBy ? [a.proposedBy] : [])],
		title: translate('de', 'activities.notify.title', { title: a.title, status: translate('de', `activities.status.${a.status}`) }),
		excerpt: reason,
		url: `/${network.slug}/intern/aktivitaeten/${a.id}`,
		record: { type: 'activity', id: a.id },
		actorId
	});
}
