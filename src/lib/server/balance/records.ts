// Record types of the balance module, declared in the registry (links, files, search, audit).
// Balance pages are addressed by the town's AGS and the year, not by id: no path patterns.
// Emission factors are logged per year (record id = year) and need no registry entry.
import { and, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { balances, balanceTargets, bodies, networks } from '../db/schema';
import { registerRecordType } from '../registry';
import { isUuid } from '../ids';
import { canBalance, canReadBalance } from './permissions';

export function registerBalanceRecords() {
	registerRecordType({
		type: 'balance',
		labelKey: 'record.balance',
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ b: balances, name: bodies.name, ags: bodies.ags, slug: networks.slug })
				.from(balances)
				.innerJoin(bodies, eq(bodies.id, balances.bodyId))
				.innerJoin(networks, eq(networks.id, balances.networkId))
				.where(eq(balances.id, id));
			if (!row) return null;
			return { type: 'balance', id, networkId: row.b.networkId, title: `${row.name} ${row.b.year}`, url: `/${row.slug}/intern/kommunen/${row.ags}/bilanz/${row.b.year}`, isPublic: row.b.isPublic, bodyId: row.b.bodyId };
		},
		canRead: (actor, r) => !!r.networkId && canReadBalance(actor, { networkId: r.networkId, isPublic: r.isPublic }),
		canEdit: (actor, r) => !!r.networkId && canBalance(actor, 'balance.edit', { networkId: r.networkId, bodyId: r.bodyId })
	});
	registerRecordType({
		type: 'balance_target',
		labelKey: 'record.balance_target',
		// The target's id is its body's id (one target per body).
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ t: balanceTargets, name: bodies.name, ags: bodies.ags, slug: networks.slug })
				.from(balanceTargets)
				.innerJoin(bodies, and(eq(bodies.id, balanceTargets.bodyId), eq(bodies.networkId, balanceTargets.networkId)))
				.innerJoin(networks, eq(networks.id, balanceTargets.networkId))
				.where(eq(balanceTargets.bodyId, id));
			if (!row) return null;
			return { type: 'balance_target', id, networkId: row.t.networkId, title: row.name, url: `/${row.slug}/intern/kommunen/${row.ags}/bilanz`, isPublic: row.t.isPublic, bodyId: id };
		},
		canRead: (actor, r) => !!r.networkId && canReadBalance(actor, { networkId: r.networkId, isPublic: r.isPublic }),
		canEdit: (actor, r) => !!r.networkId && canBalance(actor, 'balance.edit', { networkId: r.networkId, bodyId: r.bodyId })
	});
}
