import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor, makeNetwork, makeBody } from '../testing/factories';
import { makeMeasure, measureWorld } from '../measures/testing';
import { db } from '../db/client';
import { citizenProfiles, follows, ideas } from './schema';
import { follow, followState, listMyFollows, unfollow, parseTarget } from './follows';
import { VISITOR, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { auditLog, users } from '../db/schema';
import { useSmtpCapture } from '../testing/smtp';
import { notifyFollowers, registerParticipationJobs } from './notify';
import { runDueJobs } from '../jobs';
import { giveConsent, withdrawConsent } from './profiles';
import { postStatusUpdate } from '../measures/history';
import { getMeasure, measureAsForm, updateMeasure } from '../measures/measures';

useTestDb();

async function consent(actor: Actor) {
	await db()
		.insert(citizenProfiles)
		.values({ userId: actor.userId!, consentVersion: 't', consentText: 'Test', consentedAt: new Date() });
	return actor;
}

async function world() {
	const w = await measureWorld();
	const pub = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'P-1', isPublic: 'on' });
	const internal = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'I-1' });
	const author = await consent(await makeActor(null, 'citizen'));
	const reader = await consent(await makeActor(null, 'citizen'));
	const mkIdea = async (state: 'pending' | 'published' | 'rejected', by: Actor) => {
		const [i] = await db()
			.insert(ideas)
			.values({ networkId: w.network.id, bodyId: w.town.id, title: `Idee ${state}`, body: 'Text', authorId: by.userId, state })
			.returning();
		return i;
	};
	return { ...w, pub, internal, author, reader, published: await mkIdea('published', author), pending: await mkIdea('pending', author) };
}

describe('follows', () => {
	it('a participant follows a public measure and a published idea, and unfollows', async () => {
		const w = await world();
		const m = { type: 'measure' as const, id: w.pub.id, networkId: w.network.id };
		const i = { type: 'idea' as const, id: w.published.id, networkId: w.network.id };
		expect((await followState(w.reader, m)).following).toBe(false);
		await follow(w.reader, m);
		await follow(w.reader, m); // twice is fine
		await follow(w.reader, i);
		const s = await followState(w.reader, m);
		expect(s).toEqual({ target: { type: 'measure', id: w.pub.id }, following: true, participant: 'ok' });
		const mine = await listMyFollows(w.reader);
		expect(mine.total).toBe(2);
		expect(mine.items.map((x) => x.title).sort()).toEqual(['Idee published', 'PV auf dem Rathausdach']);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'follow'), eq(auditLog.actorUserId, w.reader.userId!)));
		expect(audit).toHaveLength(2);
		await unfollow(w.reader, m);
		expect((await followState(w.reader, m)).following).toBe(false);
	});

	it('the author follows their own pending idea', async () => {
		const w = await world();
		await follow(w.author, { type: 'idea', id: w.pending.id, networkId: w.network.id });
		expect((await followState(w.author, { type: 'idea', id: w.pending.id, networkId: w.network.id })).following).toBe(true);
	});

	it.each([
		['a non-public measure', (w: Awaited<ReturnType<typeof world>>) => ({ type: 'measure' as const, id: w.internal.id, networkId: w.network.id })],
		["another person's pending idea", (w: Awaited<ReturnType<typeof world>>) => ({ type: 'idea' as const, id: w.pending.id, networkId: w.network.id })],
		['an unknown id', (w: Awaited<ReturnType<typeof world>>) => ({ type: 'idea' as const, id: '00000000-0000-4000-8000-000000000000', networkId: w.network.id })]
	])('cannot follow %s', async (_label, target) => {
		const w = await world();
		await expect(follow(w.reader, target(w))).rejects.toBeInstanceOf(NotFoundError);
		expect(await db().select().from(follows).where(eq(follows.userId, w.reader.userId!))).toHaveLength(0);
	});

	it('cannot follow a public measure through another network', async () => {
		const w = await world();
		const other = await makeNetwork();
		await makeBody(other.id);
		await expect(follow(w.reader, { type: 'measure', id: w.pub.id, networkId: other.id })).rejects.toBeInstanceOf(NotFoundError);
	});

	it.each([
		['a visitor', async () => VISITOR, 'participation.signed_out'],
		['an account without consent', async () => makeActor(null, 'citizen'), 'participation.no_consent'],
		[
			'an account that withdrew consent',
			async () => {
				const a = await consent(await makeActor(null, 'citizen'));
				await db().update(citizenProfiles).set({ consentWithdrawnAt: new Date() }).where(eq(citizenProfiles.userId, a.userId!));
				return a;
			},
			'participation.consent_withdrawn'
		]
	])('%s may not follow', async (_label, who, message) => {
		const w = await world();
		const actor = await who();
		const err = await follow(actor, { type: 'measure', id: w.pub.id, networkId: w.network.id }).catch((e) => e);
		expect(err).toBeInstanceOf(ForbiddenError);
		expect(err.message).toBe(message);
		expect((await followState(actor, { type: 'measure', id: w.pub.id, networkId: w.network.id })).participant).toBe(message.split('.')[1]);
	});

	it('withdrawn consent still lets one stop following', async () => {
		const w = await world();
		const m = { type: 'measure' as const, id: w.pub.id, networkId: w.network.id };
		await follow(w.reader, m);
		await db().update(citizenProfiles).set({ consentWithdrawnAt: new Date() }).where(eq(citizenProfiles.userId, w.reader.userId!));
		await unfollow(w.reader, m);
		expect((await followState(w.reader, m)).following).toBe(false);
	});

	it('parses targets strictly', () => {
		// The follow form's return path: safeNetworkPath, tested in http/redirect.test.ts.
		expect(() => parseTarget('comment', '00000000-0000-4000-8000-000000000000', 'n')).toThrow(ValidationError);
		expect(() => parseTarget('idea', 'x', 'n')).toThrow(ValidationError);
	});
});

