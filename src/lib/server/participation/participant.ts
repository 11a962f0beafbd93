// Who may post in the portal: a signed-in account with a participation profile whose consent is
// in force. Every posting command (idea, comment, support, pledge with account, follow) starts here.
import { eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor';
import { db, type Db, type Tx } from '../db/client';
import { users } from '../auth/schema';
import { citizenProfiles } from './schema';
import { ForbiddenError } from '../errors';

export interface Participant {
	userId: string;
	/** The display name, or for a group account the group's name ("Klasse 4b"). */
	name: string;
	kind: 'person' | 'group';
	organisation: string;
}

export type ParticipantState = 'signed_out' | 'no_consent' | 'consent_withdrawn' | 'ok';

export async function loadProfile(userId: string, tx: Db | Tx = db()) {
	const [p] = await tx.select().from(citizenProfiles).where(eq(citizenProfiles.userId, userId));
	return p ?? null;
}

/** Where the actor stands: the portal shows a sign-in or consent hint instead of a form. */
export async function participantState(actor: Actor): Promise<ParticipantState> {
	if (!actor.userId) return 'signed_out';
	const p = await loadProfile(actor.userId);
	if (!p) return 'no_consent';
	return p.consentWithdrawnAt ? 'consent_withdrawn' : 'ok';
}

/** The participant behind the actor, or ForbiddenError('participation.<state>') when they may not post. */
export async function requireParticipant(actor: Actor, tx: Db | Tx = db()): Promise<Participant> {
	if (!actor.userId) throw new ForbiddenError('participation.signed_out');
	const [row] = await tx
		.select({ name: users.name, deletedAt: users.deletedAt, profile: citizenProfiles })
		.from(users)
		.leftJoin(citizenProfiles, eq(citizenProfiles.userId, users.id))
		.where(eq(users.id, actor.userId));
	if (!row || row.deletedAt) throw new ForbiddenError('participation.signed_out');
	if (!row.profile) throw new ForbiddenError('participation.no_consent');
	if (row.profile.consentWithdrawnAt) throw new ForbiddenError('participation.consent_withdrawn');
	return { userId: actor.userId, name: row.name, kind: row.profile.kind, organisation: row.profile.organisation };
}

/** The name shown with a post: a group shows its organisation too ("Klasse 4b, Grundschule Thale"). */
export function shownName(p: Participant): string {
	return p.kind === 'group' && p.organisation ? `${p.name}, ${p.organisation}` : p.name;
}
