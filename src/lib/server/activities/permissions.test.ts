import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { actingBodyIds, canActivity, canReadActivity, type ActivityAction, type ActivitySubject } from './permissions';

const NET = 'net-1';
const OTHER_NET = 'net-2';
const TOWN = 'body-town';
const OTHER_TOWN = 'body-other';
const THIRD_TOWN = 'body-third';

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
const memberWithoutBody = actor('member', []);
const partner = actor('partner');
const citizen = actor('citizen');
const foreignCoordinator = actor('coordinator', [], OTHER_NET);
const foreignMember = actor('member', [TOWN], OTHER_NET);
const operatorOnly: Actor = { ...VISITOR, userId: 'op', isOperator: true };

const proposedByTown: Partial<ActivitySubject> = { proposerBodyId: TOWN, participantBodyIds: [TOWN] };
const proposedByOther: Partial<ActivitySubject> = { proposerBodyId: OTHER_TOWN, participantBodyIds: [OTHER_TOWN] };
const townTakesPart: Partial<ActivitySubject> = { proposerBodyId: OTHER_TOWN, participantBodyIds: [OTHER_TOWN, TOWN] };
const byCoordination: Partial<ActivitySubject> = { proposerBodyId: null, participantBodyIds: [] };
const byCoordinationTownTakesPart: Partial<ActivitySubject> = { proposerBodyId: null, participantBodyIds: [TOWN] };
/** Tasks of an activity Halberstadt (OTHER_TOWN) proposed and the member's town joined. */
const memberTask: Partial<ActivitySubject> = { ...townTakesPart, taskCreatedBy: 'u-member' };
const othersTask: Partial<ActivitySubject> = { ...townTakesPart, taskCreatedBy: 'u-someone' };
const ownTaskOfProposer: Partial<ActivitySubject> = { ...proposedByTown, taskCreatedBy: 'u-someone' };
const taskWithoutCreator: Partial<ActivitySubject> = { ...townTakesPart, taskCreatedBy: null };

