// Citizen and group accounts: sign-up with consent (no password; the e-mail link signs in and
// proves the address), the participation profile, consent withdrawn and given again, and the
// person's own contributions for /konto.
import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, isNull, lt, notExists, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { auth } from '../auth';
import { db } from '../db/client';
import { accounts, memberships, networks, users } from '../db/schema';
import { citizenProfiles, comments, ideaSupports, ideas, pledgeActions, pledges } from './schema';
import { loadProfile } from './participant';
import { checkHoneypot, limitPosting } from './abuse';
import { recordChange } from '../audit/service';
import { ForbiddenError, ValidationError } from '../errors';
import { email as emailSchema } from '../validation';
import { parseFields, pageOpts } from '../network/directory-shared';
import { listMyFollows } from './follows';
import { log } from '../log';

/** Raise the version whenever the text changes: each profile keeps the text it agreed to. */
export const CONSENT_VERSION = '2024-06';
export const CONSENT_TEXT =
	'Ich bin mindestens 16 Jahre alt. Melde ich eine Gruppe an, bin ich ihre erwachsene Leitung. ' +
	'Ich bin einverstanden: Das Beteiligungsportal speichert meinen Namen (oder den Namen meiner Gruppe), meine E-Mail-Adresse und meine Beiträge. ' +
	'Mein Name und meine Beiträge sind öffentlich zu sehen. Meine E-Mail-Adresse ist nicht öffentlich. ' +
	'Ich kann diese Einwilligung jederzeit in meinem Konto zurücknehmen oder mein Konto löschen.';

/** Unconfirmed sign-ups are removed after this many days (see purgeUnconfirmedCitizens). */
export const UNCONFIRMED_DAYS = 7;

/** The name shown on ideas and comments of a deleted account. */
export const DELETED_AUTHOR = 'gelöschtes Konto';

const nameField = z.string().trim().min(1, { error: 'validation.required' }).max(80, { error: 'citizen.tooLong80' });
const orgField = z.string().trim().max(200, { error: 'citizen.tooLong200' });
const groupSizeField = z
	.string()
	.trim()
	.refine((s) => s === '' || (/^\d{1,4}$/.test(s) && Number(s) >= 1 && Number(s) <= 1000), { error: 'citizen.groupSizeRange' })
	.transform((s) => (s === '' ? null : Number(s)));
const kindField = z.enum(['person', 'group'], { error: 'citizen.kindRequired' });
const consentField = z.literal('on', { error: 'citizen.consentRequired' });
const emailField = z.string().pipe(emailSchema);

const detailsShape = { name: nameField, kind: kindField, organisation: orgField, groupSize: groupSizeField };

function parseDetails(input: unknown) {
	const d = parseFields(detailsShape, input);
	// A person has no organisation or group size; whatever the form still held is dropped.
	return d.kind === 'group' ? d : { ...d, organisation: '', groupSize: null };
}

/** Sends the one-time link that confirms the address and signs in (better-auth's magic link). */
async function sendConfirmationLink(email: string, purpose: 'signup' | 'signin', headers: Headers, target?: string) {
	await auth().api.signInMagicLink({
		body: {
			email,
			callbackURL: target ?? (purpose === 'signup' ? '/konto?willkommen=1' : '/konto'),
			errorCallbackURL: '/anmelden?fehler=link',
			metadata: { purpose }
		},
		headers
	});
}

/**
 * Creates a citizen or group account (e-mail not yet confirmed) with its consent and mails a
 * confirmation link. The outcome is the same whether or not the address already has an account
 * (no one learns who has one): an existing account just gets a sign-in link. `who.target` is a
 * same-site path the link leads to (the caller has checked it).
 */
