// The towns' applications to funding programmes: what a municipality considers, prepares, submitted
// and got. Members record them for the bodies they represent, coordinators for every body; the
// working area reads them. Links to measures go through record_links (links/service.ts).
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { applicationState, bodies, fundingApplications, fundingProgrammes, fundingWindows, people } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, date, isUuid, number, parseFields, text } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { removeLinksOf } from '../links/service';
import { asDate, NUM_FORMATS, writeSpreadsheet, type Cell, type ExportFormat } from '../files/spreadsheet-export';
import { translate } from '$lib/i18n';
import { parseVersion } from '../validation';
import { applicationBodyIds, canFunding } from './permissions';
import { applyingBodies, contactOptions, loadProgramme, windowOptions } from './programmes';

export const APPLICATION_STATES = applicationState.enumValues;
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export type Application = typeof fundingApplications.$inferSelect;

type Reader = Tx | ReturnType<typeof db>;

// ---- validation ------------------------------------------------------------------------------

const optionalId = (key: string) =>
	z
		.string()
		.trim()
		.refine((s) => s === '' || isUuid(s), { error: key })
		.transform((s) => (s === '' ? null : s));

const amount = () => number({ min: 0, max: 10_000_000_000, grouped: true, key: 'funding.application.amount' });

export const applicationShape = () => ({
	title: text(200),
	state: choice(APPLICATION_STATES),
	windowId: optionalId('funding.application.windowOther'),
	requestedEur: amount(),
	grantedEur: amount(),
	submittedOn: date,
	decidedOn: date,
	contactPersonId: optionalId('funding.application.personUnknown'),
	note: text(5000)
});

export type ApplicationInput = ReturnType<typeof parseApplication>;

/**
 * Field rules and the rules between fields: a decision is not dated before the submission, and a
 * granted amount belongs to an approved application only.
 */
export function parseApplication(input: unknown) {
	return parseFields(applicationShape(), input, (d, errors) => {
		if (d.submittedOn && d.decidedOn && d.decidedOn < d.submittedOn && !errors.decidedOn) errors.decidedOn = 'funding.application.decidedBeforeSubmitted';
		if (d.grantedEur !== null && d.grantedEur !== undefined && d.state && d.state !== 'approved' && !errors.grantedEur) {
			errors.grantedEur = 'funding.application.grantedOnlyApproved';
		}
	});
}

/** The window must be one of the programme's, the contact a person of the network. */
async function checkReferences(tx: Reader, networkId: string, programmeId: string, data: ApplicationInput) {
	const errors: Record<string, string> = {};
	if (data.windowId) {
		const [w] = await tx
			.select({ id: fundingWindows.id })
			.from(fundingWindows)
			.where(and(eq(fundingWindows.id, data.windowId), eq(fundingWindows.programmeId, programmeId), eq(fundingWindows.networkId, networkId)));
		if (!w) errors.windowId = 'funding.application.windowOther';
	}
	if (data.contactPersonId) {
		const [p] = await tx
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.id, data.contactPersonId), eq(people.networkId, networkId)));
		if (!p) errors.contactPersonId = 'funding.application.personUnknown';
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);
}

const field = (input: unknown, key: string): string => {
	const v = (input as Record<string, unknown> | null)?.[key];
	return typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '';
};

// ---- commands --------------------------------------------------------------------------------

export async function loadApplication(tx: Reader, networkId: string, id: string, lock = false): Promise<Application> {
	if (!isUuid(id)) throw new NotFoundError();
	const q = tx
		.select()
		.from(fundingApplications)
		.where(and(eq(fundingApplications.id, id), eq(fundingApplications.networkId, networkId)));
	const [a] = lock ? await q.for('update') : await q;
	if (!a) throw new NotFoundError();
	return a;
}

/** Loads an application the actor may edit; 404 when missing or unreadable, 403 when read-only. */
async function loadEditable(actor: Actor, networkId: string, id: string): Promise<Application> {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	const a = await loadApplication(db(), networkId, id);
	if (!canFunding(actor, 'application.edit', { networkId, bodyId: a.bodyId })) throw new ForbiddenError();
	return a;
}

/**
 * Records an application of a body (`bodyId`) to a programme (`programmeId`). Members for their own
 * bodies, coordinators for all; archived programmes take no new applications.
 */
