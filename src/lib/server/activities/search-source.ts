// What joint activities contribute to the search page: title and description. Read rule
// (canReadActivity): the working area finds every activity of the network, everyone else the
// public ones. An activity belongs to its proposing town and to every town taking part, so the
// municipality filter keeps it for any of them; the town shown is the proposer.
import { sql } from 'drizzle-orm';
import { registerSearchSource } from '../search/registry';
import { canActivity } from './permissions';
import { activities, activityParticipants } from './schema';

export function registerActivitySearch() {
	registerSearchSource({
		kind: 'activity',
		labelKey: 'search.kind.activity',
		byBody: true,
		select({ actor, networkId, query, bodyId }) {
			const all = canActivity(actor, 'activity.read', { networkId });
			const ofBody = sql`and (${activities.proposerBodyId} = ${bodyId} or exists (select 1 from ${activityParticipants}
				where ${activityParticipants.activityId} = ${activities.id} and ${activityParticipants.bodyId} = ${bodyId}))`;
			return {
				columns: {
					id: sql`${activities.id}`,
					title: sql`${activities.title}`,
					text: sql`${activities.description}`,
					rank: sql`ts_rank_cd(${activities.search}, ${query}, 1)`,
					bodyId: sql`${activities.proposerBodyId}`,
					at: sql`${activities.updatedAt}`
				},
				from: sql`from ${activities} where ${activities.search} @@ ${query} and ${activities.networkId} = ${networkId}
					${all ? sql`` : sql`and ${activities.isPublic}`}
					${bodyId ? ofBody : sql``}`
			};
		},
		href: ({ id }, { slug, internal }) => (internal ? `/${slug}/intern/aktivitaeten/${id}` : `/${slug}/aktivitaeten/${id}`)
	});
}
