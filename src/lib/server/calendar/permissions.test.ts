import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { canCalendar } from './permissions';

const NET = 'net-1';

function actor(role: NetworkRole | null, networkId = NET): Actor {
	return {
		userId: role ? `u-${role}` : null,
		name: '',
		email: '',
		isOperator: false,
		memberships: role ? [{ networkId, slug: 'n', networkName: 'N', role, bodyIds: [] }] : []
	};
}

const table: [string, Actor, boolean][] = [
	['coordinator', actor('coordinator'), true],
	['member', actor('member'), true],
	['partner', actor('partner'), true],
	['citizen', actor('citizen'), false],
	['visitor', VISITOR, false],
	['operator without membership', { ...VISITOR, userId: 'op', isOperator: true }, false],
	['coordinator of another network', actor('coordinator', 'net-2'), false]
];

describe('calendar permissions', () => {
	it.each(table)('%s: calendar.subscribe → %s', (_who, a, expected) => {
		expect(canCalendar(a, 'calendar.subscribe', { networkId: NET })).toBe(expected);
	});
});
