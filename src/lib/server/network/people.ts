// People of the network's directory: who holds which function in which body. Visitors see name,
// function and body; e-mail and phone only those with 'person.readContact'.
import { and, asc, eq, ilike, inArray, isNull, or, sql, gte } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { bodies, people } from '../db/schema';
import { membershipIn, type Actor } from '../auth/actor';
import { canNetwork } from './permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, date, isUuid, likePattern, pageOpts, parseFields, text, todayIso } from './directory-shared';
import { z } from 'zod';

export type Person = typeof people.$inferSelect;
export const PERSON_FUNCTIONS = ['klimaschutzmanager', 'buergermeister', 'bauamt', 'other'] as const;
export type PersonFunction = (typeof PERSON_FUNCTIONS)[number];

/** What anyone may see of a person. */
export interface PersonView {
	id: string;
	name: string;
	function: PersonFunction;
	functionNote: string;
	bodyId: string | null;
	bodyName: string | null;
	bodyAgs: string | null;
	tenureFrom: string | null;
	tenureUntil: string | null;
	/** In office today (tenure covers today). */
	current: boolean;
	/** Only with 'person.readContact'. */
	email?: string;
	phone?: string;
	userId?: string | null;
}

const viewColumns = {
	id: people.id,
	name: people.name,
	function: people.function,
	functionNote: people.functionNote,
	bodyId: people.bodyId,
	bodyName: bodies.name,
	bodyAgs: bodies.ags,
	tenureFrom: people.tenureFrom,
	tenureUntil: people.tenureUntil,
	email: people.email,
	phone: people.phone,
	userId: people.userId
};

interface Row {
	id: string;
	name: string;
	function: PersonFunction;
	functionNote: string;
	bodyId: string | null;
	bodyName: string | null;
	bodyAgs: string | null;
	tenureFrom: string | null;
	tenureUntil: string | null;
	email: string;
	phone: string;
	userId: string | null;
}

function toView(r: Row, withContact: boolean, today: string): PersonView {
	const v: PersonView = {
		id: r.id,
		name: r.name,
		function: r.function,
		functionNote: r.functionNote,
		bodyId: r.bodyId,
		bodyName: r.bodyName,
		bodyAgs: r.bodyAgs,
		tenureFrom: r.tenureFrom,
		tenureUntil: r.tenureUntil,
		current: (!r.tenureFrom || r.tenureFrom <= today) && (!r.tenureUntil || r.tenureUntil >= today)
	};
	if (withContact) {
		v.email = r.email;
		v.phone = r.phone;
		v.userId = r.userId;
	}
	return v;
}

export interface PeopleFilter {
	page?: number;
	pageSize?: number;
	bodyId?: string;
	fn?: string;
	q?: string;
	/** Leave out people whose tenure has ended (the portal shows who is in office or will be). */
	notEnded?: boolean;
	today?: string;
}

/** People of the network, paginated and filtered. Contact details only for the working area. */
export async function listPeople(actor: Actor, networkId: string, opts: PeopleFilter = {}) {
	const { page, pageSize, offset } = pageOpts(opts, 25);
	const today = opts.today ?? todayIso();
	const withContact = canNetwork(actor, 'person.readContact', { networkId });
	const fn = (PERSON_FUNCTIONS as readonly string[]).includes(opts.fn ?? '') ? (opts.fn as PersonFunction) : undefined;
	const q = (opts.q ?? '').trim().slice(0, 100);
	if (opts.bodyId && !isUuid(opts.bodyId)) return { items: [] as PersonView[], total: 0, page, pageSize, withContact };
	const where = and(
		eq(people.networkId, networkId),
		opts.bodyId ? eq(people.bodyId, opts.bodyId) : undefined,
		fn ? eq(people.function, fn) : undefined,
		q ? ilike(people.name, likePattern(q)) : undefined,
		opts.notEnded ? or(isNull(people.tenureUntil), gte(people.tenureUntil, today)) : undefined
	);
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select(viewColumns)
			.from(people)
			// The join repeats the network condition: a body of another network never shows up.
			.leftJoin(bodies, and(eq(bodies.id, people.bodyId), eq(bodies.networkId, networkId)))
			.where(where)
			.orderBy(...(opts.bodyId ? [asc(people.function), asc(people.name)] : [asc(people.name)]))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(people).where(where)
	]);
	return { items: (rows as Row[]).map((r) => toView(r, withContact, today)), total, page, pageSize, withContact };
}

/** One person of the network. Contact details only for the working area. */
export async function getPerson(actor: Actor, networkId: string, personId: string, opts: { today?: string } = {}): Promise<PersonView> {
	if (!isUuid(personId)) throw new NotFoundError();
	const [row] = await db()
		.select(viewColumns)
		.from(people)
		.leftJoin(bodies, and(eq(bodies.id, people.bodyId), eq(bodies.networkId, networkId)))
		.where(and(eq(people.id, personId), eq(people.networkId, networkId)));
	if (!row) throw new NotFoundError();
	return toView(row as Row, canNetwork(actor, 'person.readContact', { networkId }), opts.today ?? todayIso());
}

/** May the actor edit this person record? (Coordinators, members for their bodies, the person themself.) */
export function canEditPerson(actor: Actor, networkId: string, p: { bodyId: string | null; userId?: string | null }): boolean {
	return canNetwork(actor, 'person.edit', { networkId, bodyId: p.bodyId, personUserId: p.userId ?? null });
}