describe('follower mail', () => {
	const received = useSmtpCapture();
	registerParticipationJobs();

	async function drain() {
		// The notification job queues one mail.send job per follower; run until the queue is empty.
		for (let i = 0; i < 5; i++) {
			const r = await runDueJobs('follow-test');
			if (!r.done && !r.retried && !r.failed) break;
		}
	}

	it('a status update of a public measure mails its followers, not the person who made it', async () => {
		const w = await world();
		await giveConsent(w.member, { consent: 'on' });
		const m = { type: 'measure' as const, id: w.pub.id, networkId: w.network.id };
		await follow(w.reader, m);
		await follow(w.member, m);
		await drain();
		received.length = 0;
		await postStatusUpdate(w.member, w.network.id, w.pub.id, { text: 'Förderantrag gestellt', status: 'implementation', progress: '20' });
		await drain();
		const readerEmail = (await db().select({ email: users.email }).from(users).where(eq(users.id, w.reader.userId!)))[0].email;
		expect(received.map((r) => r.to)).toEqual([[readerEmail]]);
		expect(received[0].subject).toBe('Neuigkeiten: PV auf dem Rathausdach');
		expect(received[0].text).toContain('Der Stand ist jetzt „In Umsetzung“ (vorher „Geplant“).');
		expect(received[0].text).toContain('Die Maßnahme ist jetzt zu 20 % umgesetzt (vorher 0 %).');
		expect(received[0].text).toContain('Neue Meldung: Förderantrag gestellt');
		expect(received[0].text).toContain(`/${w.network.slug}/massnahmen/${w.pub.id}`);
	});

	it('mails only followers whose consent is in force and whose address is confirmed', async () => {
		const w = await world();
		const m = { type: 'measure' as const, id: w.pub.id, networkId: w.network.id };
		const unconfirmed = await consent(await makeActor(null, 'citizen'));
		for (const a of [w.reader, w.author, unconfirmed]) await follow(a, m);
		await withdrawConsent(w.author);
		await db().update(users).set({ emailVerified: false }).where(eq(users.id, unconfirmed.userId!));
		const emailOf = async (a: Actor) => (await db().select({ email: users.email }).from(users).where(eq(users.id, a.userId!)))[0].email;
		const change = { title: 'PV auf dem Rathausdach', what: 'Es gibt Neuigkeiten.', path: `/${w.network.slug}/massnahmen/${w.pub.id}` };
		await drain();
		received.length = 0;
		await notifyFollowers(db(), m, change);
		await drain();
		expect(received.map((r) => r.to)).toEqual([[await emailOf(w.reader)]]);
		// Consent given again: the follow still stands, and the mails come again.
		received.length = 0;
		await giveConsent(w.author, { consent: 'on' });
		await notifyFollowers(db(), m, change);
		await drain();
		expect(received.map((r) => r.to[0]).sort()).toEqual([await emailOf(w.reader), await emailOf(w.author)].sort());
	});

	it('a status change in the measure form mails followers too; an internal measure never does', async () => {
		const w = await world();
		await follow(w.reader, { type: 'measure', id: w.pub.id, networkId: w.network.id });
		// A follow row on a measure that is not public (e.g. made internal later) must stay silent.
		await db().insert(follows).values({ userId: w.reader.userId!, networkId: w.network.id, targetType: 'measure', targetId: w.internal.id });
		await drain();
		received.length = 0;
		const full = await getMeasure(w.member, w.network.id, w.pub.id);
		await updateMeasure(w.member, w.network.id, w.pub.id, { ...measureAsForm(full), status: 'completed', progress: '100' });
		const internal = await getMeasure(w.member, w.network.id, w.internal.id);
		await updateMeasure(w.member, w.network.id, w.internal.id, { ...measureAsForm(internal), status: 'completed', progress: '100' });
		await drain();
		expect(received).toHaveLength(1);
		expect(received[0].text).toContain('„Abgeschlossen“');
	});
});
