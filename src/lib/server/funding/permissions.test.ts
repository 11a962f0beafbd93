import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { applicationBodyIds, canFunding, type FundingAction } from './permissions';

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

const roles: [string, Actor, { read: boolean; manage: boolean; apply: boolean }][] = [
	['coordinator', coordinator, { read: true, manage: true, apply: true }],
	['member of the town', member, { read: true, manage: false, apply: true }],
	['member of another town', otherMember, { read: true, manage: false, apply: false }],
	['partner', partner, { read: true, manage: false, apply: false }],
	['citizen', citizen, { read: false, manage: false, apply: false }],
	['visitor', VISITOR, { read: false, manage: false, apply: false }],
	['operator without membership', operatorOnly, { read: false, manage: false, apply: false }],
	['coordinator of another network', foreignCoordinator, { read: false, manage: false, apply: false }]
];
const table: [string, Actor, FundingAction, boolean][] = roles.flatMap(([who, a, may]) => [
	[who, a, 'funding.read', may.read] as [string, Actor, FundingAction, boolean],
	[who, a, 'programme.manage', may.manage],
	[who, a, 'application.edit', may.apply]
]);

describe('canFunding', () => {
	it.each(table)('%s: %s for the town → %s', (_who, a, action, allowed) => {
		expect(canFunding(a, action, { networkId: NET, bodyId: TOWN })).toBe(allowed);
	});
	it('a member edits no application without a body', () => {
		expect(canFunding(member, 'application.edit', { networkId: NET })).toBe(false);
		expect(canFunding(member, 'application.edit', { networkId: NET, bodyId: null })).toBe(false);
	});
});

describe('applicationBodyIds', () => {
	it('is null (all) for coordinators, the own bodies for members, none for others', () => {
		expect(applicationBodyIds(coordinator, NET)).toBeNull();
		expect(applicationBodyIds(member, NET)).toEqual([TOWN]);
		expect(applicationBodyIds(partner, NET)).toEqual([]);
		expect(applicationBodyIds(VISITOR, NET)).toEqual([]);
		expect(applicationBodyIds(foreignCoordinator, NET)).toEqual([]);
	});
});
