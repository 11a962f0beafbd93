// Record type of the exchange, declared in the registry: links from a thread to measures, offers,
// meetings, activities … (links/), attachments (files/) and the audit log treat a thread like any
// record. Readable by the network's working area (hidden threads: coordinators only); "editing" a
// thread's record – linking, attaching – is for whoever may reply (and coordinators, also when it is
// locked). Deleting one of its files is narrower: the uploader (while they may reply) and coordinators,
// answered by canDeleteFile for the file service. Registers the exchange's notification kinds too, so start-up wires the module in one call.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { networks } from '../db/schema';
import { registerRecordType, type ResolvedRecord } from '../registry';
import { isUuid, UUID_PATTERN as UUID } from '../ids';
import type { Actor } from '../auth/actor';
import { exchangeThreads } from './schema';
import { canExchange, seesHidden, type ExchangeSubject } from './permissions';
import { registerExchangeNotifications } from './notifications';

interface ThreadRecord extends ResolvedRecord {
	locked: boolean;
	hidden: boolean;
}

function canReadThread(actor: Actor, r: ResolvedRecord): boolean {
	const t = r as ThreadRecord;
	if (!t.networkId || !canExchange(actor, 'exchange.read', { networkId: t.networkId })) return false;
	return !t.hidden || seesHidden(actor, t.networkId);
}

function canEditThread(actor: Actor, r: ResolvedRecord): boolean {
	const t = r as ThreadRecord;
	if (!canReadThread(actor, t)) return false;
	return seesHidden(actor, t.networkId!) || canExchange(actor, 'exchange.reply', { networkId: t.networkId!, threadLocked: t.locked, threadHidden: t.hidden });
}

function subjectOf(t: ThreadRecord): ExchangeSubject {
	return { networkId: t.networkId!, threadLocked: t.locked, threadHidden: t.hidden };
}

/**
 * May the actor delete a file of this thread? Coordinators always; the uploader while they may still
 * reply (not once the thread is locked or hidden). Not everyone who may reply: a thread is edited by
 * the whole working area, and one member must not remove another's tender. The single rule for the
 * file service (canDeleteFile) and the thread page's delete buttons.
 */
export function canDeleteThreadFile(actor: Actor, thread: ExchangeSubject, uploadedBy: string | null): boolean {
	if (seesHidden(actor, thread.networkId)) return true;
	return !!actor.userId && uploadedBy === actor.userId && canExchange(actor, 'exchange.reply', thread);
}

export function registerExchangeRecords() {
	registerRecordType({
		type: 'thread',
		labelKey: 'record.thread',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/intern/austausch/diskussionen/(${UUID})/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ title: exchangeThreads.title, networkId: exchangeThreads.networkId, locked: exchangeThreads.locked, hiddenAt: exchangeThreads.hiddenAt, slug: networks.slug })
				.from(exchangeThreads)
				.innerJoin(networks, eq(networks.id, exchangeThreads.networkId))
				.where(eq(exchangeThreads.id, id));
			if (!row) return null;
			const rec: ThreadRecord = {
				type: 'thread',
				id,
				networkId: row.networkId,
				title: row.title,
				url: `/${row.slug}/intern/austausch/diskussionen/${id}`,
				isPublic: false,
				locked: row.locked,
				hidden: !!row.hiddenAt
			};
			return rec;
		},
		canRead: canReadThread,
		canEdit: canEditThread,
		canDeleteFile: (actor, r, file) => canReadThread(actor, r) && canDeleteThreadFile(actor, subjectOf(r as ThreadRecord), file.uploadedBy)
	});
	registerExchangeNotifications();
}
