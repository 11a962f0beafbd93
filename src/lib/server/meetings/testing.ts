// Test fixtures of the meetings module: a network with two towns, its people in every role, and
// meetings made through the real service. Used by the meetings (and activities) service tests.
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import type { Actor } from '../auth/actor';
import { createMeeting, type CommandOpts } from './meetings';
import { berlinDateValue } from './time';

export async function meetingWorld() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Halberstadt');
	const other = await makeBody(network.id, 'Osterwieck');
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const otherMember = await makeActor(network.id, 'member', [other.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	return { network, town, other, coordinator, member, otherMember, partner, citizen };
}

/** A date `days` from today as the form's date field ('YYYY-MM-DD', Berlin). */
export function dayFromNow(days: number, now: Date = new Date()): string {
	return berlinDateValue(new Date(now.getTime() + days * 86_400_000));
}

/** Minimal valid form input: in two weeks, 10:00–14:00, in the Bunter Hof. Override what a test is about. */
export function meetingInput(over: Record<string, string> = {}): Record<string, string> {
	return {
		title: 'Netzwerktreffen',
		date: dayFromNow(14),
		startTime: '10:00',
		endTime: '14:00',
		venueName: 'Bunter Hof',
		venueAddress: 'Markt 1, 38835 Osterwieck',
		onlineUrl: '',
		description: '',
		status: 'planned',
		isPublic: '',
		reminderDays: '3',
		...over
	};
}

/** Creates a meeting as `actor` (a coordinator) through the service. */
export async function makeMeeting(actor: Actor, networkId: string, over: Record<string, string> = {}, opts: CommandOpts = {}) {
	return createMeeting(actor, networkId, meetingInput(over), opts);
}
