// What the network directory contributes to the search page: municipalities (everyone: the portal
// shows them) and people (the working area only, like the directory; visitors never). Both tables
// are small per network and have no search column: the rows are narrowed by network_id (indexed)
// first and the vector is built on the fly.
import { sql } from 'drizzle-orm';
import { registerSearchSource } from '../search/registry';
import { canNetwork } from './permissions';
import { bodies, people } from './schema';

const bodyVector = sql`(setweight(to_tsvector('german', ${bodies.name}), 'A') || setweight(to_tsvector('german', coalesce(${bodies.verbandsgemeinde}, '')), 'B'))`;
const personVector = sql`(setweight(to_tsvector('german', ${people.name}), 'A') || setweight(to_tsvector('german', ${people.functionNote}), 'B'))`;

export function registerNetworkSearch() {
	registerSearchSource({
		kind: 'body',
		labelKey: 'search.kind.body',
		byBody: true,
		select: ({ networkId, query, bodyId }) => ({
			columns: {
				id: sql`${bodies.id}`,
				title: sql`${bodies.name}`,
				text: sql`coalesce(${bodies.verbandsgemeinde}, '')`,
				rank: sql`ts_rank_cd(${bodyVector}, ${query}, 1)`,
				bodyId: sql`${bodies.id}`,
				at: sql`${bodies.updatedAt}`,
				ref: sql`${bodies.ags}`
			},
			from: sql`from ${bodies} where ${bodies.networkId} = ${networkId} and ${bodyVector} @@ ${query}
				${bodyId ? sql`and ${bodies.id} = ${bodyId}` : sql``}`
		}),
		href: ({ ref }, { slug, internal }) => (internal ? `/${slug}/intern/kommunen/${ref}` : `/${slug}/kommunen/${ref}`)
	});

	registerSearchSource({
		kind: 'person',
		labelKey: 'search.kind.person',
		byBody: true,
		select({ actor, networkId, query, bodyId }) {
			if (!canNetwork(actor, 'network.enter', { networkId })) return null;
			return {
				columns: {
					id: sql`${people.id}`,
					title: sql`${people.name}`,
					text: sql`${people.functionNote}`,
					rank: sql`ts_rank_cd(${personVector}, ${query}, 1)`,
					bodyId: sql`${people.bodyId}`,
					at: sql`${people.updatedAt}`
				},
				from: sql`from ${people} where ${people.networkId} = ${networkId} and ${personVector} @@ ${query}
					${bodyId ? sql`and ${people.bodyId} = ${bodyId}` : sql``}`
			};
		},
		href: ({ id }, { slug }) => `/${slug}/intern/personen/${id}`
	});
}
