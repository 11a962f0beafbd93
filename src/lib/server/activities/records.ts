// Record type of the activities module, declared in the registry (links, agenda items, search,
// audit). Readable by the working area, and by everyone once public; its page is in the working
// area, the portal's page of a public one is linkable too.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { networks } from '../db/schema';
import { registerRecordType, type ResolvedRecord } from '../registry';
import { isUuid, UUID_PATTERN as UUID } from '../ids';
import { activities } from './schema';
import { canActivity, canReadActivity } from './permissions';

export function registerActivityRecords() {
	registerRecordType({
		type: 'activity',
		labelKey: 'record.activity',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/(?:intern/)?aktivitaeten/(${UUID})(?:/bearbeiten)?/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ title: activities.title, networkId: activities.networkId, proposerBodyId: activities.proposerBodyId, isPublic: activities.isPublic, slug: networks.slug })
				.from(activities)
				.innerJoin(networks, eq(networks.id, activities.networkId))
				.where(eq(activities.id, id));
			if (!row) return null;
			// bodyId: the proposer, whose members edit it (and link it) with the coordinator.
			const rec: ResolvedRecord = {
				type: 'activity',
				id,
				networkId: row.networkId,
				title: row.title,
				url: `/${row.slug}/intern/aktivitaeten/${id}`,
				isPublic: row.isPublic,
				bodyId: row.proposerBodyId
			};
			return rec;
		},
		canRead: (actor, r) => !!r.networkId && canReadActivity(actor, { networkId: r.networkId, isPublic: r.isPublic }),
		canEdit: (actor, r) => !!r.networkId && canActivity(actor, 'activity.edit', { networkId: r.networkId, proposerBodyId: r.bodyId ?? null })
	});
}
