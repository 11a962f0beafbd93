// Pure permission rules of the exchange (Austausch). No I/O; tested as role × action tables.
//
// The exchange is the working area's written conversation: coordinators, members and partners read
// and write; citizens and visitors see nothing of it (the services answer 404). Coordinators
// moderate: topics, hiding, moving, locking. A post belongs to its author: only they edit or delete
// it (a coordinator hides it instead, which keeps the text for the record).
import { membershipIn, WORKING_AREA_ROLES, type Actor } from '../auth/actor';

export type ExchangeAction =
	/** Read topics, threads and posts (hidden ones only as coordinator). */
	| 'exchange.read'
	/** Start a thread in a topic (`topicArchived`). */
	| 'exchange.thread.create'
	/** Reply in a thread, attach files to it, link records (`threadLocked`, `threadHidden`). */
	| 'exchange.reply'
	/** Edit one's own post (`authorId`, `postDeleted`, `postHidden`, `threadLocked`, `threadHidden`). */
	| 'exchange.post.edit'
	/** Delete one's own post, softly (`authorId`, `postDeleted`). */
	| 'exchange.post.delete'
	/** Mark or unmark the reply that helped (`threadAuthorId`, `threadHidden`). */
	| 'exchange.answer'
	/** Hide/unhide posts and threads, move threads, lock/unlock. */
	| 'exchange.moderate'
	/** Create, rename, reorder and archive topics. */
	| 'exchange.topic.manage'
	/** Follow or unfollow a thread. */
	| 'exchange.follow';

export interface ExchangeSubject {
	networkId: string;
	topicArchived?: boolean;
	threadLocked?: boolean;
	threadHidden?: boolean;
	threadAuthorId?: string | null;
	authorId?: string | null;
	postDeleted?: boolean;
	postHidden?: boolean;
}

const WORKING_AREA: ReadonlySet<string> = new Set(WORKING_AREA_ROLES);

export function canExchange(actor: Actor, action: ExchangeAction, s: ExchangeSubject): boolean {
	const m = membershipIn(actor, s.networkId);
	if (!m || !actor.userId || !WORKING_AREA.has(m.role)) return false;
	const coordinator = m.role === 'coordinator';
	const own = (id: string | null | undefined) => !!id && id === actor.userId;
	switch (action) {
		case 'exchange.read':
		case 'exchange.follow':
			return true;
		case 'exchange.thread.create':
			return !s.topicArchived;
		case 'exchange.reply':
			return !s.threadLocked && !s.threadHidden;
		case 'exchange.post.edit':
			return own(s.authorId) && !s.postDeleted && !s.postHidden && !s.threadLocked && !s.threadHidden;
		case 'exchange.post.delete':
			return own(s.authorId) && !s.postDeleted;
		case 'exchange.answer':
			return !s.threadHidden && (coordinator || own(s.threadAuthorId));
		case 'exchange.moderate':
		case 'exchange.topic.manage':
			return coordinator;
	}
}

/** Whether the actor sees hidden threads and posts (marked as hidden): the coordinators. */
export function seesHidden(actor: Actor, networkId: string): boolean {
	return canExchange(actor, 'exchange.moderate', { networkId });
}
