// Record types of the offers module, declared in the registry (links, files, search, audit).
// Offers are internal: readable by the network's working area only.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { networks } from '../db/schema';
import { registerRecordType, type ResolvedRecord } from '../registry';
import { isUuid, UUID_PATTERN as UUID } from '../ids';
import { offers } from './schema';
import { canOffer } from './permissions';

/** The resolved offer carries who entered it: that decides who may edit it. */
interface ResolvedOffer extends ResolvedRecord {
	createdBy: string | null;
}

export function registerOfferRecords() {
	registerRecordType({
		type: 'offer',
		labelKey: 'record.offer',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/intern/angebote/(${UUID})(?:/bewerten|/bearbeiten)?/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ id: offers.id, title: offers.title, networkId: offers.networkId, createdBy: offers.createdBy, slug: networks.slug })
				.from(offers)
				.innerJoin(networks, eq(networks.id, offers.networkId))
				.where(eq(offers.id, id));
			if (!row) return null;
			const rec: ResolvedOffer = {
				type: 'offer',
				id,
				networkId: row.networkId,
				title: row.title,
				url: `/${row.slug}/intern/angebote/${id}`,
				isPublic: false,
				bodyId: null,
				createdBy: row.createdBy
			};
			return rec;
		},
		canRead: (actor, r) => !!r.networkId && canOffer(actor, 'offer.read', { networkId: r.networkId }),
		// Links and files on the offer itself: whoever may edit it (coordinators, the member who entered
		// it). A town links its measure to an offer from the measure's page: there the measure is the
		// side it edits, and the offer only needs to be readable.
		canEdit: (actor, r) =>
			!!r.networkId && canOffer(actor, 'offer.edit', { networkId: r.networkId, createdBy: (r as Partial<ResolvedOffer>).createdBy ?? null })
	});
}
