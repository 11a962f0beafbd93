// Record types of the network module, declared in the registry so links, search, notifications,
// files and the audit log can treat them like every other module's records.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, networks, partners, people } from '../db/schema';
import { registerRecordType, type ResolvedRecord } from '../registry';
import { canNetwork } from './permissions';
import type { Actor } from '../auth/actor';

import { isUuid } from '../ids';
const inWorkingArea = (actor: Actor, r: ResolvedRecord) =>
	r.isPublic || (!!r.networkId && canNetwork(actor, 'network.enter', { networkId: r.networkId }));

export function registerNetworkRecords() {
	registerRecordType({
		type: 'network',
		labelKey: 'record.network',
		async load(id) {
			if (!isUuid(id)) return null;
			const [n] = await db().select().from(networks).where(eq(networks.id, id));
			return n ? { type: 'network', id, networkId: n.id, title: n.name, url: `/${n.slug}`, isPublic: true } : null;
		},
		canRead: () => true,
		canEdit: (actor, r) => canNetwork(actor, 'network.editProfile', { networkId: r.networkId! })
	});
	registerRecordType({
		type: 'body',
		labelKey: 'record.body',
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ b: bodies, slug: networks.slug })
				.from(bodies)
				.innerJoin(networks, eq(networks.id, bodies.networkId))
				.where(eq(bodies.id, id));
			return row
				? { type: 'body', id, networkId: row.b.networkId, title: row.b.name, url: `/${row.slug}/kommunen/${row.b.ags}`, isPublic: true }
				: null;
		},
		canRead: () => true,
		canEdit: (actor, r) => canNetwork(actor, 'body.edit', { networkId: r.networkId!, bodyId: r.id })
	});
	registerRecordType({
		type: 'person',
		labelKey: 'record.person',
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ p: people, slug: networks.slug })
				.from(people)
				.innerJoin(networks, eq(networks.id, people.networkId))
				.where(eq(people.id, id));
			return row
				? { type: 'person', id, networkId: row.p.networkId, title: row.p.name, url: `/${row.slug}/intern/personen/${id}`, isPublic: false }
				: null;
		},
		canRead: inWorkingArea,
		canEdit: () => false
	});
	registerRecordType({
		type: 'partner',
		labelKey: 'record.partner',
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ p: partners, slug: networks.slug })
				.from(partners)
				.innerJoin(networks, eq(networks.id, partners.networkId))
				.where(eq(partners.id, id));
			return row
				? { type: 'partner', id, networkId: row.p.networkId, title: row.p.name, url: `/${row.slug}/partner`, isPublic: true }
				: null;
		},
		canRead: () => true,
		canEdit: (actor, r) => canNetwork(actor, 'partner.edit', { networkId: r.networkId! })
	});
}
