// Pure permission rules of meetings, their agenda, attachments, answers and follow-ups.
// No I/O; tested as role × action tables.
import { membershipIn, type Actor, WORKING_AREA_ROLES } from '../auth/actor';

export type MeetingAction =
	/** See the internal meeting (all fields, agenda notes, participants, minutes): the working area. */
	| 'meeting.read'
	/** Create, edit, cancel, mark held; manage the agenda; send invitations; minutes and decisions. */
	| 'meeting.manage'
	/** Propose an agenda item (shown as proposed by them; coordinators edit or remove it). */
	| 'meeting.proposeItem'
	/**
	 * Upload slides and PDFs to a meeting, and delete them (canDeleteAttachment). Coordinators only:
	 * files/service.ts attaches files to records the actor may edit (registry canEdit of 'meeting').
	 */
	| 'meeting.upload'
	/** Answer an invitation yes / no / maybe. */
	| 'meeting.attend'
	/** Update a follow-up (state, note): coordinator any; the owner person's user or a member of the owner body. */
	| 'followUp.edit';

export interface MeetingSubject {
	networkId: string;
	/** For followUp.edit: the user of the owner person (people.user_id), if any. */
	ownerUserId?: string | null;
	/** For followUp.edit: the owner body. */
	ownerBodyId?: string | null;
}

const WORKING_AREA = new Set<string>(WORKING_AREA_ROLES);

export function canMeeting(actor: Actor, action: MeetingAction, subject: MeetingSubject): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'meeting.read':
		case 'meeting.attend':
			return WORKING_AREA.has(m.role);
		case 'meeting.manage':
		case 'meeting.upload':
			return m.role === 'coordinator';
		case 'meeting.proposeItem':
			return m.role === 'coordinator' || m.role === 'member';
		case 'followUp.edit':
			if (m.role === 'coordinator') return true;
			if (!WORKING_AREA.has(m.role)) return false;
			if (subject.ownerUserId && actor.userId && subject.ownerUserId === actor.userId) return true;
			return m.role === 'member' && !!subject.ownerBodyId && m.bodyIds.includes(subject.ownerBodyId);
	}
}

/**
 * Whether the actor sees a meeting at all: the working area sees every meeting of the network,
 * everyone else only public ones – and of those only the public fields (title, time, host town,
 * venue, description, agenda titles; never participants, notes or minutes).
 */
export function canReadMeeting(actor: Actor, meeting: { networkId: string; isPublic: boolean }): boolean {
	return meeting.isPublic || canMeeting(actor, 'meeting.read', { networkId: meeting.networkId });
}

/**
 * Attachments are removed by those who may upload them: the coordinators. (No uploader rule: only
 * coordinators upload, and a former coordinator's files are the coordination's to keep or remove.)
 */
export function canDeleteAttachment(actor: Actor, networkId: string): boolean {
	return canMeeting(actor, 'meeting.upload', { networkId });
}

/** A proposed agenda item may be edited by coordinators, and by its proposer while the proposer may still propose. */
export function canEditAgendaItem(actor: Actor, networkId: string, proposedBy: string | null): boolean {
	if (canMeeting(actor, 'meeting.manage', { networkId })) return true;
	return !!proposedBy && proposedBy === actor.userId && canMeeting(actor, 'meeting.proposeItem', { networkId });
}
