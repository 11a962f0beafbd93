// Self-service for one's own account: export (GDPR Art. 15/20) and deletion (Art. 17).
import { and, eq, inArray, isNull, desc, or, sql } from 'drizzle-orm';
import { ensureAnotherCoordinator } from '../network/members';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { auditLog, invitations, memberships, membershipBodies, bodies, networks, people, sessions, accounts, users, verifications } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { parseForm, requiredText } from '../validation';
import { citizenProfiles, comments, follows, ideaSupports, ideas, pledgeActions, pledges, reports } from '../participation/schema';
import { DELETED_AUTHOR } from '../participation/profiles';
import { decodeReason } from '../participation/reports';

export async function accountExists(email: string): Promise<boolean> {
	const [u] = await db().select({ id: users.id }).from(users).where(and(eq(users.email, email.toLowerCase()), isNull(users.deletedAt)));
	return !!u;
}

function requireUser(actor: Actor): string {
	if (!actor.userId) throw new ForbiddenError();
	return actor.userId;
}

/** Everything stored about the person, as one JSON document. */
export async function exportAccount(actor: Actor) {
	const userId = requireUser(actor);
	const [u] = await db().select().from(users).where(eq(users.id, userId));
	const ms = await db()
		.select({ network: networks.name, slug: networks.slug, role: memberships.role, since: memberships.createdAt, id: memberships.id })
		.from(memberships)
		.innerJoin(networks, eq(networks.id, memberships.networkId))
		.where(eq(memberships.userId, userId));
	const mb = await db()
		.select({ membershipId: membershipBodies.membershipId, body: bodies.name })
		.from(membershipBodies)
		.innerJoin(memberships, eq(memberships.id, membershipBodies.membershipId))
		.innerJoin(bodies, eq(bodies.id, membershipBodies.bodyId))
		.where(eq(memberships.userId, userId));
	const dir = await db()
		.select({ network: networks.name, name: people.name, function: people.function, email: people.email, phone: people.phone, tenureFrom: people.tenureFrom, tenureUntil: people.tenureUntil })
		.from(people)
		.innerJoin(networks, eq(networks.id, people.networkId))
		.where(eq(people.userId, userId));
	const sess = await db()
		.select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt, ipAddress: sessions.ipAddress, userAgent: sessions.userAgent })
		.from(sessions)
		.where(eq(sessions.userId, userId));
	const changes = await db()
		.select({ at: auditLog.createdAt, action: auditLog.action, recordType: auditLog.recordType, recordId: auditLog.recordId, after: auditLog.after })
		.from(auditLog)
		.where(eq(auditLog.actorUserId, userId))
		.orderBy(desc(auditLog.createdAt))
		.limit(10_000);
	const participation = await exportParticipation(userId);
	return {
		exportedAt: new Date().toISOString(),
		account: { name: u.name, email: u.email, emailVerified: u.emailVerified, createdAt: u.createdAt, locale: u.locale, isOperator: u.isOperator },
		memberships: ms.map((m) => ({ network: m.network, slug: m.slug, role: m.role, since: m.since, bodies: mb.filter((b) => b.membershipId === m.id).map((b) => b.body) })),
		directoryEntries: dir,
		sessions: sess,
		changesMade: changes,
		participation
	};
}

/** The participation portal's data of the person: profile with consent, ideas, comments, supports, pledges, follows, reports. */
async function exportParticipation(userId: string) {
	const [profile] = await db().select().from(citizenProfiles).where(eq(citizenProfiles.userId, userId));
	const [myIdeas, myComments, supports, myPledges, myFollows, myReports] = await Promise.all([
		db()
			.select({
				network: networks.slug,
				id: ideas.id,
				title: ideas.title,
				body: ideas.body,
				locationText: ideas.locationText,
				lat: ideas.lat,
				lng: ideas.lng,
				photoFileId: ideas.photoFileId,
				photoAlt: ideas.photoAlt,
				authorName: ideas.authorName,
				state: ideas.state,
				stateReason: ideas.stateReason,
				createdAt: ideas.createdAt,
				publishedAt: ideas.publishedAt
			})
			.from(ideas)
			.innerJoin(networks, eq(networks.id, ideas.networkId))
			.where(eq(ideas.authorId, userId))
			.orderBy(ideas.createdAt),
		db()
			.select({ network: networks.slug, id: comments.id, targetType: comments.targetType, targetId: comments.targetId, body: comments.body, state: comments.state, createdAt: comments.createdAt })
			.from(comments)
			.innerJoin(networks, eq(networks.id, comments.networkId))
			.where(eq(comments.authorId, userId))
			.orderBy(comments.createdAt),
		db()
			.select({ network: networks.slug, ideaId: ideaSupports.ideaId, idea: ideas.title, createdAt: ideaSupports.createdAt })
			.from(ideaSupports)
			.innerJoin(ideas, eq(ideas.id, ideaSupports.ideaId))
			.innerJoin(networks, eq(networks.id, ideas.networkId))
			.where(eq(ideaSupports.userId, userId))
			.orderBy(ideaSupports.createdAt),
		db()
			.select({ network: networks.slug, action: pledgeActions.title, postcode: pledges.postcode, createdAt: pledges.createdAt })
			.from(pledges)
			.innerJoin(pledgeActions, eq(pledgeActions.id, pledges.actionId))
			.innerJoin(networks, eq(networks.id, pledges.networkId))
			.where(eq(pledges.userId, userId)),
		db()
			.select({ network: networks.slug, targetType: follows.targetType, targetId: follows.targetId, createdAt: follows.createdAt })
			.from(follows)
			.innerJoin(networks, eq(networks.id, follows.networkId))
			.where(eq(follows.userId, userId)),
		db()
			.select({
				network: networks.slug,
				targetType: reports.targetType,
				targetId: reports.targetId,
				reason: reports.reason,
				state: reports.state,
				createdAt: reports.createdAt,
				resolvedAt: reports.resolvedAt
			})
			.from(reports)
			.innerJoin(networks, eq(networks.id, reports.networkId))
			.where(eq(reports.reporterId, userId))
			.orderBy(reports.createdAt)
	]);
	return {
		profile: profile
			? {
					kind: profile.kind,
					organisation: profile.organisation,
					groupSize: profile.groupSize,
					consent: { version: profile.consentVersion, text: profile.consentText, givenAt: profile.consentedAt, withdrawnAt: profile.consentWithdrawnAt }
				}
			: null,
		ideas: myIdeas,
		comments: myComments,
		supports,
		pledges: myPledges,
		follows: myFollows,
		// The reason as chosen, with the person's own note ("other: …") apart.
		reports: myReports.map(({ reason, ...r }) => ({ ...r, ...decodeReason(reason) }))
	};
}

