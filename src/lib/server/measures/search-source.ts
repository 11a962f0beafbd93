// What concepts and measures contribute to the search page: measures by title and description.
// Read rule (canReadMeasure): the working area reads every measure of the network, everyone else
// the public ones – here as a WHERE, so pages and counts hold only what the actor may open.
import { sql } from 'drizzle-orm';
import { registerSearchSource } from '../search/registry';
import { canMeasure } from './permissions';
import { measures } from './schema';

export function registerMeasureSearch() {
	registerSearchSource({
		kind: 'measure',
		labelKey: 'search.kind.measure',
		byBody: true,
		select({ actor, networkId, query, bodyId }) {
			const all = canMeasure(actor, 'measure.read', { networkId });
			return {
				columns: {
					id: sql`${measures.id}`,
					title: sql`${measures.title}`,
					text: sql`${measures.description}`,
					rank: sql`ts_rank_cd(${measures.search}, ${query}, 1)`,
					bodyId: sql`${measures.bodyId}`,
					at: sql`${measures.updatedAt}`
				},
				from: sql`from ${measures} where ${measures.search} @@ ${query} and ${measures.networkId} = ${networkId}
					${all ? sql`` : sql`and ${measures.isPublic}`}
					${bodyId ? sql`and ${measures.bodyId} = ${bodyId}` : sql``}`
			};
		},
		href: ({ id }, { slug, internal }) => (internal ? `/${slug}/intern/massnahmen/${id}` : `/${slug}/massnahmen/${id}`)
	});
}
