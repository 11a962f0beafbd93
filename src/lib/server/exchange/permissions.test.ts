import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { canExchange, seesHidden, type ExchangeAction, type ExchangeSubject } from './permissions';

const NET = 'net-1';
const OTHER_NET = 'net-2';

function actor(role: NetworkRole | null, networkId = NET, userId = role ? `u-${role}` : null): Actor {
	return { userId, name: '', email: '', isOperator: false, memberships: role ? [{ networkId, slug: 'n', networkName: 'N', role, bodyIds: [] }] : [] };
}

const coordinator = actor('coordinator');
const member = actor('member');
const partner = actor('partner');
const citizen = actor('citizen');
const foreignCoordinator = actor('coordinator', OTHER_NET);
// Same user id as the member, but a member of another network only.
const foreignMemberSameUser = actor('member', OTHER_NET, 'u-member');
const operatorOnly: Actor = { ...VISITOR, userId: 'op', isOperator: true };

const ownPost: Partial<ExchangeSubject> = { authorId: 'u-member' };
const othersPost: Partial<ExchangeSubject> = { authorId: 'u-someone' };
const myThread: Partial<ExchangeSubject> = { threadAuthorId: 'u-member' };
const othersThread: Partial<ExchangeSubject> = { threadAuthorId: 'u-someone' };

type Row = [string, Actor, ExchangeAction, Partial<ExchangeSubject>, boolean];
const everyone: [string, Actor][] = [
	['coordinator', coordinator],
	['member', member],
	['partner', partner]
];
const outsiders: [string, Actor][] = [
	['citizen', citizen],
	['visitor', VISITOR],
	['operator without membership', operatorOnly],
	['coordinator of another network', foreignCoordinator],
	['member of another network (same user id)', foreignMemberSameUser]
];

const table: Row[] = [
	// read, create, reply, follow: the working area; archived topics and locked/hidden threads refuse.
	...everyone.flatMap(([who, a]): Row[] => [
		[who, a, 'exchange.read', {}, true],
		[who, a, 'exchange.follow', {}, true],
		[who, a, 'exchange.thread.create', {}, true],
		[who, a, 'exchange.thread.create', { topicArchived: true }, false],
		[who, a, 'exchange.reply', {}, true],
		[who, a, 'exchange.reply', { threadLocked: true }, false],
		[who, a, 'exchange.reply', { threadHidden: true }, false]
	]),
	// edit and delete: one's own post only, coordinators included.
	['member', member, 'exchange.post.edit', ownPost, true],
	['member', member, 'exchange.post.edit', othersPost, false],
	['member', member, 'exchange.post.edit', { ...ownPost, postDeleted: true }, false],
	['member', member, 'exchange.post.edit', { ...ownPost, postHidden: true }, false],
	['member', member, 'exchange.post.edit', { ...ownPost, threadLocked: true }, false],
	['member', member, 'exchange.post.edit', { ...ownPost, threadHidden: true }, false],
	['member', member, 'exchange.post.delete', ownPost, true],
	['member', member, 'exchange.post.delete', { ...ownPost, threadLocked: true }, true],
	['member', member, 'exchange.post.delete', { ...ownPost, postDeleted: true }, false],
	['member', member, 'exchange.post.delete', othersPost, false],
	['member (post without author)', member, 'exchange.post.edit', { authorId: null }, false],
	['partner', partner, 'exchange.post.edit', { authorId: 'u-partner' }, true],
	['partner', partner, 'exchange.post.delete', othersPost, false],
	['coordinator', coordinator, 'exchange.post.edit', { authorId: 'u-coordinator' }, true],
	['coordinator', coordinator, 'exchange.post.edit', othersPost, false],
	['coordinator', coordinator, 'exchange.post.delete', othersPost, false],
	// the answer that helped: the asker and coordinators.
	['member (asker)', member, 'exchange.answer', myThread, true],
	['member (asker, hidden thread)', member, 'exchange.answer', { ...myThread, threadHidden: true }, false],
	['member (asker, locked thread)', member, 'exchange.answer', { ...myThread, threadLocked: true }, true],
	['member (not the asker)', member, 'exchange.answer', othersThread, false],
	['partner (not the asker)', partner, 'exchange.answer', othersThread, false],
	['coordinator', coordinator, 'exchange.answer', othersThread, true],
	['member of another network (same user id, asker)', foreignMemberSameUser, 'exchange.answer', myThread, false],
	// moderation and topics: coordinators.
	['coordinator', coordinator, 'exchange.moderate', {}, true],
	['coordinator', coordinator, 'exchange.topic.manage', {}, true],
	['member', member, 'exchange.moderate', {}, false],
	['member', member, 'exchange.topic.manage', {}, false],
	['partner', partner, 'exchange.moderate', {}, false],
	['partner', partner, 'exchange.topic.manage', {}, false],
	// outsiders: nothing at all.
	...outsiders.flatMap(([who, a]): Row[] =>
		(['exchange.read', 'exchange.thread.create', 'exchange.reply', 'exchange.follow', 'exchange.moderate', 'exchange.topic.manage'] as ExchangeAction[]).map((action): Row => [who, a, action, {}, false])
	),
	...outsiders.map(([who, a]): Row => [who, a, 'exchange.post.edit', { authorId: a.userId }, false]),
	...outsiders.map(([who, a]): Row => [who, a, 'exchange.post.delete', { authorId: a.userId }, false]),
	...outsiders.map(([who, a]): Row => [who, a, 'exchange.answer', { threadAuthorId: a.userId }, false])
];

describe('canExchange', () => {
	it.each(table)('%s: %s on %j → %s', (_who, a, action, subject, allowed) => {
		expect(canExchange(a, action, { networkId: NET, ...subject })).toBe(allowed);
	});
});

describe('seesHidden', () => {
	it('is for the network’s coordinators only', () => {
		expect(seesHidden(coordinator, NET)).toBe(true);
		for (const a of [member, partner, citizen, VISITOR, foreignCoordinator, operatorOnly]) expect(seesHidden(a, NET)).toBe(false);
	});
});
