// Partner organisations of a network (energy agency, research projects, neighbouring networks).
// Public to read; coordinators maintain them.
import { and, asc, eq, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { partners } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canNetwork } from './permissions';
import { ForbiddenError, NotFoundError } from '../errors';
import { recordChange } from '../audit/service';
import { httpUrl } from '../validation';
import { isUuid, pageOpts, parseFields, text } from './directory-shared';

export type Partner = typeof partners.$inferSelect;

/** Partners of the network, by name. Public. */
export async function listPartners(_actor: Actor, networkId: string, opts: { page?: number; pageSize?: number } = {}) {
	const { page, pageSize, offset } = pageOpts(opts, 25);
	const where = eq(partners.networkId, networkId);
	const [items, [{ total }]] = await Promise.all([
		db()
			.select({ id: partners.id, name: partners.name, description: partners.description, url: partners.url })
			.from(partners)
			.where(where)
			.orderBy(asc(partners.name))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(partners).where(where)
	]);
	return { items, total, page, pageSize };
}

/** One partner of the network. Public. */
export async function getPartner(_actor: Actor, networkId: string, partnerId: string): Promise<Partner> {
	return loadPartner(db(), networkId, partnerId);
}

/** The partner for its edit form: coordinators only. */
export async function getPartnerForEdit(actor: Actor, networkId: string, partnerId: string): Promise<Partner> {
	if (!canNetwork(actor, 'partner.edit', { networkId })) throw new ForbiddenError();
	return loadPartner(db(), networkId, partnerId);
}

async function loadPartner(tx: Tx | ReturnType<typeof db>, networkId: string, partnerId: string, lock = false): Promise<Partner> {
	if (!isUuid(partnerId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(partners)
		.where(and(eq(partners.id, partnerId), eq(partners.networkId, networkId)));
	const [p] = lock ? await q.for('update') : await q;
	if (!p) throw new NotFoundError();
	return p;
}

const partnerShape = () => ({
	name: text(200, true),
	description: text(2000),
	url: httpUrl
});

export async function createPartner(actor: Actor, networkId: string, input: unknown): Promise<Partner> {
	if (!canNetwork(actor, 'partner.edit', { networkId })) throw new ForbiddenError();
	const data = parseFields(partnerShape(), input);
	return db().transaction(async (tx) => {
		const [p] = await tx.insert(partners).values({ ...data, networkId }).returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'partner', recordId: p.id, after: p });
		return p;
	});
}

export async function updatePartner(actor: Actor, networkId: string, partnerId: string, input: unknown): Promise<Partner> {
	if (!canNetwork(actor, 'partner.edit', { networkId })) throw new ForbiddenError();
	const data = parseFields(partnerShape(), input);
	return db().transaction(async (tx) => {
		const before = await loadPartner(tx, networkId, partnerId, true);
		const [after] = await tx
			.update(partners)
			.set({ ...data, updatedAt: new Date() })
			.where(and(eq(partners.id, partnerId), eq(partners.networkId, networkId)))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'partner', recordId: partnerId, before, after });
		return after;
	});
}

export async function deletePartner(actor: Actor, networkId: string, partnerId: string): Promise<void> {
	if (!canNetwork(actor, 'partner.edit', { networkId })) throw new ForbiddenError();
	await db().transaction(async (tx) => {
		const before = await loadPartner(tx, networkId, partnerId, true);
		await tx.delete(partners).where(and(eq(partners.id, partnerId), eq(partners.networkId, networkId)));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'partner', recordId: partnerId, before });
	});
}
