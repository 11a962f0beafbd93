// The record type 'meeting' in the registry: links, agenda references, files (attachments) and
// the audit log find meetings through it. The working area reads every meeting of its network,
// everyone reads public ones; coordinators edit (attach files, add links).
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { meetings, networks } from '../db/schema';
import { registerRecordType } from '../registry';
import { isUuid } from '../ids';
import { formatDate } from '$lib/i18n';
import { canMeeting } from './permissions';

/**
 * /<slug>/intern/treffen/<id> (and its sub-pages) and the public /<slug>/treffen/<id>. The id is
 * checked by load() (isUuid), so the pattern only has to cut it out.
 */
export const MEETING_PATH = /^\/[a-z0-9-]+\/(?:intern\/)?treffen\/([0-9a-fA-F-]{36})(?:\/[a-z0-9/-]*)?$/;

export function registerMeetingRecords() {
	registerRecordType({
		type: 'meeting',
		labelKey: 'record.meeting',
		pathPatterns: [MEETING_PATH],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ title: meetings.title, startsAt: meetings.startsAt, networkId: meetings.networkId, isPublic: meetings.isPublic, bodyId: meetings.hostBodyId, slug: networks.slug })
				.from(meetings)
				.innerJoin(networks, eq(networks.id, meetings.networkId))
				.where(eq(meetings.id, id));
			if (!row) return null;
			return {
				type: 'meeting',
				id,
				networkId: row.networkId,
				title: `${row.title} (${formatDate(row.startsAt, 'de')})`,
				url: `/${row.slug}/intern/treffen/${id}`,
				isPublic: row.isPublic,
				bodyId: row.bodyId
			};
		},
		canRead: (actor, r) => r.isPublic || (!!r.networkId && canMeeting(actor, 'meeting.read', { networkId: r.networkId })),
		canEdit: (actor, r) => !!r.networkId && canMeeting(actor, 'meeting.manage', { networkId: r.networkId })
	});
}
