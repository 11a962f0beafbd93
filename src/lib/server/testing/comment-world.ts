// Test fixtures for comments and reports: a network with two towns, its people (every role given
// participation consent, plus a resident without it), a published and a pending idea, a public and
// an internal measure, and a published idea in another network.
import { db } from '../db/client';
import { loadActor, type Actor } from '../auth/actor';
import { makeActor, makeBody, makeNetwork, makeUser } from './factories';
import { measureWorld, makeMeasure } from '../measures/testing';
import { citizenProfiles, ideas } from '../participation/schema';

export async function giveConsent(actor: Actor): Promise<Actor> {
	await db()
		.insert(citizenProfiles)
		.values({ userId: actor.userId!, consentVersion: 'test', consentText: 'Einwilligung (Test)', consentedAt: new Date() })
		.onConflictDoNothing();
	return loadActor(actor.userId!);
}

export async function makeIdea(networkId: string, bodyId: string, over: Partial<typeof ideas.$inferInsert> = {}) {
	const [i] = await db()
		.insert(ideas)
		.values({ networkId, bodyId, title: 'Fahrradbügel am Bahnhof', body: 'Am Bahnhof fehlen Abstellplätze.', authorName: 'Erika', state: 'published', publishedAt: new Date(), ...over })
		.returning();
	return i;
}

export async function commentWorld() {
	const w = await measureWorld();
	const resident = await giveConsent(await loadActor((await makeUser({ name: 'Erika Muster' })).id));
	const noConsent = await loadActor((await makeUser({ name: 'Otto Ohne' })).id);
	const people = {
		coordinator: await giveConsent(w.coordinator),
		member: await giveConsent(w.member),
		otherMember: await giveConsent(w.otherMember),
		partner: await giveConsent(w.partner),
		resident,
		noConsent
	};
	const idea = await makeIdea(w.network.id, w.town.id);
	const otherTownIdea = await makeIdea(w.network.id, w.other.id, { title: 'Bäume am Markt' });
	const pendingIdea = await makeIdea(w.network.id, w.town.id, { state: 'pending', publishedAt: null });
	const publicMeasure = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-P', isPublic: 'on' });
	const internalMeasure = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-I' });
	const foreign = await makeNetwork();
	const foreignTown = await makeBody(foreign.id, 'Quedlinburg');
	const foreignIdea = await makeIdea(foreign.id, foreignTown.id);
	const foreignCoordinator = await giveConsent(await makeActor(foreign.id, 'coordinator'));
	return { ...w, ...people, idea, otherTownIdea, pendingIdea, publicMeasure, internalMeasure, foreign, foreignTown, foreignIdea, foreignCoordinator };
}

export type CommentWorld = Awaited<ReturnType<typeof commentWorld>>;
