import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { assessableBodyIds, canOffer, type OfferAction, type OfferSubject } from './permissions';

const NET = 'net-1';
const OTHER_NET = 'net-2';
const TOWN = 'body-town';
const OTHER_TOWN = 'body-other';
const ORG = 'partner-org';
const OTHER_ORG = 'partner-other';

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
const otherMember: Actor = { ...actor('member', [OTHER_TOWN]), userId: 'u-other-member' };
const partner = actor('partner');
const citizen = actor('citizen');
const foreignCoordinator = actor('coordinator', [], OTHER_NET);
const operatorOnly: Actor = { ...VISITOR, userId: 'op', isOperator: true };

const own = { createdBy: 'u-member' };
const others = { createdBy: 'u-someone' };
const forTown = { bodyId: TOWN };
const forOtherTown = { bodyId: OTHER_TOWN };
const asOrg = { partnerId: ORG, actorPartnerId: ORG };
const asOtherOrg = { partnerId: OTHER_ORG, actorPartnerId: ORG };
const asOrgUnlinked = { partnerId: ORG, actorPartnerId: null };
const both = { bodyId: TOWN, partnerId: ORG, actorPartnerId: ORG };

type Row = [string, Actor, OfferAction, Omit<OfferSubject, 'networkId'>, boolean];
const table: Row[] = [
	['coordinator', coordinator, 'offer.read', {}, true],
	['coordinator', coordinator, 'offer.create', {}, true],
	['coordinator', coordinator, 'offer.edit', others, true],
	['coordinator', coordinator, 'offer.archive', others, true],
	['coordinator', coordinator, 'offer.assess', forTown, true],
	['coordinator', coordinator, 'offer.assess', forOtherTown, true],
	['coordinator', coordinator, 'offer.assess', asOrg, false],
	['coordinator', coordinator, 'offer.assess', {}, false],
	['coordinator', coordinator, 'offer.discussed', {}, true],
	['member', member, 'offer.read', {}, true],
	['member', member, 'offer.create', {}, true],
	['member', member, 'offer.edit', own, true],
	['member', member, 'offer.edit', others, false],
	['member', member, 'offer.edit', { createdBy: null }, false],
	['member', member, 'offer.archive', own, true],
	['member', member, 'offer.archive', others, false],
	['member', member, 'offer.assess', forTown, true],
	['member', member, 'offer.assess', forOtherTown, false],
	['member', member, 'offer.assess', asOrg, false],
	['member', member, 'offer.assess', both, false],
	['member', member, 'offer.discussed', {}, false],
	['member of another town', otherMember, 'offer.assess', forTown, false],
	['member of another town', otherMember, 'offer.edit', own, false],
	['partner', partner, 'offer.read', {}, true],
	['partner', partner, 'offer.create', {}, false],
	['partner', partner, 'offer.edit', { createdBy: 'u-partner' }, false],
	['partner', partner, 'offer.archive', { createdBy: 'u-partner' }, false],
	['partner', partner, 'offer.assess', asOrg, true],
	['partner', partner, 'offer.assess', asOtherOrg, false],
	['partner', partner, 'offer.assess', asOrgUnlinked, false],
	['partner', partner, 'offer.assess', forTown, false],
	['partner', partner, 'offer.assess', both, false],
	['partner', partner, 'offer.discussed', {}, false],
	['citizen', citizen, 'offer.read', {}, false],
	['citizen', citizen, 'offer.create', {}, false],
	['citizen', citizen, 'offer.assess', forTown, false],
	['visitor', VISITOR, 'offer.read', {}, false],
	['visitor', VISITOR, 'offer.edit', { createdBy: null }, false],
	['visitor', VISITOR, 'offer.assess', forTown, false],
	['operator without membership', operatorOnly, 'offer.read', {}, false],
	['operator without membership', operatorOnly, 'offer.discussed', {}, false],
	['coordinator of another network', foreignCoordinator, 'offer.read', {}, false],
	['coordinator of another network', foreignCoordinator, 'offer.edit', others, false],
	['coordinator of another network', foreignCoordinator, 'offer.assess', forTown, false],
	['coordinator of another network', foreignCoordinator, 'offer.discussed', {}, false]
];

describe('canOffer', () => {
	it.each(table)('%s: %s on %o → %s', (_who, a, action, subject, allowed) => {
		expect(canOffer(a, action, { networkId: NET, ...subject })).toBe(allowed);
	});
});

describe('assessableBodyIds', () => {
	it('is null (all) for coordinators, the own bodies for members, none for others', () => {
		expect(assessableBodyIds(coordinator, NET)).toBeNull();
		expect(assessableBodyIds(member, NET)).toEqual([TOWN]);
		expect(assessableBodyIds(partner, NET)).toEqual([]);
		expect(assessableBodyIds(citizen, NET)).toEqual([]);
		expect(assessableBodyIds(VISITOR, NET)).toEqual([]);
		expect(assessableBodyIds(foreignCoordinator, NET)).toEqual([]);
	});
});
