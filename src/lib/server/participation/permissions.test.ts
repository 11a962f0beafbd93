import { describe, expect, it } from 'vitest';
import { VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { canParticipation, requireParticipation, type ParticipationAction } from './permissions';

const NET = 'n-1';
const TOWN = 'b-town';
const OTHER = 'b-other';

function actor(role: NetworkRole | 'visitor', bodyIds: string[] = []): Actor {
	if (role === 'visitor') return VISITOR;
	return { userId: `u-${role}`, name: role, email: `${role}@example.org`, isOperator: false, memberships: [{ networkId: NET, slug: 'harz', networkName: 'Harz', role, bodyIds }] };
}

// role, action, body of the subject, allowed
const table: [NetworkRole | 'visitor', ParticipationAction, string | null, boolean][] = [
	['coordinator', 'participation.manage', null, true],
	['member', 'participation.manage', null, false],
	['partner', 'participation.manage', null, false],
	['citizen', 'participation.manage', null, false],
	['visitor', 'participation.manage', null, false],
	['coordinator', 'participation.moderate', null, true],
	['coordinator', 'participation.moderate', OTHER, true],
	['member', 'participation.moderate', TOWN, true],
	['member', 'participation.moderate', OTHER, false],
	['member', 'participation.moderate', null, false],
	['partner', 'participation.moderate', TOWN, false],
	['citizen', 'participation.moderate', TOWN, false],
	['visitor', 'participation.moderate', TOWN, false]
];

describe('participation permissions', () => {
	it.each(table)('%s, %s on body %s: %s', (role, action, bodyId, allowed) => {
		const a = actor(role, [TOWN]);
		expect(canParticipation(a, action, { networkId: NET, bodyId })).toBe(allowed);
		const check = () => requireParticipation(a, action, { networkId: NET, bodyId });
		if (allowed) expect(check).not.toThrow();
		else expect(check).toThrow(ForbiddenError);
	});

	it('a role in one network grants nothing in another', () => {
		expect(() => requireParticipation(actor('coordinator'), 'participation.manage', { networkId: 'n-2' })).toThrow(ForbiddenError);
	});
});
