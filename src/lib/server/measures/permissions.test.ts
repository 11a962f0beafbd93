import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { canMeasure, canReadMeasure, editableBodyIds, type MeasureAction } from './permissions';

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
const partner = actor('partner');
const citizen = actor('citizen');
const foreignCoordinator = actor('coordinator', [], OTHER_NET);
const operatorOnly: Actor = { ...VISITOR, userId: 'op', isOperator: true };

type Row = [string, Actor, MeasureAction, string | null, boolean];
const table: Row[] = [
	// who, actor, action, body of the subject, allowed
	['coordinator', coordinator, 'measure.read', null, true],
	['coordinator', coordinator, 'measure.edit', TOWN, true],
	['coordinator', coordinator, 'measure.edit', OTHER_TOWN, true],
	['coordinator', coordinator, 'measure.settings', null, true],
	['member', member, 'measure.read', null, true],
	['member', member, 'measure.edit', TOWN, true],
	['member', member, 'measure.edit', OTHER_TOWN, false],
	['member', member, 'measure.edit', null, false],
	['member', member, 'measure.settings', null, false],
	['partner', partner, 'measure.read', null, true],
	['partner', partner, 'measure.edit', TOWN, false],
	['partner', partner, 'measure.settings', null, false],
	['citizen', citizen, 'measure.read', null, false],
	['citizen', citizen, 'measure.edit', TOWN, false],
	['visitor', VISITOR, 'measure.read', null, false],
	['visitor', VISITOR, 'measure.edit', TOWN, false],
	['operator without membership', operatorOnly, 'measure.read', null, false],
	['coordinator of another network', foreignCoordinator, 'measure.read', null, false],
	['coordinator of another network', foreignCoordinator, 'measure.edit', TOWN, false]
];

describe('canMeasure', () => {
	it.each(table)('%s: %s on body %s → %s', (_who, a, action, bodyId, allowed) => {
		expect(canMeasure(a, action, { networkId: NET, bodyId })).toBe(allowed);
	});
});

describe('canReadMeasure', () => {
	it.each([
		['visitor', VISITOR, false, false],
		['visitor', VISITOR, true, true],
		['citizen', citizen, false, false],
		['citizen', citizen, true, true],
		['partner', partner, false, true],
		['coordinator of another network', foreignCoordinator, false, false]
	] as [string, Actor, boolean, boolean][])('%s, public %s → %s', (_who, a, isPublic, allowed) => {
		expect(canReadMeasure(a, { networkId: NET, isPublic })).toBe(allowed);
	});
});

describe('editableBodyIds', () => {
	it('is null (all) for coordinators, the own bodies for members, none for others', () => {
		expect(editableBodyIds(coordinator, NET)).toBeNull();
		expect(editableBodyIds(member, NET)).toEqual([TOWN]);
		expect(editableBodyIds(partner, NET)).toEqual([]);
		expect(editableBodyIds(VISITOR, NET)).toEqual([]);
	});
});
