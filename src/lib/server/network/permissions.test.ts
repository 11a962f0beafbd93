import { describe, expect, it } from 'vitest';
import type { Actor, NetworkRole } from '../auth/actor';
import { VISITOR } from '../auth/actor';
import { canNetwork, canOperate, type NetworkAction } from './permissions';

const NET = 'net-1';
const OTHER_NET = 'net-2';
const OWN_BODY = 'body-own';
const OTHER_BODY = 'body-other';

function actorWith(role: NetworkRole | 'visitor' | 'operator', network = NET): Actor {
	if (role === 'visitor') return VISITOR;
	if (role === 'operator')
		return { userId: 'op', name: 'Op', email: 'op@x', isOperator: true, memberships: [] };
	return {
		userId: 'u-' + role,
		name: role,
		email: role + '@x',
		isOperator: false,
		memberships: [{ networkId: network, slug: 's', networkName: 'N', role, bodyIds: role === 'member' ? [OWN_BODY] : [] }]
	};
}

type Row = [string, NetworkAction, Record<string, boolean>];
// Columns: coordinator, member, partner, citizen, operator, visitor
const table: Row[] = [
	['enter working area', 'network.enter', { coordinator: true, member: true, partner: true, citizen: false, operator: false, visitor: false }],
	['read contact details', 'person.readContact', { coordinator: true, member: true, partner: true, citizen: false, operator: false, visitor: false }],
	['edit network profile', 'network.editProfile', { coordinator: true, member: false, partner: false, citizen: false, operator: false, visitor: false }],
	['manage members', 'network.manageMembers', { coordinator: true, member: false, partner: false, citizen: false, operator: false, visitor: false }],
	['read audit log', 'network.readAudit', { coordinator: true, member: false, partner: false, citizen: false, operator: false, visitor: false }],
	['edit partners', 'partner.edit', { coordinator: true, member: false, partner: false, citizen: false, operator: false, visitor: false }]
];
const roles = ['coordinator', 'member', 'partner', 'citizen', 'operator', 'visitor'] as const;

describe('network permissions: role × action', () => {
	for (const [label, action, expected] of table) {
		it.each(roles.map((r) => [r, expected[r]] as const))(`${label}: %s → %s`, (role, allowed) => {
			expect(canNetwork(actorWith(role), action, { networkId: NET })).toBe(allowed);
		});
	}

	const bodyRules: [NetworkAction, string, Record<(typeof roles)[number], boolean>][] = [
		['body.edit', OWN_BODY, { coordinator: true, member: true, partner: false, citizen: false, operator: false, visitor: false }],
		['body.edit', OTHER_BODY, { coordinator: true, member: false, partner: false, citizen: false, operator: false, visitor: false }],
		['person.create', OWN_BODY, { coordinator: true, member: true, partner: false, citizen: false, operator: false, visitor: false }],
		['person.create', OTHER_BODY, { coordinator: true, member: false, partner: false, citizen: false, operator: false, visitor: false }],
		['person.edit', OWN_BODY, { coordinator: true, member: true, partner: false, citizen: false, operator: false, visitor: false }],
		['person.edit', OTHER_BODY, { coordinator: true, member: false, partner: false, citizen: false, operator: false, visitor: false }]
	];
	for (const [action, body, expected] of bodyRules) {
		it.each(roles.map((r) => [r, expected[r]] as const))(`${action} on ${body}: %s → %s`, (role, allowed) => {
			expect(canNetwork(actorWith(role), action, { networkId: NET, bodyId: body })).toBe(allowed);
		});
	}

	it.each(['member', 'partner'] as const)('a %s may edit the person record linked to their own account', (role) => {
		const a = actorWith(role);
		expect(canNetwork(a, 'person.edit', { networkId: NET, bodyId: OTHER_BODY, personUserId: a.userId })).toBe(true);
		expect(canNetwork(a, 'person.edit', { networkId: NET, bodyId: OTHER_BODY, personUserId: 'someone-else' })).toBe(false);
	});

	it.each(roles.filter((r) => r !== 'operator' && r !== 'visitor'))(
		'a %s of another network may do nothing here',
		(role) => {
			const a = actorWith(role, OTHER_NET);
			for (const [, action] of table) expect(canNetwork(a, action, { networkId: NET })).toBe(false);
			expect(canNetwork(a, 'body.edit', { networkId: NET, bodyId: OWN_BODY })).toBe(false);
		}
	);
});

describe('operator permissions', () => {
	it.each(roles.map((r) => [r, r === 'operator'] as const))('create networks: %s → %s', (role, allowed) => {
		expect(canOperate(actorWith(role), 'networks.create')).toBe(allowed);
		expect(canOperate(actorWith(role), 'jobs.read')).toBe(allowed);
		expect(canOperate(actorWith(role), 'notifications.send')).toBe(allowed);
	});
});
