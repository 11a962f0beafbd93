// What meetings contribute to the search page: title and venue, description and minutes.
// Read rule (canReadMeeting): the working area finds every meeting of the network; everyone else
// only public ones, and only by their public fields – the minutes are internal, so for them the
// match and the snippet use a vector of title, venue and description built on the fly (after the
// GIN index on `search` narrowed the rows; a network has few meetings).
import { sql } from 'drizzle-orm';
import { registerSearchSource } from '../search/registry';
import { canMeeting } from './permissions';
import { meetings } from './schema';

const publicVector = sql`(setweight(to_tsvector('german', coalesce(${meetings.title}, '') || ' ' || coalesce(${meetings.venueName}, '')), 'A') || setweight(to_tsvector('german', coalesce(${meetings.description}, '')), 'B'))`;

export function registerMeetingSearch() {
	registerSearchSource({
		kind: 'meeting',
		labelKey: 'search.kind.meeting',
		byBody: true,
		select({ actor, networkId, query, bodyId }) {
			const all = canMeeting(actor, 'meeting.read', { networkId });
			return {
				columns: {
					id: sql`${meetings.id}`,
					title: sql`${meetings.title}`,
					text: all ? sql`${meetings.description} || E'\n' || ${meetings.minutes}` : sql`${meetings.description}`,
					rank: sql`ts_rank_cd(${all ? meetings.search : publicVector}, ${query}, 1)`,
					bodyId: sql`${meetings.hostBodyId}`,
					at: sql`${meetings.startsAt}`
				},
				from: sql`from ${meetings} where ${meetings.search} @@ ${query} and ${meetings.networkId} = ${networkId}
					${all ? sql`` : sql`and ${meetings.isPublic} and ${publicVector} @@ ${query}`}
					${bodyId ? sql`and ${meetings.hostBodyId} = ${bodyId}` : sql``}`
			};
		},
		href: ({ id }, { slug, internal }) => (internal ? `/${slug}/intern/treffen/${id}` : `/${slug}/treffen/${id}`)
	});
}