/** The person for the edit form: only for those who may edit them. */
export async function getPersonForEdit(actor: Actor, networkId: string, personId: string): Promise<Person> {
	if (!canNetwork(actor, 'network.enter', { networkId })) throw new ForbiddenError();
	const p = await loadPerson(db(), networkId, personId);
	if (!canEditPerson(actor, networkId, p)) throw new ForbiddenError();
	return p;
}

async function loadPerson(tx: Tx | ReturnType<typeof db>, networkId: string, personId: string, lock = false): Promise<Person> {
	if (!isUuid(personId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(people)
		.where(and(eq(people.id, personId), eq(people.networkId, networkId)));
	const [p] = lock ? await q.for('update') : await q;
	if (!p) throw new NotFoundError();
	return p;
}

const personShape = () => ({
	name: text(200, true),
	function: choice(PERSON_FUNCTIONS),
	functionNote: text(200),
	bodyId: z
		.string()
		.trim()
		.refine((s) => s === '' || isUuid(s), { error: 'person.bodyUnknown' })
		.transform((s) => (s === '' ? null : s)),
	email: z
		.string()
		.trim()
		.toLowerCase()
		.max(254, { error: 'dir.tooLong200' })
		.refine((s) => s === '' || z.email().safeParse(s).success, { error: 'validation.email' }),
	phone: text(50).refine((s) => /^[0-9+()/\s.-]*$/.test(s), { error: 'person.phone' }),
	tenureFrom: date,
	tenureUntil: date
});

function parsePerson(input: unknown) {
	return parseFields(personShape(), input, (d, errors) => {
		if (d.tenureFrom && d.tenureUntil && d.tenureUntil < d.tenureFrom && !errors.tenureUntil) {
			errors.tenureUntil = 'person.tenureOrder';
		}
	});
}

async function ensureBodyInNetwork(tx: Tx, networkId: string, bodyId: string | null) {
	if (!bodyId) return;
	const [b] = await tx
		.select({ id: bodies.id })
		.from(bodies)
		.where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
	if (!b) throw new ValidationError({ bodyId: 'person.bodyUnknown' });
}

/** Adds a person. Coordinators for any body (or none), members for the bodies they represent. */
export async function createPerson(actor: Actor, networkId: string, input: unknown): Promise<Person> {
	if (!canCreateSomewhere(actor, networkId)) throw new ForbiddenError();
	const data = parsePerson(input);
	// A member picked a body they don't represent (or none): say so beside the field.
	if (!canNetwork(actor, 'person.create', { networkId, bodyId: data.bodyId })) throw new ValidationError({ bodyId: 'person.bodyNotYours' });
	return db().transaction(async (tx) => {
		await ensureBodyInNetwork(tx, networkId, data.bodyId);
		const [p] = await tx.insert(people).values({ ...data, networkId }).returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'person', recordId: p.id, after: p });
		return p;
	});
}

/** Coordinators, and members who represent at least one body, may add people. */
export function canCreateSomewhere(actor: Actor, networkId: string): boolean {
	const m = membershipIn(actor, networkId);
	if (!m) return false;
	return [null, ...m.bodyIds].some((bodyId) => canNetwork(actor, 'person.create', { networkId, bodyId }));
}

/** Updates a person. Moving them to another body needs the right to add people there. */
export async function updatePerson(actor: Actor, networkId: string, personId: string, input: unknown): Promise<Person> {
	if (!canNetwork(actor, 'network.enter', { networkId })) throw new ForbiddenError();
	const current = await loadPerson(db(), networkId, personId);
	if (!canEditPerson(actor, networkId, current)) throw new ForbiddenError();
	const data = parsePerson(input);
	if (data.bodyId !== current.bodyId && !canNetwork(actor, 'person.create', { networkId, bodyId: data.bodyId })) {
		throw new ValidationError({ bodyId: 'person.bodyNotYours' });
	}
	return db().transaction(async (tx) => {
		const before = await loadPerson(tx, networkId, personId, true);
		await ensureBodyInNetwork(tx, networkId, data.bodyId);
		const [after] = await tx
			.update(people)
			.set({ ...data, updatedAt: new Date() })
			.where(and(eq(people.id, personId), eq(people.networkId, networkId)))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'person', recordId: personId, before, after });
		return after;
	});
}

/** Removes a person from the directory. Coordinators, and members for their bodies. */
export async function deletePerson(actor: Actor, networkId: string, personId: string): Promise<void> {
	if (!canNetwork(actor, 'network.enter', { networkId })) throw new ForbiddenError();
	const current = await loadPerson(db(), networkId, personId);
	if (!canNetwork(actor, 'person.edit', { networkId, bodyId: current.bodyId })) throw new ForbiddenError();
	await db().transaction(async (tx) => {
		const before = await loadPerson(tx, networkId, personId, true);
		await tx.delete(people).where(and(eq(people.id, personId), eq(people.networkId, networkId)));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'person', recordId: personId, before });
	});
}

/** Names of people by id (audit log titles), within the network only. */
export async function personNames(networkId: string, ids: string[]): Promise<Map<string, string>> {
	const valid = ids.filter(isUuid);
	if (!valid.length) return new Map();
	const rows = await db()
		.select({ id: people.id, name: people.name })
		.from(people)
		.where(and(eq(people.networkId, networkId), inArray(people.id, valid)));
	return new Map(rows.map((r) => [r.id, r.name]));
}