export async function renameAccount(actor: Actor, input: unknown) {
	const userId = requireUser(actor);
	const data = parseForm(z.object({ name: requiredText(200) }), input);
	await db().update(users).set({ name: data.name, updatedAt: new Date() }).where(eq(users.id, userId));
}

export const DELETED_NAME = 'ehemaliges Mitglied';

/**
 * The participation side of a deletion: supports go (and the ideas' counts drop with them),
 * follows and the profile with its consent go, pledges stay counted without the person, and
 * ideas and comments stay but no longer carry the person's name.
 */
async function forgetParticipation(tx: Tx, userId: string) {
	const dropped = await tx.delete(ideaSupports).where(eq(ideaSupports.userId, userId)).returning({ ideaId: ideaSupports.ideaId });
	if (dropped.length) {
		await tx
			.update(ideas)
			.set({ supportCount: sql`greatest(${ideas.supportCount} - 1, 0)` })
			.where(inArray(ideas.id, dropped.map((d) => d.ideaId)));
	}
	await tx.delete(follows).where(eq(follows.userId, userId));
	await tx.update(pledges).set({ userId: null }).where(eq(pledges.userId, userId));
	await tx.update(ideas).set({ authorName: DELETED_AUTHOR }).where(eq(ideas.authorId, userId));
	await tx.update(comments).set({ authorName: DELETED_AUTHOR }).where(eq(comments.authorId, userId));
	await tx.delete(citizenProfiles).where(eq(citizenProfiles.userId, userId));
}

/**
 * Deletes the account: name and e-mail are wiped, sessions, password and roles removed. What the
 * person wrote stays (the audit log and records keep the user id, shown as "ehemaliges Mitglied";
 * ideas and comments of the portal as "gelöschtes Konto", see forgetParticipation).
 */
export async function deleteAccount(actor: Actor, input: unknown) {
	const userId = requireUser(actor);
	const data = parseForm(z.object({ confirmEmail: z.string().trim().toLowerCase().max(254, { error: 'validation.tooLong' }) }), input);
	if (data.confirmEmail !== actor.email.toLowerCase()) throw new ValidationError({ confirmEmail: 'account.confirmMismatch' });
	await db().transaction(async (tx) => {
		const ms = await tx.select().from(memberships).where(eq(memberships.userId, userId));
		for (const m of ms) {
			if (m.role === 'coordinator') {
				await ensureAnotherCoordinator(tx, m.networkId, m.id, 'account.lastCoordinator');
			}
			await recordChange(tx, actor, { networkId: m.networkId, action: 'delete', recordType: 'membership', recordId: m.id, before: { role: m.role }, after: { reason: 'account_deleted' } });
		}
		await tx.delete(memberships).where(eq(memberships.userId, userId));
		const linked = await tx.update(people).set({ userId: null }).where(eq(people.userId, userId)).returning({ id: people.id, networkId: people.networkId });
		for (const p of linked) {
			await recordChange(tx, actor, { networkId: p.networkId, action: 'update', recordType: 'person', recordId: p.id, before: { linkedAccount: true }, after: { linkedAccount: false } });
		}
		await tx.update(invitations).set({ invitedBy: null }).where(eq(invitations.invitedBy, userId));
		// Invitations to the person and their audit entries named them: erase that too (Art. 17).
		const email = actor.email.toLowerCase();
		await tx.update(invitations).set({ email: `geloescht-${userId}@invalid`, name: '' }).where(sql`lower(${invitations.email}) = ${email}`);
		await tx
			.update(auditLog)
			.set({ after: sql`${auditLog.after} - 'email' - 'name'` })
			.where(and(eq(auditLog.recordType, 'invitation'), sql`lower(${auditLog.after}->>'email') = ${email}`));
		await tx.delete(sessions).where(eq(sessions.userId, userId));
		// Open reset and sign-in links must not bring the account back: reset rows hold the user
		// id, e-mail link rows the address.
		await tx
			.delete(verifications)
			.where(or(eq(verifications.value, userId), sql`position(${'"' + actor.email.toLowerCase() + '"'} in lower(${verifications.value})) > 0`));
		await tx.delete(accounts).where(eq(accounts.userId, userId));
		await forgetParticipation(tx, userId);
		await tx
			.update(users)
			.set({ name: DELETED_NAME, email: `geloescht-${userId}@invalid`, emailVerified: false, image: null, isOperator: false, deletedAt: new Date(), updatedAt: new Date() })
			.where(eq(users.id, userId));
	});
}