export async function createApplication(actor: Actor, networkId: string, input: unknown, opts: { isDemo?: boolean; tx?: Tx } = {}): Promise<Application> {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	const programmeId = field(input, 'programmeId');
	const bodyId = field(input, 'bodyId');
	const errors: Record<string, string> = {};
	if (!isUuid(programmeId)) errors.programmeId = 'funding.application.programmeUnknown';
	if (!isUuid(bodyId)) errors.bodyId = bodyId ? 'funding.application.bodyUnknown' : 'validation.required';
	let data: ApplicationInput | null = null;
	try {
		data = parseApplication(input);
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		Object.assign(errors, e.fieldErrors);
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);
	if (!canFunding(actor, 'application.edit', { networkId, bodyId })) {
		// A body of another network or one the member doesn't represent: say so beside the field when
		// the actor may record applications at all, else refuse.
		const [b] = await db().select({ id: bodies.id }).from(bodies).where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
		if (!b) throw new ValidationError({ bodyId: 'funding.application.bodyUnknown' });
		throw new ForbiddenError();
	}
	const write = async (tx: Tx) => {
		const [b] = await tx.select({ id: bodies.id }).from(bodies).where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
		if (!b) throw new ValidationError({ bodyId: 'funding.application.bodyUnknown' });
		let programme;
		try {
			programme = await loadProgramme(tx, networkId, programmeId);
		} catch (e) {
			if (e instanceof NotFoundError) throw new ValidationError({ programmeId: 'funding.application.programmeUnknown' });
			throw e;
		}
		if (programme.archivedAt) throw new ValidationError({ programmeId: 'funding.application.programmeArchived' });
		await checkReferences(tx, networkId, programmeId, data!);
		const [a] = await tx
			.insert(fundingApplications)
			.values({ ...data!, networkId, programmeId, bodyId, isDemo: !!opts.isDemo, createdBy: actor.userId, updatedBy: actor.userId })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'funding_application', recordId: a.id, after: a });
		return a;
	};
	return opts.tx ? write(opts.tx) : db().transaction(write);
}

/**
 * Updates an application (body and programme stay). The form's `version` must be sent and match,
 * else the user keeps their input with the current version and may save again to overwrite.
 */
export async function updateApplication(actor: Actor, networkId: string, id: string, input: unknown): Promise<Application> {
	await loadEditable(actor, networkId, id);
	const data = parseApplication(input);
	const version = parseVersion(input);
	return db().transaction(async (tx) => {
		const before = await loadApplication(tx, networkId, id, true);
		if (version === null) throw new ValidationError({ _form: 'funding.versionMissing' }, { version: String(before.version) });
		if (version !== before.version) {
			throw new ValidationError({ _form: 'funding.editedMeanwhile' }, { version: String(before.version) });
		}
		await checkReferences(tx, networkId, before.programmeId, data);
		const [after] = await tx
			.update(fundingApplications)
			.set({ ...data, version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(fundingApplications.id, id))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'funding_application', recordId: id, before, after });
		return after;
	});
}

/** Deletes an application and its links. */
export async function deleteApplication(actor: Actor, networkId: string, id: string): Promise<void> {
	await loadEditable(actor, networkId, id);
	await db().transaction(async (tx) => {
		const before = await loadApplication(tx, networkId, id, true);
		await removeLinksOf(tx, { type: 'funding_application', id });
		await tx.delete(fundingApplications).where(eq(fundingApplications.id, id));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'funding_application', recordId: id, before });
	});
}

// ---- reading ---------------------------------------------------------------------------------

/** An application as its edit form sends it (decimal comma). */
export function applicationAsForm(a: Application): Record<string, string> {
	const num = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
	return {
		title: a.title,
		state: a.state,
		windowId: a.windowId ?? '',
		requestedEur: num(a.requestedEur),
		grantedEur: num(a.grantedEur),
		submittedOn: a.submittedOn ?? '',
		decidedOn: a.decidedOn ?? '',
		contactPersonId: a.contactPersonId ?? '',
		note: a.note,
		version: String(a.version)
	};
}

/**
 * What the application form offers: the bodies the actor may apply for, the programme's windows,
 * and as contacts the people of the application's town (`bodyId`, on edit) or else of the towns
 * the actor may apply for, the coordination, and the current contact (see contactOptions).
 */
export async function applicationFormOptions(actor: Actor, networkId: string, programmeId: string, opts: { bodyId?: string; contactPersonId?: string | null } = {}) {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	const programme = await loadProgramme(db(), networkId, programmeId);
	const contactBodies = opts.bodyId ? [opts.bodyId] : applicationBodyIds(actor, networkId);
	const [bodyList, windows, contacts] = await Promise.all([
		applyingBodies(actor, networkId),
		windowOptions(networkId, programmeId),
		contactOptions(networkId, { bodyIds: contactBodies, currentId: opts.contactPersonId })
	]);
	return { programme, bodies: bodyList, windows, people: contacts };
}

/** The application's form values and options for its edit page (editors only). */
export async function applicationFormValues(actor: Actor, networkId: string, id: string) {
	const a = await loadEditable(actor, networkId, id);
	const options = await applicationFormOptions(actor, networkId, a.programmeId, { bodyId: a.bodyId, contactPersonId: a.contactPersonId });
	const [body] = await db().select({ name: bodies.name }).from(bodies).where(eq(bodies.id, a.bodyId));
	return { application: a, bodyName: body?.name ?? '', values: applicationAsForm(a), ...options };
}

