// Who can own a task: a person of the network's directory and/or a town (body). Shared by the
// activity tasks and the meetings' follow-ups, which both offer the same two pickers and must
// refuse ids from another network. No permission check here: the calling service checks first.
import { and, asc, eq } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { ValidationError } from '../errors';
import { bodies, people } from './schema';

type Reader = Tx | ReturnType<typeof db>;

export interface OwnerOptions {
	/** People of the directory, by name, with their town (null: none, e.g. a partner's person). */
	people: { id: string; name: string; bodyName: string | null }[];
	bodies: { id: string; name: string }[];
}

/** The choices of the owner pickers: the network's people (with their town) and bodies, by name. */
export async function ownerOptions(networkId: string): Promise<OwnerOptions> {
	const [personList, bodyList] = await Promise.all([
		db()
			.select({ id: people.id, name: people.name, bodyName: bodies.name })
			.from(people)
			.leftJoin(bodies, and(eq(bodies.id, people.bodyId), eq(bodies.networkId, networkId)))
			.where(eq(people.networkId, networkId))
			.orderBy(asc(people.name), asc(people.id))
			// A network's directory has hundreds of people, not thousands; the cap keeps a select usable.
			.limit(2000),
		db()
			.select({ id: bodies.id, name: bodies.name })
			.from(bodies)
			.where(eq(bodies.networkId, networkId))
			.orderBy(asc(bodies.name), asc(bodies.id))
			.limit(1000)
	]);
	return { people: personList, bodies: bodyList };
}

/**
 * The chosen owners must belong to this network: a person or body of another network (or a
 * deleted one) is a field error on `ownerPersonId` / `ownerBodyId` with the module's own message
 * keys. Null ids are not checked (no owner).
 */
export async function checkOwners(
	tx: Reader,
	networkId: string,
	personId: string | null,
	bodyId: string | null,
	keys: { person: string; body: string }
): Promise<void> {
	const errors: Record<string, string> = {};
	// One after the other: inside a transaction both run on the same connection anyway.
	if (personId) {
		const [p] = await tx.select({ id: people.id }).from(people).where(and(eq(people.id, personId), eq(people.networkId, networkId)));
		if (!p) errors.ownerPersonId = keys.person;
	}
	if (bodyId) {
		const [b] = await tx.select({ id: bodies.id }).from(bodies).where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
		if (!b) errors.ownerBodyId = keys.body;
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);
}
