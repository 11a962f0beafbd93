import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { canBalance, canReadBalance, editableBalanceBodyIds, type BalanceAction } from './permissions';

const NET = 'net-1';
const OTHER_NET = 'net-2';
const TOWN = 'body-town';
const OTHER_TOWN = 'body-other';

function actor(role: NetworkRole | null, bodyIds: string[] = [], networkId = NET): Actor {
	return {
		userId: role ? `u-${role}` : null,
		name: '',
		email: '',
		isOperator: false,
		memberships: role ? [{ networkId, slug: 'n', networkName: 'N', role, bodyIds }] : []
	};
}

const coordinator = actor('coordinator');
const member = actor('member', [TOWN]);
const otherMember = actor('member', [OTHER_TOWN]);
const partner = actor('partner');
const citizen = actor('citizen');
const foreignCoordinator = actor('coordinator', [], OTHER_NET);
const operatorOnly: Actor = { ...VISITOR, userId: 'op', isOperator: true };

const roles: [string, Actor, { read: boolean; edit: boolean; factors: boolean }][] = [
	['coordinator', coordinator, { read: true, edit: true, factors: true }],
	['member of the town', member, { read: true, edit: true, factors: false }],
	['member of another town', otherMember, { read: true, edit: false, factors: false }],
	['partner', partner, { read: true, edit: false, factors: false }],
	['citizen', citizen, { read: false, edit: false, factors: false }],
	['visitor', VISITOR, { read: false, edit: false, factors: false }],
	['operator without membership', operatorOnly, { read: false, edit: false, factors: false }],
	['coordinator of another network', foreignCoordinator, { read: false, edit: false, factors: false }]
];
const table: [string, Actor, BalanceAction, boolean][] = roles.flatMap(([who, a, may]) => [
	[who, a, 'balance.read', may.read] as [string, Actor, BalanceAction, boolean],
	[who, a, 'balance.edit', may.edit],
	[who, a, 'balance.factors', may.factors]
]);

describe('canBalance', () => {
	it.each(table)('%s: %s on the town → %s', (_who, a, action, allowed) => {
		expect(canBalance(a, action, { networkId: NET, bodyId: TOWN })).toBe(allowed);
	});
	it('a member edits nothing without a body', () => {
		expect(canBalance(member, 'balance.edit', { networkId: NET })).toBe(false);
	});
});

describe('canReadBalance', () => {
	it.each([
		['visitor', VISITOR, false, false],
		['visitor', VISITOR, true, true],
		['citizen', citizen, false, false],
		['citizen', citizen, true, true],
		['partner', partner, false, true],
		['member of another town', otherMember, false, true],
		['coordinator of another network', foreignCoordinator, false, false]
	] as [string, Actor, boolean, boolean][])('%s, public %s → %s', (_who, a, isPublic, allowed) => {
		expect(canReadBalance(a, { networkId: NET, isPublic })).toBe(allowed);
	});
});

describe('editableBalanceBodyIds', () => {
	it('is null (all) for coordinators, the own bodies for members, none for others', () => {
		expect(editableBalanceBodyIds(coordinator, NET)).toBeNull();
		expect(editableBalanceBodyIds(member, NET)).toEqual([TOWN]);
		expect(editableBalanceBodyIds(partner, NET)).toEqual([]);
		expect(editableBalanceBodyIds(VISITOR, NET)).toEqual([]);
	});
});