type Row = [string, Actor, ActivityAction, Partial<ActivitySubject>, boolean];
const table: Row[] = [
	// who, actor, action, subject, allowed
	['coordinator', coordinator, 'activity.read', {}, true],
	['coordinator', coordinator, 'activity.create', {}, true],
	['coordinator', coordinator, 'activity.create', { bodyId: OTHER_TOWN }, true],
	['coordinator', coordinator, 'activity.create', { bodyId: null }, true],
	['coordinator', coordinator, 'activity.edit', proposedByOther, true],
	['coordinator', coordinator, 'activity.edit', byCoordination, true],
	['coordinator', coordinator, 'activity.task.add', byCoordination, true],
	['coordinator', coordinator, 'activity.task.add', proposedByOther, true],
	['coordinator', coordinator, 'activity.task.manage', othersTask, true],
	['coordinator', coordinator, 'activity.task.manage', { ...byCoordination, taskCreatedBy: 'u-someone' }, true],
	['coordinator', coordinator, 'activity.join', { bodyId: TOWN }, true],
	['coordinator', coordinator, 'activity.join', { bodyId: OTHER_TOWN }, true],
	['coordinator', coordinator, 'activity.join', { bodyId: null }, false],
	['member', member, 'activity.read', {}, true],
	['member', member, 'activity.create', {}, true],
	['member', member, 'activity.create', { bodyId: TOWN }, true],
	['member', member, 'activity.create', { bodyId: OTHER_TOWN }, false],
	['member', member, 'activity.create', { bodyId: null }, false],
	['member', member, 'activity.edit', proposedByTown, true],
	// Joining does not hand the activity over: only the proposer's members edit it (and its status).
	['member', member, 'activity.edit', townTakesPart, false],
	['member', member, 'activity.edit', proposedByOther, false],
	['member', member, 'activity.edit', byCoordination, false],
	['member', member, 'activity.edit', byCoordinationTownTakesPart, false],
	['member', member, 'activity.task.add', proposedByTown, true],
	['member', member, 'activity.task.add', townTakesPart, true],
	['member', member, 'activity.task.add', byCoordinationTownTakesPart, true],
	['member', member, 'activity.task.add', proposedByOther, false],
	['member', member, 'activity.task.add', byCoordination, false],
	['member', member, 'activity.task.manage', ownTaskOfProposer, true],
	['member', member, 'activity.task.manage', memberTask, true],
	['member', member, 'activity.task.manage', othersTask, false],
	['member', member, 'activity.task.manage', taskWithoutCreator, false],
	['member', member, 'activity.task.manage', { ...byCoordinationTownTakesPart, taskCreatedBy: 'u-someone' }, false],
	['member', member, 'activity.join', { bodyId: TOWN }, true],
	['member', member, 'activity.join', { bodyId: OTHER_TOWN }, false],
	['member', member, 'activity.join', { bodyId: THIRD_TOWN }, false],
	['member without a body', memberWithoutBody, 'activity.create', {}, false],
	['member without a body', memberWithoutBody, 'activity.join', { bodyId: TOWN }, false],
	['partner', partner, 'activity.read', {}, true],
	['partner', partner, 'activity.create', {}, false],
	['partner', partner, 'activity.edit', proposedByTown, false],
	['partner', partner, 'activity.task.add', townTakesPart, false],
	['partner (created the task)', partner, 'activity.task.manage', { ...townTakesPart, taskCreatedBy: 'u-partner' }, false],
	['partner', partner, 'activity.join', { bodyId: TOWN }, false],
	['citizen', citizen, 'activity.read', {}, false],
	['citizen', citizen, 'activity.create', {}, false],
	['citizen', citizen, 'activity.edit', proposedByTown, false],
	['citizen', citizen, 'activity.task.add', townTakesPart, false],
	['citizen (created the task)', citizen, 'activity.task.manage', { ...townTakesPart, taskCreatedBy: 'u-citizen' }, false],
	['citizen', citizen, 'activity.join', { bodyId: TOWN }, false],
	['visitor', VISITOR, 'activity.read', {}, false],
	['visitor', VISITOR, 'activity.create', {}, false],
	['visitor', VISITOR, 'activity.edit', byCoordination, false],
	['visitor', VISITOR, 'activity.task.add', byCoordination, false],
	['visitor (no user, no creator)', VISITOR, 'activity.task.manage', taskWithoutCreator, false],
	['visitor', VISITOR, 'activity.join', { bodyId: TOWN }, false],
	['operator without membership', operatorOnly, 'activity.read', {}, false],
	['operator without membership', operatorOnly, 'activity.edit', byCoordination, false],
	['coordinator of another network', foreignCoordinator, 'activity.read', {}, false],
	['coordinator of another network', foreignCoordinator, 'activity.create', {}, false],
	['coordinator of another network', foreignCoordinator, 'activity.edit', proposedByTown, false],
	['coordinator of another network', foreignCoordinator, 'activity.task.add', proposedByTown, false],
	['coordinator of another network', foreignCoordinator, 'activity.task.manage', othersTask, false],
	['coordinator of another network', foreignCoordinator, 'activity.join', { bodyId: TOWN }, false],
	['member of another network (same body id)', foreignMember, 'activity.edit', proposedByTown, false],
	['member of another network (same body id)', foreignMember, 'activity.task.add', townTakesPart, false],
	['member of another network (same body id, same user)', foreignMember, 'activity.task.manage', memberTask, false],
	['member of another network (same body id)', foreignMember, 'activity.join', { bodyId: TOWN }, false]
];

describe('canActivity', () => {
	it.each(table)('%s: %s on %j → %s', (_who, a, action, subject, allowed) => {
		expect(canActivity(a, action, { networkId: NET, ...subject })).toBe(allowed);
	});
});

describe('canReadActivity', () => {
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
		expect(canReadActivity(a, { networkId: NET, isPublic })).toBe(allowed);
	});
});

describe('actingBodyIds', () => {
	it('is null (all) for coordinators, the own bodies for members, none for others', () => {
		expect(actingBodyIds(coordinator, NET)).toBeNull();
		expect(actingBodyIds(member, NET)).toEqual([TOWN]);
		expect(actingBodyIds(partner, NET)).toEqual([]);
		expect(actingBodyIds(VISITOR, NET)).toEqual([]);
		expect(actingBodyIds(foreignCoordinator, NET)).toEqual([]);
	});
});