export async function signUpCitizen(input: Record<string, unknown>, who: { ip: string; headers?: Headers; target?: string }) {
	checkHoneypot(input);
	const errors: Record<string, string> = {};
	let details: ReturnType<typeof parseDetails> | null = null;
	try {
		details = parseDetails(input);
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		Object.assign(errors, e.fieldErrors);
	}
	const email = emailField.safeParse(input.email ?? '');
	if (!email.success) errors.email = email.error.issues[0]?.message ?? 'validation.email';
	if (!consentField.safeParse(input.consent).success) errors.consent = 'citizen.consentRequired';
	if (Object.keys(errors).length || !details || !email.success) throw new ValidationError(errors);
	await limitPosting('signup', { ip: who.ip });

	const address = email.data;
	const created = await db().transaction(async (tx) => {
		const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, address));
		if (existing) return false;
		const id = randomUUID();
		// A concurrent sign-up with the same address loses quietly (same answer to both).
		const inserted = await tx
			.insert(users)
			.values({ id, email: address, name: details.name, emailVerified: false })
			.onConflictDoNothing()
			.returning({ id: users.id });
		if (!inserted.length) return false;
		await tx.insert(citizenProfiles).values({
			userId: id,
			kind: details.kind,
			organisation: details.organisation,
			groupSize: details.groupSize,
			consentVersion: CONSENT_VERSION,
			consentText: CONSENT_TEXT,
			consentedAt: new Date()
		});
		await recordChange(tx, { userId: id } as Actor, {
			networkId: null,
			action: 'create',
			recordType: 'citizen_profile',
			recordId: id,
			after: { kind: details.kind, consentVersion: CONSENT_VERSION }
		});
		return true;
	});
	const [u] = await db().select({ deletedAt: users.deletedAt }).from(users).where(eq(users.email, address));
	if (u && !u.deletedAt) await sendConfirmationLink(address, created ? 'signup' : 'signin', who.headers ?? new Headers(), who.target);
	log.info('participation.signup', { created });
}

function requireUser(actor: Actor): string {
	if (!actor.userId) throw new ForbiddenError('participation.signed_out');
	return actor.userId;
}

export interface MyProfile {
	name: string;
	email: string;
	kind: 'person' | 'group';
	organisation: string;
	groupSize: number | null;
	consent: { version: string; text: string; at: Date; withdrawnAt: Date | null } | null;
}

/** The actor's participation profile (null consent: never consented, e.g. a network member). */
export async function myProfile(actor: Actor): Promise<MyProfile> {
	const userId = requireUser(actor);
	const p = await loadProfile(userId);
	return {
		name: actor.name,
		email: actor.email,
		kind: p?.kind ?? 'person',
		organisation: p?.organisation ?? '',
		groupSize: p?.groupSize ?? null,
		consent: p ? { version: p.consentVersion, text: p.consentText, at: p.consentedAt, withdrawnAt: p.consentWithdrawnAt } : null
	};
}

/** Changes the display name and, for groups, organisation and size. */
export async function updateProfile(actor: Actor, input: unknown) {
	const userId = requireUser(actor);
	const d = parseDetails(input);
	await db().transaction(async (tx) => {
		const before = await loadProfile(userId, tx);
		await tx.update(users).set({ name: d.name, updatedAt: new Date() }).where(eq(users.id, userId));
		if (before) {
			await tx
				.update(citizenProfiles)
				.set({ kind: d.kind, organisation: d.organisation, groupSize: d.groupSize })
				.where(eq(citizenProfiles.userId, userId));
		}
		await recordChange(tx, actor, {
			networkId: null,
			action: 'update',
			recordType: 'citizen_profile',
			recordId: userId,
			before: { name: actor.name, kind: before?.kind, organisation: before?.organisation, groupSize: before?.groupSize },
			after: { name: d.name, kind: before ? d.kind : undefined, organisation: before ? d.organisation : undefined, groupSize: before ? d.groupSize : undefined }
		});
	});
}

/** Gives consent (first time, or again after withdrawing it) with the current text. */
export async function giveConsent(actor: Actor, input: Record<string, unknown>) {
	const userId = requireUser(actor);
	if (!consentField.safeParse(input.consent).success) throw new ValidationError({ consent: 'citizen.consentTick' });
	const now = new Date();
	await db().transaction(async (tx) => {
		await tx
			.insert(citizenProfiles)
			.values({ userId, consentVersion: CONSENT_VERSION, consentText: CONSENT_TEXT, consentedAt: now })
			.onConflictDoUpdate({
				target: citizenProfiles.userId,
				set: { consentVersion: CONSENT_VERSION, consentText: CONSENT_TEXT, consentedAt: now, consentWithdrawnAt: null }
			});
		await recordChange(tx, actor, { networkId: null, action: 'update', recordType: 'consent', recordId: userId, after: { given: true, version: CONSENT_VERSION } });
	});
}

/** Withdraws consent: the person can no longer post; what they posted stays. */
export async function withdrawConsent(actor: Actor) {
	const userId = requireUser(actor);
	await db().transaction(async (tx) => {
		const changed = await tx
			.update(citizenProfiles)
			.set({ consentWithdrawnAt: new Date() })
			.where(and(eq(citizenProfiles.userId, userId), isNull(citizenProfiles.consentWithdrawnAt)))
			.returning({ userId: citizenProfiles.userId });
		if (changed.length) {
			await recordChange(tx, actor, { networkId: null, action: 'update', recordType: 'consent', recordId: userId, after: { given: false } });
		}
	});
}

