// The network directory service: bodies, people and partners of one network. Every function takes
// the acting user first and only ever reads or writes rows of the given network.
//   bodies.ts   – member bodies: overview, lists, facts, climate-work status
//   people.ts   – people with their function, tenure and (for the working area) contact details
//   partners.ts – partner organisations
import { and, eq, inArray } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, networks, partners } from '../db/schema';
import type { Actor } from '../auth/actor';
import { canNetwork } from './permissions';
import { isUuid } from './directory-shared';
import { personNames } from './people';

export * from './bodies';
export * from './people';
export * from './partners';

export interface RecordLink {
	title: string;
	/** Where the record lives in the working area; null when it no longer exists. */
	href: string | null;
}

/**
 * Titles and links of directory records named in the audit log, looked up within the network only.
 * Deleted records get no entry (the log still shows their last state).
 */
export async function directoryRecordLinks(
	actor: Actor,
	networkId: string,
	refs: { recordType: string; recordId: string }[]
): Promise<Record<string, RecordLink>> {
	if (!canNetwork(actor, 'network.enter', { networkId })) return {};
	const ids = (type: string) => [...new Set(refs.filter((r) => r.recordType === type && isUuid(r.recordId)).map((r) => r.recordId))];
	const [net] = await db().select({ id: networks.id, slug: networks.slug, name: networks.name }).from(networks).where(eq(networks.id, networkId));
	if (!net) return {};
	const base = `/${net.slug}/intern`;
	const out: Record<string, RecordLink> = {};
	out[`network:${net.id}`] = { title: net.name, href: `${base}/profil` };
	const bodyIds = ids('body');
	if (bodyIds.length) {
		const rows = await db()
			.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
			.from(bodies)
			.where(and(eq(bodies.networkId, networkId), inArray(bodies.id, bodyIds)));
		for (const r of rows) out[`body:${r.id}`] = { title: r.name, href: `${base}/kommunen/${r.ags}` };
	}
	const names = await personNames(networkId, ids('person'));
	for (const [id, name] of names) out[`person:${id}`] = { title: name, href: `${base}/personen/${id}` };
	const partnerIds = ids('partner');
	if (partnerIds.length) {
		const rows = await db()
			.select({ id: partners.id, name: partners.name })
			.from(partners)
			.where(and(eq(partners.networkId, networkId), inArray(partners.id, partnerIds)));
		for (const r of rows) out[`partner:${r.id}`] = { title: r.name, href: `${base}/partner/${r.id}/bearbeiten` };
	}
	return out;
}
