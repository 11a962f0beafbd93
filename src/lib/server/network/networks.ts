// Networks: one instance hosts many (one per district), each under its own readable URL.
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { networks } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canNetwork, canOperate } from './permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { optionalText, parseForm, requiredText } from '../validation';
import { pageOpts } from '../paging';

export type Network = typeof networks.$inferSelect;

/** URL segments the app itself uses at the top level; a network can't take them. */
export const RESERVED_SLUGS = new Set([
	'anmelden', 'abmelden', 'einladung', 'passwort', 'passwort-vergessen', 'passwort-neu', 'konto',
	'betrieb', 'api', 'health', 'impressum', 'datenschutz', 'barrierefreiheit', 'sprache', 'dateien',
	'intern', 'admin', 'static', 'favicon', 'robots', 'app', 'netzwerke', 'hilfe', 'suche', '_app'
]);

export const slugSchema = z
	.string({ error: 'validation.required' })
	.trim()
	.toLowerCase()
	.min(2, { error: 'network.slugFormat' })
	.max(40, { error: 'network.slugFormat' })
	.regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { error: 'network.slugFormat' })
	.refine((s) => !RESERVED_SLUGS.has(s), { error: 'network.slugReserved' });

export const networkProfileSchema = z.object({
	name: requiredText(200),
	region: optionalText(200),
	description: optionalText(5000)
});

export const createNetworkSchema = networkProfileSchema.extend({ slug: slugSchema });

export async function getNetworkBySlug(slug: string): Promise<Network> {
	if (!/^[a-z0-9-]{1,40}$/.test(slug)) throw new NotFoundError();
	const [n] = await db().select().from(networks).where(eq(networks.slug, slug));
	if (!n) throw new NotFoundError();
	return n;
}

export async function listNetworks(opts: { page?: number; pageSize?: number } = {}) {
	const { page, pageSize, offset } = pageOpts(opts, 50);
	const [items, [{ total }]] = await Promise.all([
		db().select().from(networks).orderBy(asc(networks.name)).limit(pageSize).offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(networks)
	]);
	return { items, total, page, pageSize };
}

/** `opts.tx`: run inside the caller's transaction (setUpNetwork), else in its own. */
export async function createNetwork(actor: Actor, input: unknown, opts: { isDemo?: boolean; tx?: Tx } = {}): Promise<Network> {
	if (!canOperate(actor, 'networks.create')) throw new ForbiddenError();
	const data = parseForm(createNetworkSchema, input);
	const write = async (tx: Tx) => {
		const [existing] = await tx.select({ id: networks.id }).from(networks).where(eq(networks.slug, data.slug));
		if (existing) throw new ValidationError({ slug: 'network.slugTaken' });
		const [n] = await tx
			.insert(networks)
			.values({ ...data, isDemo: !!opts.isDemo })
			.onConflictDoNothing()
			.returning();
		// A concurrent create with the same slug won the race.
		if (!n) throw new ValidationError({ slug: 'network.slugTaken' });
		await recordChange(tx, actor, { networkId: n.id, action: 'create', recordType: 'network', recordId: n.id, after: n });
		return n;
	};
	return opts.tx ? write(opts.tx) : db().transaction(write);
}

export async function updateNetworkProfile(actor: Actor, networkId: string, input: unknown): Promise<Network> {
	if (!canNetwork(actor, 'network.editProfile', { networkId })) throw new ForbiddenError();
	const data = parseForm(networkProfileSchema, input);
	return db().transaction(async (tx) => {
		const [before] = await tx.select().from(networks).where(eq(networks.id, networkId)).for('update');
		if (!before) throw new NotFoundError();
		const [after] = await tx
			.update(networks)
			.set({ ...data, updatedAt: new Date() })
			.where(eq(networks.id, networkId))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'network', recordId: networkId, before, after });
		return after;
	});
}