/** "Meine Beiträge": own ideas (with state and reason), comment count, pledges, follows. Each list paginates. */
export async function myContributions(
	actor: Actor,
	opts: { ideasPage?: number; pledgesPage?: number; followsPage?: number; supportsPage?: number } = {}
) {
	const userId = requireUser(actor);
	const ip = pageOpts({ page: opts.ideasPage }, 10);
	const pp = pageOpts({ page: opts.pledgesPage }, 10);
	const sp = pageOpts({ page: opts.supportsPage }, 10);
	const [[{ ideaTotal }], ideaRows, [{ commentTotal }], [{ pledgeTotal }], pledgeRows, followed, [{ supportTotal }], supportRows] = await Promise.all([
		db().select({ ideaTotal: count() }).from(ideas).where(eq(ideas.authorId, userId)),
		db()
			.select({
				id: ideas.id,
				title: ideas.title,
				state: ideas.state,
				stateReason: ideas.stateReason,
				createdAt: ideas.createdAt,
				supportCount: ideas.supportCount,
				networkSlug: networks.slug,
				networkName: networks.name
			})
			.from(ideas)
			.innerJoin(networks, eq(networks.id, ideas.networkId))
			.where(eq(ideas.authorId, userId))
			.orderBy(desc(ideas.createdAt), ideas.id)
			.limit(ip.pageSize)
			.offset(ip.offset),
		db()
			.select({ commentTotal: count() })
			.from(comments)
			.where(and(eq(comments.authorId, userId), sql`${comments.state} <> 'deleted'`)),
		db().select({ pledgeTotal: count() }).from(pledges).where(eq(pledges.userId, userId)),
		db()
			.select({ id: pledges.id, title: pledgeActions.title, createdAt: pledges.createdAt, networkSlug: networks.slug, networkName: networks.name })
			.from(pledges)
			.innerJoin(pledgeActions, eq(pledgeActions.id, pledges.actionId))
			.innerJoin(networks, eq(networks.id, pledges.networkId))
			.where(eq(pledges.userId, userId))
			.orderBy(desc(pledges.createdAt), pledges.id)
			.limit(pp.pageSize)
			.offset(pp.offset),
		listMyFollows(actor, { page: opts.followsPage, pageSize: 10 }),
		db().select({ supportTotal: count() }).from(ideaSupports).where(eq(ideaSupports.userId, userId)),
		// Supported ideas whatever became of them: here one can withdraw a support even when the
		// idea was taken down and its page is gone for everyone but its author.
		db()
			.select({ id: ideas.id, title: ideas.title, state: ideas.state, networkId: ideas.networkId, networkSlug: networks.slug, networkName: networks.name })
			.from(ideaSupports)
			.innerJoin(ideas, eq(ideas.id, ideaSupports.ideaId))
			.innerJoin(networks, eq(networks.id, ideas.networkId))
			.where(eq(ideaSupports.userId, userId))
			.orderBy(desc(ideaSupports.createdAt), ideas.id)
			.limit(sp.pageSize)
			.offset(sp.offset)
	]);
	return {
		ideas: { items: ideaRows, total: ideaTotal, page: ip.page, pageSize: ip.pageSize },
		commentCount: commentTotal,
		pledges: { items: pledgeRows, total: pledgeTotal, page: pp.page, pageSize: pp.pageSize },
		follows: followed,
		supports: { items: supportRows, total: supportTotal, page: sp.page, pageSize: sp.pageSize }
	};
}

/**
 * Housekeeping: sign-ups whose address was never confirmed are removed after UNCONFIRMED_DAYS.
 * Only pure citizen accounts qualify (a profile, no password, no network role): invited members
 * also start unconfirmed but sign in with a password.
 */
export async function purgeUnconfirmedCitizens(now: Date = new Date()) {
	const cutoff = new Date(now.getTime() - UNCONFIRMED_DAYS * 24 * 3600 * 1000);
	const removed = await db()
		.delete(users)
		.where(
			and(
				eq(users.emailVerified, false),
				isNull(users.deletedAt),
				lt(users.createdAt, cutoff),
				sql`exists (select 1 from ${citizenProfiles} where ${citizenProfiles.userId} = ${users.id})`,
				notExists(db().select({ one: sql`1` }).from(accounts).where(eq(accounts.userId, users.id))),
				notExists(db().select({ one: sql`1` }).from(memberships).where(eq(memberships.userId, users.id)))
			)
		)
		.returning({ id: users.id });
	if (removed.length) log.info('participation.unconfirmed_purged', { count: removed.length });
	return removed.length;
}
