// Record types of the measures module, declared in the registry (links, files, search, audit).
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { concepts, indicators, measures, networks } from '../db/schema';
import { registerRecordType } from '../registry';
import { isUuid, UUID_PATTERN as UUID } from '../ids';
import { canMeasure } from './permissions';

const readable = (actor: Parameters<typeof canMeasure>[0], r: { isPublic: boolean; networkId: string | null }) =>
	r.isPublic || (!!r.networkId && canMeasure(actor, 'measure.read', { networkId: r.networkId }));

export function registerMeasureRecords() {
	registerRecordType({
		type: 'measure',
		labelKey: 'record.measure',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/(?:intern/)?massnahmen/(${UUID})/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ id: measures.id, code: measures.code, title: measures.title, networkId: measures.networkId, bodyId: measures.bodyId, isPublic: measures.isPublic, slug: networks.slug })
				.from(measures)
				.innerJoin(networks, eq(networks.id, measures.networkId))
				.where(eq(measures.id, id));
			if (!row) return null;
			return { type: 'measure', id, networkId: row.networkId, title: `${row.code} ${row.title}`, url: `/${row.slug}/intern/massnahmen/${id}`, isPublic: row.isPublic, bodyId: row.bodyId };
		},
		canRead: readable,
		canEdit: (actor, r) => canMeasure(actor, 'measure.edit', { networkId: r.networkId!, bodyId: r.bodyId })
	});
	registerRecordType({
		type: 'concept',
		labelKey: 'record.concept',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/intern/konzepte/(${UUID})/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ c: concepts, slug: networks.slug })
				.from(concepts)
				.innerJoin(networks, eq(networks.id, concepts.networkId))
				.where(eq(concepts.id, id));
			if (!row) return null;
			return { type: 'concept', id, networkId: row.c.networkId, title: row.c.title, url: `/${row.slug}/intern/konzepte/${id}`, isPublic: false, bodyId: row.c.bodyId };
		},
		canRead: readable,
		canEdit: (actor, r) => canMeasure(actor, 'measure.edit', { networkId: r.networkId!, bodyId: r.bodyId })
	});
	registerRecordType({
		type: 'indicator',
		labelKey: 'record.indicator',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/(?:intern/)?indikatoren/(${UUID})/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ i: indicators, slug: networks.slug })
				.from(indicators)
				.innerJoin(networks, eq(networks.id, indicators.networkId))
				.where(eq(indicators.id, id));
			if (!row) return null;
			return { type: 'indicator', id, networkId: row.i.networkId, title: `${row.i.name} (${row.i.unit})`, url: `/${row.slug}/intern/indikatoren/${id}`, isPublic: row.i.isPublic, bodyId: row.i.bodyId };
		},
		canRead: readable,
		canEdit: (actor, r) => canMeasure(actor, 'measure.edit', { networkId: r.networkId!, bodyId: r.bodyId })
	});
}
