// What citizen participation contributes to the search page: public ideas (title and text). Only
// the states everyone may see (VISIBLE_STATES: published, merged, turned into a measure) – never
// pending or rejected ones, whoever searches (moderators have their own queue for those).
import { inArray, sql } from 'drizzle-orm';
import { registerSearchSource } from '../search/registry';
import { VISIBLE_STATES } from './ideas';
import { ideas } from './schema';

export function registerParticipationSearch() {
	registerSearchSource({
		kind: 'idea',
		labelKey: 'search.kind.idea',
		byBody: true,
		select: ({ networkId, query, bodyId }) => ({
			columns: {
				id: sql`${ideas.id}`,
				title: sql`${ideas.title}`,
				text: sql`${ideas.body}`,
				rank: sql`ts_rank_cd(${ideas.search}, ${query}, 1)`,
				bodyId: sql`${ideas.bodyId}`,
				at: sql`coalesce(${ideas.publishedAt}, ${ideas.createdAt})`
			},
			from: sql`from ${ideas} where ${ideas.search} @@ ${query} and ${ideas.networkId} = ${networkId}
				and ${inArray(ideas.state, [...VISIBLE_STATES])}
				${bodyId ? sql`and ${ideas.bodyId} = ${bodyId}` : sql``}`
		}),
		// The public page of the idea, in the portal and the working area alike.
		href: ({ id }, { slug }) => `/${slug}/ideen/${id}`
	});
}
