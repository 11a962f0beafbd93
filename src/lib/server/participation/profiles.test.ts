import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { users, auditLog, accounts, memberships, jobs } from '../db/schema';
import { auth, captureMagicLinks } from '../auth';
import { loadActor } from '../auth/actor';
import { citizenProfiles, comments, follows, ideaSupports, ideas, pledgeActions, pledges, reports } from './schema';
import { deleteAccount, exportAccount } from '../account/service';
import { CONSENT_TEXT, CONSENT_VERSION, DELETED_AUTHOR, giveConsent, myContributions, myProfile, purgeUnconfirmedCitizens, signUpCitizen, updateProfile, withdrawConsent } from './profiles';
import { participantState, requireParticipant } from './participant';
import { ForbiddenError, NotFoundError } from '../errors';
import { withdrawSupport } from './supports';
import { HONEYPOT_FIELD } from './abuse';

useTestDb();

let n = 0;
const ip = () => `10.9.${Math.floor(n / 250)}.${n++ % 250}`;
const person = (over: Record<string, string> = {}) => ({ email: `buerger${n}-${Date.now()}@example.org`, name: 'Maria Beispiel', kind: 'person', consent: 'on', ...over });

/** Runs a sign-up and returns the e-mail link it would have mailed (or '' when none). */
async function signUp(input: Record<string, string>) {
	let link = '';
	captureMagicLinks((u) => (link = u));
	try {
		await signUpCitizen(input, { ip: ip() });
	} finally {
		captureMagicLinks(null);
	}
	return link;
}

const userByEmail = async (email: string) => (await db().select().from(users).where(eq(users.email, email)))[0];