/**
 * Applications joined with their body, programme, window (if chosen) and contact person (if named):
 * the one query behind the application page, the list and the export.
 */
function withRelations() {
	return db()
		.select({
			a: fundingApplications,
			programme: { id: fundingProgrammes.id, title: fundingProgrammes.title, measureNumber: fundingProgrammes.measureNumber, funder: fundingProgrammes.funder, archivedAt: fundingProgrammes.archivedAt },
			body: { id: bodies.id, name: bodies.name, ags: bodies.ags },
			windowOpensOn: fundingWindows.opensOn,
			windowClosesOn: fundingWindows.closesOn,
			windowNote: fundingWindows.note,
			contactName: people.name
		})
		.from(fundingApplications)
		.innerJoin(bodies, eq(bodies.id, fundingApplications.bodyId))
		.innerJoin(fundingProgrammes, eq(fundingProgrammes.id, fundingApplications.programmeId))
		.leftJoin(fundingWindows, eq(fundingWindows.id, fundingApplications.windowId))
		.leftJoin(people, eq(people.id, fundingApplications.contactPersonId));
}

type RelationRow = Awaited<ReturnType<typeof withRelations>>[number];

/** One application with its programme, body, window and contact, for its page. */
export async function getApplication(actor: Actor, networkId: string, id: string) {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	if (!isUuid(id)) throw new NotFoundError();
	const [row] = await withRelations().where(and(eq(fundingApplications.id, id), eq(fundingApplications.networkId, networkId)));
	if (!row) throw new NotFoundError();
	const { a } = row;
	return {
		...a,
		programme: row.programme,
		body: row.body,
		window: a.windowId && row.windowClosesOn ? { id: a.windowId, opensOn: row.windowOpensOn, closesOn: row.windowClosesOn, note: row.windowNote ?? '' } : null,
		contactPerson: a.contactPersonId && row.contactName ? { id: a.contactPersonId, name: row.contactName } : null,
		canEdit: canFunding(actor, 'application.edit', { networkId, bodyId: a.bodyId })
	};
}

export interface ApplicationFilter {
	state?: ApplicationState;
	programmeId?: string;
	/** AGS of the body. */
	ags?: string;
	page?: number;
	pageSize?: number;
}

/** URL → filter (?stand=…&programm=…&kommune=…). Unknown values are ignored. */
export function applicationFilterFromUrl(url: URL): ApplicationFilter {
	const p = url.searchParams;
	const state = p.get('stand') ?? '';
	const programme = p.get('programm') ?? '';
	const ags = (p.get('kommune') ?? '').trim();
	return {
		state: (APPLICATION_STATES as readonly string[]).includes(state) ? (state as ApplicationState) : undefined,
		programmeId: isUuid(programme) ? programme : undefined,
		ags: /^\d{5}(\d{3})?$/.test(ags) ? ags : undefined
	};
}

/** Filter → URL query (the inverse of applicationFilterFromUrl). */
export function applicationFilterToQuery(f: ApplicationFilter): URLSearchParams {
	const p = new URLSearchParams();
	if (f.state) p.set('stand', f.state);
	if (f.programmeId) p.set('programm', f.programmeId);
	if (f.ags) p.set('kommune', f.ags);
	return p;
}

function applicationWhere(networkId: string, f: ApplicationFilter): SQL {
	return and(
		eq(fundingApplications.networkId, networkId),
		f.state ? eq(fundingApplications.state, f.state) : undefined,
		f.programmeId ? eq(fundingApplications.programmeId, f.programmeId) : undefined,
		f.ags ? eq(bodies.ags, f.ags) : undefined
	)!;
}

export interface ApplicationListItem {
	id: string;
	title: string;
	state: ApplicationState;
	bodyId: string;
	bodyName: string;
	bodyAgs: string;
	programmeId: string;
	programmeTitle: string;
	measureNumber: string;
	windowClosesOn: string | null;
	requestedEur: number | null;
	grantedEur: number | null;
	submittedOn: string | null;
	decidedOn: string | null;
	contactName: string | null;
	note: string;
	isDemo: boolean;
	updatedAt: Date;
}

function listQuery(networkId: string, f: ApplicationFilter) {
	return withRelations()
		.where(applicationWhere(networkId, f))
		.orderBy(asc(bodies.name), asc(fundingProgrammes.title), asc(fundingApplications.createdAt), asc(fundingApplications.id));
}

