// Record types of the funding module, declared in the registry (links, files, search, audit).
// Both are internal: the working area reads them; programmes are edited by coordinators,
// applications by the applying body's members and coordinators.
import { eq } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, fundingApplications, fundingProgrammes, networks } from '../db/schema';
import { registerRecordType } from '../registry';
import { isUuid, UUID_PATTERN as UUID } from '../ids';
import { canFunding } from './permissions';

export function registerFundingRecords() {
	registerRecordType({
		type: 'funding_programme',
		labelKey: 'record.fundingProgramme',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/intern/foerderung/(${UUID})(?:/bearbeiten)?/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({ id: fundingProgrammes.id, title: fundingProgrammes.title, measureNumber: fundingProgrammes.measureNumber, networkId: fundingProgrammes.networkId, slug: networks.slug })
				.from(fundingProgrammes)
				.innerJoin(networks, eq(networks.id, fundingProgrammes.networkId))
				.where(eq(fundingProgrammes.id, id));
			if (!row) return null;
			return {
				type: 'funding_programme',
				id,
				networkId: row.networkId,
				title: row.measureNumber ? `${row.title} (${row.measureNumber})` : row.title,
				url: `/${row.slug}/intern/foerderung/${id}`,
				isPublic: false
			};
		},
		canRead: (actor, r) => !!r.networkId && canFunding(actor, 'funding.read', { networkId: r.networkId }),
		canEdit: (actor, r) => !!r.networkId && canFunding(actor, 'programme.manage', { networkId: r.networkId })
	});
	registerRecordType({
		type: 'funding_application',
		labelKey: 'record.fundingApplication',
		pathPatterns: [new RegExp(`^/[a-z0-9-]+/intern/foerderung/antraege/(${UUID})(?:/bearbeiten)?/?$`)],
		async load(id) {
			if (!isUuid(id)) return null;
			const [row] = await db()
				.select({
					title: fundingApplications.title,
					networkId: fundingApplications.networkId,
					bodyId: fundingApplications.bodyId,
					bodyName: bodies.name,
					programmeTitle: fundingProgrammes.title,
					slug: networks.slug
				})
				.from(fundingApplications)
				.innerJoin(bodies, eq(bodies.id, fundingApplications.bodyId))
				.innerJoin(fundingProgrammes, eq(fundingProgrammes.id, fundingApplications.programmeId))
				.innerJoin(networks, eq(networks.id, fundingApplications.networkId))
				.where(eq(fundingApplications.id, id));
			if (!row) return null;
			return {
				type: 'funding_application',
				id,
				networkId: row.networkId,
				title: `${row.bodyName}: ${row.title || row.programmeTitle}`,
				url: `/${row.slug}/intern/foerderung/antraege/${id}`,
				isPublic: false,
				bodyId: row.bodyId
			};
		},
		canRead: (actor, r) => !!r.networkId && canFunding(actor, 'funding.read', { networkId: r.networkId }),
		canEdit: (actor, r) => !!r.networkId && canFunding(actor, 'application.edit', { networkId: r.networkId, bodyId: r.bodyId })
	});
}