describe('citizen sign-up', () => {
	it('creates an unconfirmed user with a profile holding the consent as shown', async () => {
		const input = person();
		const link = await signUp(input);
		const u = await userByEmail(input.email);
		expect(u).toMatchObject({ name: 'Maria Beispiel', emailVerified: false });
		const [p] = await db().select().from(citizenProfiles).where(eq(citizenProfiles.userId, u.id));
		expect(p).toMatchObject({ kind: 'person', consentVersion: CONSENT_VERSION, consentText: CONSENT_TEXT, organisation: '', groupSize: null, consentWithdrawnAt: null });
		expect(p.consentedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
		expect(link).toContain('/api/auth/magic-link/verify');
		expect((await db().select().from(auditLog).where(eq(auditLog.recordId, u.id)))[0]).toMatchObject({ recordType: 'citizen_profile', action: 'create' });
	});

	it('the link confirms the address and signs in; used once only, then the sign-in page explains', async () => {
		const input = person();
		const link = await signUp(input);
		const first = await auth().handler(new Request(link));
		expect(first.status).toBe(302);
		expect(first.headers.get('location')).toContain('/konto?willkommen=1');
		expect(first.headers.get('set-cookie')).toMatch(/klimanetz\.session_token=/);
		expect((await userByEmail(input.email)).emailVerified).toBe(true);
		const again = await auth().handler(new Request(link));
		expect(again.headers.get('location')).toContain('/anmelden?fehler=link');
	});

	it('an address that has an account gets the same answer and a sign-in link; nothing changes', async () => {
		const existing = await makeActor(null, 'citizen');
		const link = await signUp(person({ email: existing.email, name: 'Jemand anderes' }));
		expect(link).toContain('/api/auth/magic-link/verify');
		const u = await userByEmail(existing.email);
		expect(u.name).toBe(existing.name);
		expect(await db().select().from(citizenProfiles).where(eq(citizenProfiles.userId, u.id))).toHaveLength(0);
	});

	it('queues a confirmation mail for a new account and a plain sign-in mail for a known one', async () => {
		const input = person();
		await signUpCitizen(input, { ip: ip() });
		await signUpCitizen({ ...input, name: 'Noch einmal' }, { ip: ip() });
		const mails = (await db().select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map((j) => j.payload as { to: string; subject: string; text: string }).filter((m) => m.to === input.email);
		expect(mails.map((m) => m.subject)).toEqual(['Bitte bestätigen Sie Ihre E-Mail-Adresse', 'Ihr Anmeldelink für Klimanetz']);
		expect(mails[0].text).toContain('/api/auth/magic-link/verify');
	});

	it('a group gives its name, organisation and size (no names of members)', async () => {
		const input = person({ kind: 'group', name: 'Klasse 4b', organisation: 'Grundschule Am Regenstein', groupSize: '24' });
		await signUp(input);
		const u = await userByEmail(input.email);
		const [p] = await db().select().from(citizenProfiles).where(eq(citizenProfiles.userId, u.id));
		expect(u.name).toBe('Klasse 4b');
		expect(p).toMatchObject({ kind: 'group', organisation: 'Grundschule Am Regenstein', groupSize: 24 });
		const actor = await loadActor(u.id);
		expect(await requireParticipant(actor)).toMatchObject({ name: 'Klasse 4b', kind: 'group', organisation: 'Grundschule Am Regenstein' });
	});

	it('a person keeps no organisation even if the form sent one', async () => {
		const input = person({ organisation: 'Schule', groupSize: '3' });
		await signUp(input);
		const [p] = await db().select().from(citizenProfiles).where(eq(citizenProfiles.userId, (await userByEmail(input.email)).id));
		expect(p).toMatchObject({ organisation: '', groupSize: null });
	});

	it.each([
		['no consent', { consent: '' }, { consent: 'citizen.consentRequired' }],
		['an over-long name', { name: 'x'.repeat(81) }, { name: 'citizen.tooLong80' }],
		['no name', { name: '  ' }, { name: 'validation.required' }],
		['a bad address', { email: 'kein-at' }, { email: 'validation.email' }],
		['an unknown kind', { kind: 'firma' }, { kind: 'citizen.kindRequired' }],
		['a group size of 0', { kind: 'group', groupSize: '0' }, { groupSize: 'citizen.groupSizeRange' }],
		['the honeypot filled', { [HONEYPOT_FIELD]: 'http://spam.example' }, { _form: 'participation.honeypot' }]
	])('refuses %s and stores nothing', async (_l, over, errors) => {
		const input = person(over as Record<string, string>);
		expect(await fieldErrors(signUpCitizen(input, { ip: ip() }))).toMatchObject(errors);
		if (input.email.includes('@')) expect(await userByEmail(input.email)).toBeUndefined();
	});

	it('is rate limited per address', async () => {
		const addr = ip();
		for (let i = 0; i < 10; i++) await signUpCitizen(person({ email: `rl${i}-${Date.now()}@example.org` }), { ip: addr }).catch(() => {});
		captureMagicLinks(() => {});
		try {
			expect(await fieldErrors(signUpCitizen(person(), { ip: addr }))).toEqual({ _form: 'participation.rateLimited' });
		} finally {
			captureMagicLinks(null);
		}
	});

	it('unconfirmed citizen sign-ups are purged after 7 days; confirmed, invited and member accounts stay', async () => {
		const old = person();
		await signUp(old);
		const confirmed = person();
		await signUp(confirmed);
		const oldDate = new Date(Date.now() - 8 * 24 * 3600 * 1000);
		await db().update(users).set({ createdAt: oldDate }).where(eq(users.email, old.email));
		await db().update(users).set({ createdAt: oldDate, emailVerified: true }).where(eq(users.email, confirmed.email));
		// An unconfirmed member account with a profile stays too.
		const net = await makeNetwork();
		const member = person();
		await signUp(member);
		const mu = await userByEmail(member.email);
		await db().update(users).set({ createdAt: oldDate }).where(eq(users.id, mu.id));
		await db().insert(memberships).values({ networkId: net.id, userId: mu.id, role: 'member' });
		const withPassword = person();
		await signUp(withPassword);
		const pu = await userByEmail(withPassword.email);
		await db().update(users).set({ createdAt: oldDate }).where(eq(users.id, pu.id));
		await db().insert(accounts).values({ id: `a-${pu.id}`, accountId: pu.id, providerId: 'credential', userId: pu.id, password: 'x' });
		expect(await purgeUnconfirmedCitizens()).toBe(1);
		expect(await userByEmail(old.email)).toBeUndefined();
		expect(await userByEmail(confirmed.email)).toBeDefined();
		expect(await userByEmail(member.email)).toBeDefined();
		expect(await userByEmail(withPassword.email)).toBeDefined();
	});
});

describe('consent', () => {
	it('withdrawn and given again; requireParticipant follows it', async () => {
		const input = person();
		await signUp(input);
		const actor = await loadActor((await userByEmail(input.email)).id);
		expect(await participantState(actor)).toBe('ok');
		await withdrawConsent(actor);
		expect(await participantState(actor)).toBe('consent_withdrawn');
		await expect(requireParticipant(actor)).rejects.toThrow(new ForbiddenError('participation.consent_withdrawn'));
		expect((await myProfile(actor)).consent?.withdrawnAt).toBeInstanceOf(Date);
		expect(await fieldErrors(giveConsent(actor, {}))).toEqual({ consent: 'citizen.consentTick' });
		await giveConsent(actor, { consent: 'on' });
		expect(await participantState(actor)).toBe('ok');
		expect((await myProfile(actor)).consent).toMatchObject({ withdrawnAt: null, text: CONSENT_TEXT });
		const entries = await db().select().from(auditLog).where(eq(auditLog.recordType, 'consent'));
		expect(entries.filter((e) => e.recordId === actor.userId)).toHaveLength(2);
	});

	it('a network member without a profile consents for the first time', async () => {
		const member = await makeActor((await makeNetwork()).id, 'member');
		expect(await participantState(member)).toBe('no_consent');
		await expect(requireParticipant(member)).rejects.toThrow(new ForbiddenError('participation.no_consent'));
		await giveConsent(member, { consent: 'on' });
		expect(await requireParticipant(member)).toMatchObject({ kind: 'person', name: member.name });
	});

	it('profile details change; a person drops group fields', async () => {
		const input = person({ kind: 'group', name: 'Jugendgruppe', organisation: 'Jugendclub', groupSize: '12' });
		await signUp(input);
		const actor = await loadActor((await userByEmail(input.email)).id);
		await updateProfile(actor, { name: 'Jugendgruppe Nord', kind: 'group', organisation: 'Jugendclub Thale', groupSize: '' });
		expect(await myProfile(await loadActor(actor.userId!))).toMatchObject({ name: 'Jugendgruppe Nord', organisation: 'Jugendclub Thale', groupSize: null });
		expect(await fieldErrors(updateProfile(actor, { name: '', kind: 'person' }))).toEqual({ name: 'validation.required' });
	});
});

describe('export and deletion of participation data', () => {
	async function citizenWithData() {
		const net = await makeNetwork();
		const body = await makeBody(net.id);
		const input = person({ kind: 'group', name: 'Klasse 7a', organisation: 'Gymnasium Thale' });
		await signUp(input);
		const me = await loadActor((await userByEmail(input.email)).id);
		const other = await makeActor(null, 'citizen');
		const idea = async (authorId: string, title: string, supportCount: number) =>
			(await db().insert(ideas).values({ networkId: net.id, bodyId: body.id, title, body: 'Text', authorId, authorName: 'Klasse 7a, Gymnasium Thale', state: 'published', supportCount }).returning())[0];
		const mine = await idea(me.userId!, 'Mehr Fahrradständer', 0);
		const theirs = await idea(other.userId!, 'Bäume am Markt', 2);
		await db().insert(ideaSupports).values([{ ideaId: theirs.id, userId: me.userId! }, { ideaId: theirs.id, userId: other.userId! }]);
		await db().insert(comments).values({ networkId: net.id, targetType: 'idea', targetId: theirs.id, authorId: me.userId, authorName: 'Klasse 7a', body: 'Gute Idee!' });
		const [action] = await db().insert(pledgeActions).values({ networkId: net.id, title: 'Ich fahre Rad', savingsKg: 100 }).returning();
		await db().insert(pledges).values({ networkId: net.id, actionId: action.id, bodyId: body.id, userId: me.userId });
		await db().insert(follows).values({ userId: me.userId!, networkId: net.id, targetType: 'idea', targetId: theirs.id });
		await db().insert(reports).values({ networkId: net.id, targetType: 'idea', targetId: theirs.id, reporterId: me.userId, reason: 'other\nDoppelt eingereicht' });
		await db().insert(reports).values({ networkId: net.id, targetType: 'idea', targetId: theirs.id, reporterId: other.userId, reason: 'spam' });
		return { net, me, mine, theirs, action };
	}

	it('the export holds profile with consent, ideas, comments, supports, pledges, follows and own reports', async () => {
		const { net, me, mine, theirs } = await citizenWithData();
		const data = await exportAccount(me);
		expect(data.participation.profile).toMatchObject({ kind: 'group', organisation: 'Gymnasium Thale', consent: { text: CONSENT_TEXT, version: CONSENT_VERSION } });
		expect(data.participation.ideas).toEqual([expect.objectContaining({ id: mine.id, title: 'Mehr Fahrradständer', state: 'published' })]);
		expect(data.participation.comments).toEqual([expect.objectContaining({ body: 'Gute Idee!', targetId: theirs.id })]);
		expect(data.participation.supports).toEqual([expect.objectContaining({ network: net.slug, ideaId: theirs.id, idea: 'Bäume am Markt' })]);
		expect(data.participation.pledges).toEqual([expect.objectContaining({ action: 'Ich fahre Rad' })]);
		expect(data.participation.follows).toEqual([expect.objectContaining({ targetType: 'idea', targetId: theirs.id })]);
		// Only the person's own report, not the other one's.
		expect(data.participation.reports).toEqual([
			{ network: net.slug, targetType: 'idea', targetId: theirs.id, reason: 'other', note: 'Doppelt eingereicht', state: 'open', createdAt: expect.any(Date), resolvedAt: null }
		]);
	});

	it('"Meine Beiträge" lists own ideas, comment count, pledges and follows', async () => {
		const { me, mine } = await citizenWithData();
		const c = await myContributions(me);
		expect(c.ideas).toMatchObject({ total: 1, items: [expect.objectContaining({ id: mine.id, state: 'published' })] });
		expect(c.commentCount).toBe(1);
		expect(c.pledges).toMatchObject({ total: 1, items: [expect.objectContaining({ title: 'Ich fahre Rad' })] });
		expect(c.follows.total).toBe(1);
	});

	it('"Meine Beiträge" lists supported ideas, also one taken down since, and the support can be withdrawn from there', async () => {
		const { net, me, theirs } = await citizenWithData();
		await db().update(ideas).set({ state: 'rejected', stateReason: 'Doppelt' }).where(eq(ideas.id, theirs.id));
		const c = await myContributions(me);
		expect(c.supports).toMatchObject({ total: 1, items: [expect.objectContaining({ id: theirs.id, state: 'rejected', networkId: net.id })] });
		expect(await withdrawSupport(me, net.id, theirs.id)).toBe(1);
		expect((await myContributions(me)).supports.total).toBe(0);
		// Nonsense ids from the form are "not found", never a database error.
		await expect(withdrawSupport(me, 'kein-netz', theirs.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('deletion drops supports (and the count), follows and the profile; unlinks pledges; anonymises ideas and comments', async () => {
		const { me, mine, theirs, action } = await citizenWithData();
		await deleteAccount(me, { confirmEmail: me.email });
		const [t] = await db().select().from(ideas).where(eq(ideas.id, theirs.id));
		expect(t.supportCount).toBe(1);
		expect(await db().select().from(ideaSupports).where(eq(ideaSupports.ideaId, theirs.id))).toHaveLength(1);
		expect(await db().select().from(follows).where(eq(follows.userId, me.userId!))).toHaveLength(0);
		expect(await db().select().from(citizenProfiles).where(eq(citizenProfiles.userId, me.userId!))).toHaveLength(0);
		const ps = await db().select().from(pledges).where(eq(pledges.actionId, action.id));
		expect(ps).toEqual([expect.objectContaining({ userId: null })]);
		expect((await db().select().from(ideas).where(eq(ideas.id, mine.id)))[0].authorName).toBe(DELETED_AUTHOR);
		expect((await db().select().from(comments).where(eq(comments.authorId, me.userId!)))[0].authorName).toBe(DELETED_AUTHOR);
		expect(await participantState(await loadActor(me.userId!))).toBe('signed_out');
	});
});
