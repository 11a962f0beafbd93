// Test fixtures of the search: two networks with rows of every searchable kind, inserted directly
// (the search only reads; each module's own tests cover how its rows come to be).
import { db } from '../db/client';
import { people } from '../network/schema';
import { concepts, measures } from '../measures/schema';
import { offers } from '../offers/schema';
import { meetings } from '../meetings/schema';
import { activities, activityParticipants } from '../activities/schema';
import { ideas } from '../participation/schema';
import { exchangePosts, exchangeThreads, exchangeTopics } from '../exchange/schema';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';

export async function searchWorld() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Halberstadt');
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const foreign = await makeNetwork();
	const foreignTown = await makeBody(foreign.id, 'Magdeburg');
	const foreignCoordinator = await makeActor(foreign.id, 'coordinator');
	const [topic] = await db().insert(exchangeTopics).values({ networkId: network.id, title: 'Förderung' }).returning();
	const [foreignTopic] = await db().insert(exchangeTopics).values({ networkId: foreign.id, title: 'Förderung' }).returning();
	return { network, town, other, coordinator, member, partner, citizen, foreign, foreignTown, foreignCoordinator, topic, foreignTopic };
}

export type SearchWorld = Awaited<ReturnType<typeof searchWorld>>;

const day = (n: number) => new Date(Date.UTC(2024, 5, n, 10));

export async function addMeasure(networkId: string, bodyId: string, v: { title: string; description?: string; isPublic?: boolean; updatedAt?: Date }) {
	const [c] = await db().insert(concepts).values({ networkId, bodyId, title: 'Klimaschutzkonzept' }).returning();
	const [m] = await db()
		.insert(measures)
		.values({ networkId, bodyId, conceptId: c.id, code: `M${Math.random().toString(36).slice(2, 7)}`, title: v.title, description: v.description ?? '', isPublic: !!v.isPublic, updatedAt: v.updatedAt ?? day(1) })
		.returning();
	return m;
}

export async function addOffer(networkId: string, v: { title: string; description?: string }) {
	const [o] = await db().insert(offers).values({ networkId, title: v.title, provider: 'Energieagentur', kind: 'consultancy', priceModel: 'free', description: v.description ?? '' }).returning();
	return o;
}

export async function addMeeting(networkId: string, v: { title: string; description?: string; minutes?: string; isPublic?: boolean; hostBodyId?: string | null }) {
	const [m] = await db()
		.insert(meetings)
		.values({ networkId, title: v.title, description: v.description ?? '', minutes: v.minutes ?? '', isPublic: !!v.isPublic, hostBodyId: v.hostBodyId ?? null, startsAt: day(3), endsAt: day(4) })
		.returning();
	return m;
}

export async function addActivity(networkId: string, v: { title: string; description?: string; isPublic?: boolean; proposerBodyId?: string | null; participantBodyIds?: string[] }) {
	const [a] = await db()
		.insert(activities)
		.values({ networkId, title: v.title, description: v.description ?? '', isPublic: !!v.isPublic, proposerBodyId: v.proposerBodyId ?? null })
		.returning();
	if (v.participantBodyIds?.length) await db().insert(activityParticipants).values(v.participantBodyIds.map((bodyId) => ({ activityId: a.id, bodyId, networkId })));
	return a;
}

export async function addIdea(networkId: string, bodyId: string, v: { title: string; body?: string; state?: 'pending' | 'published' | 'rejected' | 'merged' | 'measure' }) {
	const [i] = await db().insert(ideas).values({ networkId, bodyId, title: v.title, body: v.body ?? '', state: v.state ?? 'published' }).returning();
	return i;
}

export async function addPerson(networkId: string, v: { name: string; functionNote?: string; bodyId?: string | null }) {
	const [p] = await db().insert(people).values({ networkId, name: v.name, functionNote: v.functionNote ?? '', bodyId: v.bodyId ?? null }).returning();
	return p;
}

/** A thread with its opening post; `hidden` hides the thread. */
export async function addThread(networkId: string, topicId: string, v: { title: string; body?: string; hidden?: boolean; lastPostAt?: Date }) {
	const [t] = await db()
		.insert(exchangeThreads)
		.values({ networkId, topicId, title: v.title, hiddenAt: v.hidden ? new Date() : null, lastPostAt: v.lastPostAt ?? day(5) })
		.returning();
	const opening = await addPost(networkId, t.id, { body: v.body ?? 'Eröffnung', isOpening: true });
	return { thread: t, opening };
}

export async function addPost(networkId: string, threadId: string, v: { body: string; isOpening?: boolean; deleted?: boolean; hidden?: boolean; createdAt?: Date }) {
	const [p] = await db()
		.insert(exchangePosts)
		.values({ networkId, threadId, body: v.body, isOpening: !!v.isOpening, deletedAt: v.deleted ? new Date() : null, hiddenAt: v.hidden ? new Date() : null, createdAt: v.createdAt ?? day(6) })
		.returning();
	return p;
}
