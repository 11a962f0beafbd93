// What the exchange contributes to the search page: discussions by title and posts by text. The
// exchange belongs to the working area (coordinators, members, partners); hidden threads, hidden
// posts, deleted posts and every post of a hidden thread are never found – not even by the
// coordinators who moderate them. Threads and posts have no municipality: they drop out while
// the search is limited to one.
import { sql } from 'drizzle-orm';
import { registerSearchSource } from '../search/registry';
import type { Actor } from '../auth/actor';
import { canExchange } from './permissions';
import { exchangePosts, exchangeThreads } from './schema';
import { postPath, threadPath } from './shared';

/** Who reads the exchange at all: the network's working area (exchange.read). */
const readsExchange = (actor: Actor, networkId: string) => canExchange(actor, 'exchange.read', { networkId });

export function registerExchangeSearch() {
	registerSearchSource({
		kind: 'thread',
		labelKey: 'search.kind.thread',
		byBody: false,
		select({ actor, networkId, query }) {
			if (!readsExchange(actor, networkId)) return null;
			// The snippet comes from the opening post (if it is still there and visible), joined rather
			// than a subquery per row: the planner may then use the post's thread index or a hash join.
			// A thread has one opening post, so the join adds no rows.
			return {
				columns: {
					id: sql`${exchangeThreads.id}`,
					title: sql`${exchangeThreads.title}`,
					text: sql`coalesce(op.body, '')`,
					rank: sql`ts_rank_cd(${exchangeThreads.search}, ${query}, 1)`,
					bodyId: null,
					at: sql`${exchangeThreads.lastPostAt}`
				},
				from: sql`from ${exchangeThreads} left join ${exchangePosts} op on op.thread_id = ${exchangeThreads.id} and op.is_opening
					and op.network_id = ${networkId} and op.deleted_at is null and op.hidden_at is null
					where ${exchangeThreads.search} @@ ${query} and ${exchangeThreads.networkId} = ${networkId}
					and ${exchangeThreads.hiddenAt} is null`
			};
		},
		href: ({ id }, { slug }) => threadPath(slug, id)
	});

	registerSearchSource({
		kind: 'post',
		labelKey: 'search.kind.post',
		byBody: false,
		select({ actor, networkId, query }) {
			if (!readsExchange(actor, networkId)) return null;
			return {
				columns: {
					id: sql`${exchangePosts.id}`,
					title: sql`t.title`,
					text: sql`${exchangePosts.body}`,
					rank: sql`ts_rank_cd(${exchangePosts.search}, ${query}, 1)`,
					bodyId: null,
					at: sql`${exchangePosts.createdAt}`,
					ref: sql`${exchangePosts.threadId}`
				},
				from: sql`from ${exchangePosts} join ${exchangeThreads} t on t.id = ${exchangePosts.threadId} and t.network_id = ${networkId}
					where ${exchangePosts.search} @@ ${query} and ${exchangePosts.networkId} = ${networkId}
					and ${exchangePosts.deletedAt} is null and ${exchangePosts.hiddenAt} is null and t.hidden_at is null`
			};
		},
		// The thread page opens on the page that holds the post (?beitrag=).
		href: ({ id, ref }, { slug }) => postPath(slug, ref ?? '', id)
	});
}
