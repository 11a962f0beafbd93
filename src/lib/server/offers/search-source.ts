// What offers contribute to the search page: title, provider and description. Offers belong to the
// working area only (offer.read); archived ones stay readable and findable. They have no
// municipality, so they drop out while the search is limited to one.
import { sql } from 'drizzle-orm';
import { registerSearchSource } from '../search/registry';
import { canOffer } from './permissions';
import { offers } from './schema';

export function registerOfferSearch() {
	registerSearchSource({
		kind: 'offer',
		labelKey: 'search.kind.offer',
		byBody: false,
		select({ actor, networkId, query }) {
			if (!canOffer(actor, 'offer.read', { networkId })) return null;
			return {
				columns: {
					id: sql`${offers.id}`,
					title: sql`${offers.title}`,
					text: sql`${offers.provider} || '. ' || ${offers.description}`,
					rank: sql`ts_rank_cd(${offers.search}, ${query}, 1)`,
					bodyId: null,
					at: sql`${offers.updatedAt}`
				},
				from: sql`from ${offers} where ${offers.search} @@ ${query} and ${offers.networkId} = ${networkId}`
			};
		},
		href: ({ id }, { slug }) => `/${slug}/intern/angebote/${id}`
	});
}
