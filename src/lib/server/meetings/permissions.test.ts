import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { canDeleteAttachment, canEditAgendaItem, canMeeting, canReadMeeting, type MeetingAction } from './permissions';

const NET = 'net-1';
const OTHER_NET = 'net-2';
const TOWN = 'body-town';
const OTHER_TOWN = 'body-other';

function actor(role: NetworkRole | null, bodyIds: string[] = [], networkId = NET, userId?: string): Actor {
	return {
		userId: role ? (userId ?? `u-${role}`) : null,
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

type Row = [string, Actor, MeetingAction, boolean];
const table: Row[] = [
	['coordinator', coordinator, 'meeting.read', true],
	['coordinator', coordinator, 'meeting.manage', true],
	['coordinator', coordinator, 'meeting.proposeItem', true],
	['coordinator', coordinator, 'meeting.upload', true],
	['coordinator', coordinator, 'meeting.attend', true],
	['member', member, 'meeting.read', true],
	['member', member, 'meeting.manage', false],
	['member', member, 'meeting.proposeItem', true],
	['member', member, 'meeting.upload', false],
	['member', member, 'meeting.attend', true],
	['partner', partner, 'meeting.read', true],
	['partner', partner, 'meeting.manage', false],
	['partner', partner, 'meeting.proposeItem', false],
	['partner', partner, 'meeting.upload', false],
	['partner', partner, 'meeting.attend', true],
	['citizen', citizen, 'meeting.read', false],
	['citizen', citizen, 'meeting.manage', false],
	['citizen', citizen, 'meeting.proposeItem', false],
	['citizen', citizen, 'meeting.upload', false],
	['citizen', citizen, 'meeting.attend', false],
	['visitor', VISITOR, 'meeting.read', false],
	['visitor', VISITOR, 'meeting.manage', false],
	['visitor', VISITOR, 'meeting.attend', false],
	['operator without membership', operatorOnly, 'meeting.read', false],
	['operator without membership', operatorOnly, 'meeting.manage', false],
	['coordinator of another network', foreignCoordinator, 'meeting.read', false],
	['coordinator of another network', foreignCoordinator, 'meeting.manage', false],
	['coordinator of another network', foreignCoordinator, 'meeting.attend', false]
];

describe('canMeeting', () => {
	it.each(table)('%s: %s → %s', (_who, a, action, allowed) => {
		expect(canMeeting(a, action, { networkId: NET })).toBe(allowed);
	});
});

describe('followUp.edit', () => {
	type FRow = [string, Actor, string | null, string | null, boolean];
	const rows: FRow[] = [
		// who, actor, owner user, owner body, allowed
		['coordinator, any follow-up', coordinator, null, null, true],
		['coordinator of another network', foreignCoordinator, null, null, false],
		['member of the owner body', member, null, TOWN, true],
		['member of another body', member, null, OTHER_TOWN, false],
		['member, no owner', member, null, null, false],
		['member who is the owner person', member, 'u-member', null, true],
		['partner who is the owner person', partner, 'u-partner', null, true],
		['partner, someone else owns it', partner, 'u-other', TOWN, false],
		['citizen who is named owner', citizen, 'u-citizen', null, false],
		['visitor', VISITOR, null, TOWN, false]
	];
	it.each(rows)('%s → %s', (_who, a, ownerUserId, ownerBodyId, allowed) => {
		expect(canMeeting(a, 'followUp.edit', { networkId: NET, ownerUserId, ownerBodyId })).toBe(allowed);
	});
});

describe('canReadMeeting', () => {
	it.each([
		['visitor', VISITOR, false, false],
		['visitor', VISITOR, true, true],
		['citizen', citizen, false, false],
		['citizen', citizen, true, true],
		['partner', partner, false, true],
		['member', member, false, true],
		['coordinator of another network', foreignCoordinator, false, false],
		['coordinator of another network', foreignCoordinator, true, true]
	] as [string, Actor, boolean, boolean][])('%s, public %s → %s', (_who, a, isPublic, allowed) => {
		expect(canReadMeeting(a, { networkId: NET, isPublic })).toBe(allowed);
	});
});

describe('canDeleteAttachment / canEditAgendaItem', () => {
	it('coordinators always; a proposer edits their own item; others never', () => {
		expect(canDeleteAttachment(coordinator, NET)).toBe(true);
		// Members and partners don't upload (files go to records they may edit), so they delete nothing.
		for (const a of [member, partner, citizen, foreignCoordinator, VISITOR]) expect(canDeleteAttachment(a, NET)).toBe(false);
		expect(canEditAgendaItem(coordinator, NET, null)).toBe(true);
		expect(canEditAgendaItem(member, NET, 'u-member')).toBe(true);
		expect(canEditAgendaItem(member, NET, 'u-coordinator')).toBe(false);
		expect(canEditAgendaItem(partner, NET, 'u-partner')).toBe(false);
		expect(canEditAgendaItem(VISITOR, NET, null)).toBe(false);
	});
});
