// Pure permission rules of the network directory and administration. No I/O: the caller passes
// the actor and the subject; tests check them as role × action tables.
import { membershipIn, type Actor, WORKING_AREA_ROLES } from '../auth/actor';

export type NetworkAction =
	/** Enter the network's working area (directory with contacts, members' pages). */
	| 'network.enter'
	| 'network.editProfile'
	| 'network.manageMembers'
	| 'network.readAudit'
	| 'body.edit'
	| 'person.create'
	| 'person.edit'
	| 'person.readContact'
	| 'partner.edit';

export interface NetworkSubject {
	networkId: string;
	/** For body.edit, person.create, person.edit: the body concerned, if any. */
	bodyId?: string | null;
	/** For person.edit: the account the person record is linked to, if any. */
	personUserId?: string | null;
}

const WORKING_AREA = new Set<string>(WORKING_AREA_ROLES);

export function canNetwork(actor: Actor, action: NetworkAction, subject: NetworkSubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	const coordinator = m.role === 'coordinator';
	const ownsBody = m.role === 'member' && !!subject.bodyId && m.bodyIds.includes(subject.bodyId);
	switch (action) {
		case 'network.enter':
		case 'person.readContact':
			return WORKING_AREA.has(m.role);
		case 'network.editProfile':
		case 'network.manageMembers':
		case 'network.readAudit':
		case 'partner.edit':
			return coordinator;
		case 'body.edit':
		case 'person.create':
			return coordinator || ownsBody;
		case 'person.edit':
			return (
				coordinator ||
				ownsBody ||
				(WORKING_AREA.has(m.role) && !!actor.userId && subject.personUserId === actor.userId)
			);
	}
}

export type OperatorAction =
	| 'networks.create'
	| 'networks.list'
	| 'jobs.read'
	/** Send the notification digests now (a write: queues a job). */
	| 'notifications.send';

export function canOperate(actor: Actor, _action: OperatorAction): boolean {
	return actor.isOperator;
}
