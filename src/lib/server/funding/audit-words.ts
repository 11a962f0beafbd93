// The change log's view of the funding module (programmes, windows, applications) and of the
// calendar links: logged values in words – application states in the reader's language, the
// programme, window, contact person and moved applications by name or date instead of their ids,
// bookkeeping columns (version, sequence, created/updated by) left out. The log page calls
// `fundingAuditWords` once per page of entries and passes every logged state through the function
// it returns; other record types come back unchanged.
import { and, eq, inArray } from 'drizzle-orm';
import { translate, type Locale } from '$lib/i18n';
import { db } from '../db/client';
import { bodies, fundingApplications, fundingProgrammes, fundingWindows, people } from '../db/schema';
import { isUuid } from '../ids';

type Values = Record<string, unknown> | null;

/** The record types this module logs, for the log's type filter. */
export const FUNDING_AUDIT_TYPES = ['funding_programme', 'funding_window', 'funding_application', 'calendar_token'] as const;

const TYPES = new Set<string>(FUNDING_AUDIT_TYPES);

/** Counters and bookkeeping that say nothing to a reader (who and when stand above each entry). */
const DROP = new Set(['version', 'sequence', 'createdBy', 'updatedBy', 'userId', 'tokenHash', 'lastUsedAt']);

const obj = (v: unknown): Values => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * Names of the programmes, windows, people and applications the given entries point to (this
 * network only), and the function that puts a logged funding state into words.
 */
export async function fundingAuditWords(
	networkId: string,
	locale: Locale,
	entries: readonly { recordType: string; before: unknown; after: unknown }[]
): Promise<(recordType: string, values: Values) => Values> {
	const ids = { programme: new Set<string>(), window: new Set<string>(), person: new Set<string>(), application: new Set<string>() };
	const add = (set: Set<string>, v: unknown) => {
		if (typeof v === 'string' && isUuid(v)) set.add(v);
	};
	for (const e of entries) {
		if (!TYPES.has(e.recordType)) continue;
		for (const side of [obj(e.before), obj(e.after)]) {
			if (!side) continue;
			add(ids.programme, side.programmeId);
			add(ids.window, side.windowId);
			add(ids.person, side.contactPersonId);
			if (Array.isArray(side.applicationIds)) for (const a of side.applicationIds.slice(0, 200)) add(ids.application, a);
		}
	}
	const [programmes, windows, persons, applications] = await Promise.all([
		ids.programme.size
			? db()
					.select({ id: fundingProgrammes.id, title: fundingProgrammes.title })
					.from(fundingProgrammes)
					.where(and(eq(fundingProgrammes.networkId, networkId), inArray(fundingProgrammes.id, [...ids.programme])))
			: [],
		ids.window.size
			? db()
					.select({ id: fundingWindows.id, closesOn: fundingWindows.closesOn })
					.from(fundingWindows)
					.where(and(eq(fundingWindows.networkId, networkId), inArray(fundingWindows.id, [...ids.window])))
			: [],
		ids.person.size
			? db()
					.select({ id: people.id, name: people.name })
					.from(people)
					.where(and(eq(people.networkId, networkId), inArray(people.id, [...ids.person])))
			: [],
		ids.application.size
			? db()
					.select({ id: fundingApplications.id, title: fundingApplications.title, bodyName: bodies.name })
					.from(fundingApplications)
					.innerJoin(bodies, eq(bodies.id, fundingApplications.bodyId))
					.where(and(eq(fundingApplications.networkId, networkId), inArray(fundingApplications.id, [...ids.application])))
			: []
	]);
	const programmeTitle = new Map(programmes.map((p) => [p.id, p.title]));
	const windowDay = new Map(windows.map((w) => [w.id, w.closesOn]));
	const personName = new Map(persons.map((p) => [p.id, p.name]));
	const applicationName = new Map(applications.map((a) => [a.id, a.title ? `${a.bodyName}: ${a.title}` : a.bodyName]));
	const tr = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const named = (map: Map<string, string>, v: unknown, goneKey: string) => (typeof v === 'string' ? (map.get(v) ?? tr(goneKey)) : v);

	return (recordType, values) => {
		if (!values || !TYPES.has(recordType)) return values;
		const out: Record<string, unknown> = {};
		for (const [field, v] of Object.entries(values)) {
			if (DROP.has(field)) continue;
			if (field === 'state' && typeof v === 'string') {
				const key = `funding.state.${v}`;
				out.state = tr(key) === key ? v : tr(key);
			} else if (field === 'programmeId') out.programmeId = named(programmeTitle, v, 'funding.audit.programmeGone');
			// A window by its closing day (the log shows it as a date); a deleted one in words.
			else if (field === 'windowId') out.windowId = v === null ? tr('funding.deadlines.undecided') : named(windowDay, v, 'funding.audit.windowGone');
			else if (field === 'contactPersonId') out.contactPersonId = named(personName, v, 'funding.audit.personGone');
			else if (field === 'applicationIds' && Array.isArray(v))
				out.applicationIds = v.length ? v.map((a) => named(applicationName, a, 'funding.audit.applicationGone')).join('; ') : null;
			else out[field] = v;
		}
		return out;
	};
}
