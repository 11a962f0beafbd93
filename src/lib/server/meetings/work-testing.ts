// Test fixtures of the meeting work (invitations, answers, reminders, minutes, follow-ups): a
// network with three towns, members for two of them, a coordinator, a partner organisation with
// its user, a citizen, and directory people linked to the accounts. Meetings are written as rows
// directly (any time, any status), so tests can put them in the past or the future at will.
import { db } from '../db/client';
import { partners, people } from '../network/schema';
import { meetings } from './schema';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import type { Actor } from '../auth/actor';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export async function meetingWorkWorld() {
	const network = await makeNetwork();
	const halberstadt = await makeBody(network.id, 'Halberstadt');
	const osterwieck = await makeBody(network.id, 'Osterwieck');
	const wernigerode = await makeBody(network.id, 'Wernigerode');
	const coordinator = await makeActor(network.id, 'coordinator');
	const memberHb = await makeActor(network.id, 'member', [halberstadt.id]);
	const memberOw = await makeActor(network.id, 'member', [osterwieck.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const [agency] = await db().insert(partners).values({ networkId: network.id, name: 'Energieagentur Harz' }).returning();
	const person = async (a: Actor, name: string, bodyId: string | null, partnerId: string | null = null) =>
		(await db().insert(people).values({ networkId: network.id, userId: a.userId, name, bodyId, partnerId }).returning())[0];
	const coordinatorPerson = await person(coordinator, 'Clara Koordination', null);
	const hbPerson = await person(memberHb, 'Hanna Halberstadt', halberstadt.id);
	const owPerson = await person(memberOw, 'Otto Osterwieck', osterwieck.id);
	const partnerPerson = await person(partner, 'Paula Partner', null, agency.id);
	// A person without an account, e.g. a mayor in the directory.
	const [mayor] = await db().insert(people).values({ networkId: network.id, name: 'Bürgermeisterin Wernigerode', bodyId: wernigerode.id }).returning();
	return {
		network,
		halberstadt,
		osterwieck,
		wernigerode,
		coordinator,
		memberHb,
		memberOw,
		partner,
		citizen,
		agency,
		coordinatorPerson,
		hbPerson,
		owPerson,
		partnerPerson,
		mayor
	};
}

export type MeetingWorkWorld = Awaited<ReturnType<typeof meetingWorkWorld>>;

/** A meeting row; `inDays` from now (negative = past), two hours long. */
export async function meetingRow(
	networkId: string,
	over: Partial<typeof meetings.$inferInsert> & { inDays?: number } = {}
): Promise<typeof meetings.$inferSelect> {
	const { inDays = 14, ...rest } = over;
	const startsAt = rest.startsAt ?? new Date(Math.round((Date.now() + inDays * DAY) / 60_000) * 60_000);
	const [m] = await db()
		.insert(meetings)
		.values({
			networkId,
			title: '3. Netzwerktreffen',
			startsAt,
			endsAt: new Date(startsAt.getTime() + 2 * HOUR),
			venueName: 'Bunter Hof',
			venueAddress: 'Kapellenstraße 1, 38835 Osterwieck',
			...rest
		})
		.returning();
	return m;
}