function listItem({ a, body, programme, windowClosesOn, contactName }: RelationRow): ApplicationListItem {
	return {
		id: a.id,
		title: a.title,
		state: a.state,
		bodyId: a.bodyId,
		bodyName: body.name,
		bodyAgs: body.ags,
		programmeId: a.programmeId,
		programmeTitle: programme.title,
		measureNumber: programme.measureNumber,
		windowClosesOn,
		requestedEur: a.requestedEur,
		grantedEur: a.grantedEur,
		submittedOn: a.submittedOn,
		decidedOn: a.decidedOn,
		contactName,
		note: a.note,
		isDemo: a.isDemo,
		updatedAt: a.updatedAt
	};
}

/** The network's applications by town and programme, filtered and paged. Working area only. */
export async function listApplications(actor: Actor, networkId: string, f: ApplicationFilter = {}) {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(f);
	const [items, [{ total }]] = await Promise.all([
		listQuery(networkId, f)
			.limit(pageSize)
			.offset(offset)
			.then((rows) => rows.map(listItem)),
		db()
			.select({ total: sql<number>`count(*)::int` })
			.from(fundingApplications)
			.innerJoin(bodies, eq(bodies.id, fundingApplications.bodyId))
			.where(applicationWhere(networkId, f))
	]);
	return { items, total, page, pageSize };
}

/** Programmes for the list's filter select (archived ones too: old applications point at them). */
export async function programmeOptions(actor: Actor, networkId: string) {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	return db()
		.select({ id: fundingProgrammes.id, title: fundingProgrammes.title, archived: sql<boolean>`${fundingProgrammes.archivedAt} is not null` })
		.from(fundingProgrammes)
		.where(eq(fundingProgrammes.networkId, networkId))
		.orderBy(asc(fundingProgrammes.title))
		.limit(1000);
}

/** Bodies that have applications, for the list's filter select. */
export async function applicantBodyOptions(actor: Actor, networkId: string) {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	return db()
		.selectDistinct({ name: bodies.name, ags: bodies.ags })
		.from(bodies)
		.innerJoin(fundingApplications, eq(fundingApplications.bodyId, bodies.id))
		.where(eq(bodies.networkId, networkId))
		.orderBy(asc(bodies.name))
		.limit(1000);
}

// ---- export ----------------------------------------------------------------------------------

/** The file's columns; headers are the file format (German, fixed), not UI text. */
export const EXPORT_COLUMNS = [
	{ header: 'ID', width: 38, numFmt: NUM_FORMATS.text },
	{ header: 'Kommune', width: 24, numFmt: NUM_FORMATS.text },
	{ header: 'AGS', width: 10, numFmt: NUM_FORMATS.text },
	{ header: 'Programm', width: 40, numFmt: NUM_FORMATS.text },
	{ header: 'Förderschwerpunkt', width: 12, numFmt: NUM_FORMATS.text },
	{ header: 'Titel', width: 36, numFmt: NUM_FORMATS.text },
	{ header: 'Stand', width: 14, numFmt: NUM_FORMATS.text },
	{ header: 'Frist', width: 12, numFmt: NUM_FORMATS.date },
	{ header: 'Beantragt (EUR)', width: 15, numFmt: NUM_FORMATS.decimal },
	{ header: 'Bewilligt (EUR)', width: 15, numFmt: NUM_FORMATS.decimal },
	{ header: 'Eingereicht am', width: 13, numFmt: NUM_FORMATS.date },
	{ header: 'Entschieden am', width: 13, numFmt: NUM_FORMATS.date },
	{ header: 'Ansprechperson', width: 24, numFmt: NUM_FORMATS.text },
	{ header: 'Anmerkung', width: 40, numFmt: NUM_FORMATS.text }
] as const;

function exportRow(a: ApplicationListItem): Cell[] {
	return [
		a.id,
		a.bodyName,
		a.bodyAgs,
		a.programmeTitle,
		a.measureNumber,
		a.title,
		translate('de', `funding.state.${a.state}`),
		asDate(a.windowClosesOn),
		a.requestedEur,
		a.grantedEur,
		asDate(a.submittedOn),
		asDate(a.decidedOn),
		a.contactName ?? '',
		a.note
	];
}

/** "foerderantraege-harz-2026-05-01.xlsx". */
export const EXPORT_PREFIX = 'foerderantraege';

/** The filtered list as .xlsx or CSV (the same helpers as the measures export). Working area only. */
export async function exportApplications(actor: Actor, networkId: string, f: ApplicationFilter, format: ExportFormat): Promise<Uint8Array> {
	if (!canFunding(actor, 'funding.read', { networkId })) throw new ForbiddenError();
	async function* rows() {
		const batch = 200;
		for (let offset = 0; ; offset += batch) {
			const items = (await listQuery(networkId, f).limit(batch).offset(offset)).map(listItem);
			for (const a of items) yield exportRow(a);
			if (items.length < batch) return;
		}
	}
	return writeSpreadsheet(format, { sheetName: 'Förderanträge', columns: EXPORT_COLUMNS, rows: rows() });
}


