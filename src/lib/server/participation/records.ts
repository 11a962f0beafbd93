// Record types of the participation portal, declared in the registry, so files (an idea's photo
// at /dateien/<id>), links between records and the change log treat ideas like any other record.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { networks } from '../db/schema';
import { registerRecordType, type ResolvedRecord } from '../registry';
import { isUuid, UUID_PATTERN as UUID } from '../ids';
import type { Actor } from '../auth/actor';
import { ideas } from './schema';
import { canModerateIdea, canSeeIdea, isVisibleState, type IdeaState } from './ideas';

/** The registry's record plus what the idea's read rule needs. */
interface IdeaRecord extends ResolvedRecord {
	state: IdeaState;
	authorId: string | null;
}

export async function loadIdeaRecord(id: string): Promise<IdeaRecord | null> {
	if (!isUuid(id)) return null;
	const [row] = await db()
		.select({ title: ideas.title, networkId: ideas.networkId, bodyId: ideas.bodyId, state: ideas.state, authorId: ideas.authorId, slug: networks.slug })
		.from(ideas)
		.innerJoin(networks, eq(networks.id, ideas.networkId))
		.where(eq(ideas.id, id));
	if (!row) return null;
	return {
		type: 'idea',
		id,
		networkId: row.networkId,
		title: row.title,
		url: `/${row.slug}/ideen/${id}`,
		isPublic: isVisibleState(row.state),
		bodyId: row.bodyId,
		state: row.state,
		authorId: row.authorId
	};
}

/** A record from load() carries state and author; anything else is treated as pending. */
function asIdea(r: ResolvedRecord): { networkId: string; bodyId: string; state: IdeaState; authorId: string | null } {
	const x = r as Partial<IdeaRecord>;
	return { networkId: r.networkId ?? '', bodyId: r.bodyId ?? '', state: x.state ?? 'pending', authorId: x.authorId ?? null };
}

export function registerParticipationRecords() {
	registerRecordType({
		type: 'idea',
		labelKey: 'record.idea',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/ideen/(${UUID})/?$`), new RegExp(`^/[a-z0-9-]+/intern/beteiligung/ideen/(${UUID})/?$`)],
		load: loadIdeaRecord,
		// Published, merged and measure ideas: everyone; pending and rejected: the author and the moderators.
		canRead: (actor: Actor, r) => canSeeIdea(actor, asIdea(r)),
		canEdit: (actor: Actor, r) => !!r.networkId && canModerateIdea(actor, asIdea(r))
	});
}
