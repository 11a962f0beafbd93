// The network's audit log (coordinators): who changed what, when, with before/after.
// ?typ=body&id=… narrows it to one record; ?typ=… alone to one kind of record.
import type { PageServerLoad } from './$types';
import { listAudit } from '$lib/server/audit/service';
import { directoryRecordLinks } from '$lib/server/network/directory';
import { recordType, resolveRecord } from '$lib/server/registry';
import { guard } from '$lib/server/http/route';
import { internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import { offerAuditWords } from '$lib/server/offers/audit-words';
import { FUNDING_AUDIT_TYPES, fundingAuditWords } from '$lib/server/funding/audit-words';

/** Technical columns that say nothing to a reader. */
const HIDDEN = new Set(['id', 'networkId', 'createdAt', 'updatedAt', 'tokenHash']);
const TYPES = [
	'network', 'body', 'person', 'partner', 'membership', 'invitation', 'concept', 'field_of_action', 'measure', 'measure_update',
	'measure_task', 'measure_constraint', 'indicator', 'record_link', 'file'
];
// Offers module: its record types in the filter.
TYPES.push('offer', 'offer_assessment');
// Funding module (programmes, windows, applications) and the calendar links: their record types in the filter.
TYPES.push(...FUNDING_AUDIT_TYPES);
/** Fields in the order the forms show them; others follow alphabetically. */
const ORDER = [
	'name', 'slug', 'region', 'description', 'kind', 'ags', 'verbandsgemeinde', 'population', 'populationYear', 'areaKm2', 'lat', 'lon',
	'conceptStatus', 'conceptAdoptedOn', 'conceptResolution', 'managerFundedUntil', 'function', 'functionNote', 'bodyId', 'email', 'phone',
	'tenureFrom', 'tenureUntil', 'url', 'role', 'bodyIds'
];
const rank = (f: string) => (ORDER.includes(f) ? ORDER.indexOf(f) : ORDER.length);
const byFormOrder = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);

const asObject = (v: unknown): Record<string, unknown> | null =>
	v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** A deleted record's name as its last logged state gives it. */
function readableTitle(last: Record<string, unknown> | null): string | null {
	for (const k of ['name', 'title', 'email', 'filename']) {
		const v = last?.[k];
		if (typeof v === 'string' && v) return typeof last?.code === 'string' && k === 'title' ? `${last.code} ${v}` : v;
	}
	return null;
}

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const typ = (url.searchParams.get('typ') ?? '').slice(0, 40);
	const id = (url.searchParams.get('id') ?? '').slice(0, 100);
	const log = await guard(event, () =>
		listAudit(locals.actor, network.id, { recordType: typ || undefined, recordId: id || undefined, page: pageParam(url), pageSize: 25 })
	);
	// Names for the records and for the bodies that person entries point to.
	const refs = log.entries.map((e) => ({ recordType: e.recordType, recordId: e.recordId }));
	for (const e of log.entries) {
		for (const side of [asObject(e.before), asObject(e.after)]) {
			const ids = side ? [side.bodyId, ...(Array.isArray(side.bodyIds) ? side.bodyIds : [])] : [];
			for (const b of ids) if (typeof b === 'string') refs.push({ recordType: 'body', recordId: b });
		}
	}
	const links = await directoryRecordLinks(locals.actor, network.id, refs);
	// Records of the other modules: title and page through the registry, this network only (a page
	// has at most 25 entries, so these are few lookups).
	for (const key of new Set(refs.map((r) => `${r.recordType}:${r.recordId}`))) {
		const [type, rid] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
		if (links[key] || !recordType(type)) continue;
		const rec = await resolveRecord(locals.actor, { type, id: rid });
		if (rec && rec.networkId === network.id) links[key] = { title: rec.title, href: rec.url };
	}
	const bodyNames = Object.fromEntries(
		Object.entries(links)
			.filter(([k]) => k.startsWith('body:'))
			.map(([k, v]) => [k.slice(5), v.title])
	);
	// Logged values in words (enums translated, ids named), one function per module; each returns
	// the record types of other modules unchanged.
	const inWords = [
		// Offers module: offers and their assessments.
		await offerAuditWords(network.id, locals.locale, log.entries),
		// Funding module: programmes, windows, applications and calendar links.
		await fundingAuditWords(network.id, locals.locale, log.entries)
	];
	const words = (type: string, v: Record<string, unknown> | null) => inWords.reduce((acc, f) => f(type, acc), v);
	const entries = log.entries.map((e) => {
		const before = words(e.recordType, asObject(e.before));
		const after = words(e.recordType, asObject(e.after));
		const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((f) => !HIDDEN.has(f))
			.sort(byFormOrder);
		const last = after ?? before;
		const link = links[`${e.recordType}:${e.recordId}`] ?? null;
		return {
			id: e.id,
			action: e.action,
			recordType: e.recordType,
			recordId: e.recordId,
			createdAt: e.createdAt,
			actorName: e.actorName,
			actorDeleted: e.actorDeleted,
			title: link?.title ?? readableTitle(last) ?? e.recordId.slice(0, 8),
			href: link?.href ?? null,
			rows: fields.map((f) => ({ field: f, before: before ? (before[f] ?? null) : undefined, after: after ? (after[f] ?? null) : undefined }))
		};
	});
	const title = translate(locals.locale, 'dir.audit.title');
	const recordTitle = id && typ ? (links[`${typ}:${id}`]?.title ?? entries[0]?.title ?? id) : null;
	return {
		entries,
		bodyNames,
		page: log.page,
		pageSize: log.pageSize,
		total: log.total,
		filter: { typ, id, recordTitle },
		types: TYPES,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};
