// Measures: create, edit (with a version check so concurrent edits are not lost), delete, read.
// Changing status or completion writes a status update automatically (history.ts).
import { and, eq, getTableColumns, inArray, ne, or } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, comments, concepts, fieldsOfAction, follows, ideas, measurePartners, measurePriority, measures, measureStatus, measureTerm, people, reports } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, date, isUniqueViolation, isUuid, number, parseFields, text, todayIso } from '../network/directory-shared';
import { canMeasure, canReadMeasure } from './permissions';
import { conceptForMeasure } from './concepts';
import { writeAutomaticUpdate } from './history';
import { removeLinksOf } from '../links/service';

export const MEASURE_STATUSES = measureStatus.enumValues;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
/** Statuses that need a reason. */
export const REASON_STATUSES: readonly MeasureStatus[] = ['on_hold', 'discarded'];
/** Statuses in which a measure is finished: no longer overdue, no reminders. */
export const CLOSED_STATUSES: readonly MeasureStatus[] = ['completed', 'discarded'];
export const PRIORITIES = measurePriority.enumValues;
export const TERMS = measureTerm.enumValues;

/** All columns but the search vector (which is derived and would clutter the audit log). */
const { search: _search, ...measureColumns } = getTableColumns(measures);
export type Measure = Omit<typeof measures.$inferSelect, 'search'>;

export async function loadMeasure(tx: Tx | ReturnType<typeof db>, networkId: string, measureId: string, lock = false): Promise<Measure> {
	if (!isUuid(measureId)) throw new NotFoundError();
	const q = tx
		.select(measureColumns)
		.from(measures)
		.where(and(eq(measures.id, measureId), eq(measures.networkId, networkId)));
	const [m] = lock ? await q.for('update') : await q;
	if (!m) throw new NotFoundError();
	return m;
}

/** Loads a measure the actor may edit; 404 when missing, 403 when they may not. */
export async function loadEditableMeasure(actor: Actor, networkId: string, measureId: string): Promise<Measure> {
	const m = await loadMeasure(db(), networkId, measureId);
	if (!canReadMeasure(actor, m)) throw new NotFoundError();
	if (!canMeasure(actor, 'measure.edit', { networkId, bodyId: m.bodyId })) throw new ForbiddenError();
	return m;
}

const optionalId = (key: string) =>
	z
		.string()
		.trim()
		.refine((s) => s === '' || isUuid(s), { error: key })
		.transform((s) => (s === '' ? null : s));

const checkbox = z.string().transform((s) => s === 'on' || s === 'true' || s === '1');

export const measureShape = () => ({
	code: text(50, true),
	title: text(200, true),
	description: text(20000),
	fieldId: optionalId('measure.fieldUnknown'),
	status: choice(MEASURE_STATUSES),
	statusReason: text(2000),
	progress: number({ min: 0, max: 100, integer: true, key: 'measure.progress' }).transform((n) => n ?? 0),
	priority: choice(PRIORITIES),
	term: z
		.string()
		.trim()
		.refine((s) => s === '' || (TERMS as readonly string[]).includes(s), { error: 'validation.choice' })
		.transform((s) => (s === '' ? null : (s as (typeof TERMS)[number]))),
	responsibleBodyId: optionalId('measure.bodyUnknown'),
	contactPersonId: optionalId('measure.personUnknown'),
	plannedStart: date,
	plannedEnd: date,
	actualStart: date,
	actualEnd: date,
	costEstimate: number({ min: 0, max: 10_000_000_000, grouped: true, key: 'measure.cost' }),
	fundingSource: text(500),
	savingsT: number({ min: 0, max: 10_000_000, grouped: true, key: 'measure.savings' }),
	isPublic: checkbox
});

export type MeasureInput = ReturnType<typeof parseMeasure>;

/** Field rules and the rules between fields (end after start, a reason where the status needs one). */
export function parseMeasure(input: unknown) {
	return parseFields(measureShape(), input, (d, errors) => {
		if (d.status && REASON_STATUSES.includes(d.status) && !d.statusReason && !errors.statusReason) {
			errors.statusReason = 'measure.reasonRequired';
		}
		if (d.plannedStart && d.plannedEnd && d.plannedEnd < d.plannedStart && !errors.plannedEnd) errors.plannedEnd = 'measure.endBeforeStart';
		if (d.actualStart && d.actualEnd && d.actualEnd < d.actualStart && !errors.actualEnd) errors.actualEnd = 'measure.endBeforeStart';
	});
}

/** Partner body ids from the form (checkboxes: one value or several). */
function partnerIds(input: unknown): string[] {
	const raw = (input && typeof input === 'object' ? (input as Record<string, unknown>).partnerBodyIds : undefined) ?? [];
	const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v !== '');
	if (list.some((v) => !isUuid(v))) throw new ValidationError({ partnerBodyIds: 'measure.bodyUnknown' });
	return [...new Set(list)].slice(0, 200);
}

/** Checks that referenced bodies, people and the field belong to this network and concept. */
async function checkReferences(tx: Tx, networkId: string, fieldIds: string[], data: MeasureInput, partners: string[]) {
	const errors: Record<string, string> = {};
	if (data.fieldId && !fieldIds.includes(data.fieldId)) errors.fieldId = 'measure.fieldUnknown';
	const bodyIds = [...new Set([...(data.responsibleBodyId ? [data.responsibleBodyId] : []), ...partners])];
	if (bodyIds.length) {
		const found = await tx
			.select({ id: bodies.id })
			.from(bodies)
			.where(and(eq(bodies.networkId, networkId), inArray(bodies.id, bodyIds)));
		const ok = new Set(found.map((b) => b.id));
		if (data.responsibleBodyId && !ok.has(data.responsibleBodyId)) errors.responsibleBodyId = 'measure.bodyUnknown';
		if (partners.some((p) => !ok.has(p))) errors.partnerBodyIds = 'measure.bodyUnknown';
	}
	if (data.contactPersonId) {
		const [p] = await tx
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.id, data.contactPersonId), eq(people.networkId, networkId)));
		if (!p) errors.contactPersonId = 'measure.personUnknown';
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);
}

async function ensureCodeFree(tx: Tx, conceptId: string, code: string, exceptId?: string) {
	const [taken] = await tx
		.select({ id: measures.id })
		.from(measures)
		.where(and(eq(measures.conceptId, conceptId), eq(measures.code, code), exceptId ? ne(measures.id, exceptId) : undefined));
	if (taken) throw new ValidationError({ code: 'measure.codeTaken' });
}

async function setPartners(tx: Tx, networkId: string, measureId: string, ownBodyId: string, partners: string[]) {
	await tx.delete(measurePartners).where(eq(measurePartners.measureId, measureId));
	const list = partners.filter((p) => p !== ownBodyId);
	if (list.length) await tx.insert(measurePartners).values(list.map((bodyId) => ({ measureId, bodyId, networkId })));
}

/** Keeps the unique-index race (two saves of the same code at once) a field error, not a 500. */
async function codeSafe<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		if (isUniqueViolation(e)) throw new ValidationError({ code: 'measure.codeTaken' });
		throw e;
	}
}

/**
 * Creates a measure in a concept. `extra.copiedFromId` lets the copy command keep the link to its
 * original; `extra.tx` runs it inside the caller's transaction (an idea becoming a measure creates
 * the measure under the idea's lock), else it opens its own.
 */
export async function createMeasure(
	actor: Actor,
	networkId: string,
	conceptId: string,
	input: unknown,
	extra: { copiedFromId?: string; tx?: Tx } = {}
): Promise<Measure> {
	const { concept, fieldIds } = await conceptForMeasure(extra.tx ?? db(), networkId, conceptId);
	if (!canMeasure(actor, 'measure.edit', { networkId, bodyId: concept.bodyId })) throw new ForbiddenError();
	const data = parseMeasure(input);
	const partners = partnerIds(input);
	const write = async (tx: Tx) => {
		await checkReferences(tx, networkId, fieldIds, data, partners);
		await ensureCodeFree(tx, conceptId, data.code);
		const [m] = await tx
			.insert(measures)
			.values({ ...data, networkId, conceptId, bodyId: concept.bodyId, copiedFromId: extra.copiedFromId ?? null })
			.returning(measureColumns);
		await setPartners(tx, networkId, m.id, concept.bodyId, partners);
		await writeAutomaticUpdate(tx, actor, m, { kind: 'created' });
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'measure', recordId: m.id, after: { ...m, partnerBodyIds: partners } });
		return m;
	};
	return codeSafe(() => (extra.tx ? write(extra.tx) : db().transaction(write)));
}

/**
 * Updates a measure. `version` in the input must match the stored one; otherwise someone saved in
 * between and the user sees a message, keeps their input, and may save again to overwrite.
 */
export async function updateMeasure(actor: Actor, networkId: string, measureId: string, input: unknown): Promise<Measure> {
	const current = await loadEditableMeasure(actor, networkId, measureId);
	const { fieldIds } = await conceptForMeasure(db(), networkId, current.conceptId);
	const data = parseMeasure(input);
	const partners = partnerIds(input);
	const version = Number((input as Record<string, unknown>)?.version);
	return codeSafe(() =>
		db().transaction(async (tx) => {
			const before = await loadMeasure(tx, networkId, measureId, true);
			if (Number.isInteger(version) && version !== before.version) {
				throw new ValidationError({ _form: 'measure.editedMeanwhile' }, { version: String(before.version) });
			}
			await checkReferences(tx, networkId, fieldIds, data, partners);
			if (data.code !== before.code) await ensureCodeFree(tx, before.conceptId, data.code, measureId);
			const beforePartners = await partnersOf(tx, measureId);
			const [after] = await tx
				.update(measures)
				.set({ ...data, version: before.version + 1, updatedAt: new Date() })
				.where(eq(measures.id, measureId))
				.returning(measureColumns);
			await setPartners(tx, networkId, measureId, before.bodyId, partners);
			if (before.status !== after.status || before.progress !== after.progress) {
				await writeAutomaticUpdate(tx, actor, after, { kind: 'status', before });
			}
			await recordChange(tx, actor, {
				networkId,
				action: 'update',
				recordType: 'measure',
				recordId: measureId,
				before: { ...before, partnerBodyIds: beforePartners },
				after: { ...after, partnerBodyIds: partners.filter((p) => p !== before.bodyId) }
			});
			return after;
		})
	);
}

async function partnersOf(tx: Tx | ReturnType<typeof db>, measureId: string): Promise<string[]> {
	const rows = await tx.select({ bodyId: measurePartners.bodyId }).from(measurePartners).where(eq(measurePartners.measureId, measureId));
	return rows.map((r) => r.bodyId);
}

/**
 * Deletes a measure with what hangs on it. Ideas that became this measure are published again (the
 * idea is still the resident's; a coordinator may link it anew). Comments, follows and reports point
 * at the measure by type and id, not by foreign key: they go with it explicitly.
 */
export async function deleteMeasure(actor: Actor, networkId: string, measureId: string): Promise<void> {
	await loadEditableMeasure(actor, networkId, measureId);
	await db().transaction(async (tx) => {
		const before = await loadMeasure(tx, networkId, measureId, true);
		// Links are stored by type and id, not as foreign keys: they go with the measure explicitly.
		await removeLinksOf(tx, { type: 'measure', id: measureId });
		await releaseIdeas(tx, actor, networkId, measureId);
		await removeParticipation(tx, networkId, measureId);
		await tx.delete(measures).where(eq(measures.id, measureId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'measure', recordId: measureId, before });
	});
}

/** Ideas linked to a measure about to go: back to published, unlinked, one audit entry each. */
async function releaseIdeas(tx: Tx, actor: Actor, networkId: string, measureId: string) {
	const { search: _s, ...ideaCols } = getTableColumns(ideas);
	const linked = await tx
		.select(ideaCols)
		.from(ideas)
		.where(and(eq(ideas.networkId, networkId), eq(ideas.measureId, measureId)))
		.orderBy(ideas.id)
		.for('update');
	const now = new Date();
	for (const before of linked) {
		const [after] = await tx
			.update(ideas)
			.set({ measureId: null, state: before.state === 'measure' ? 'published' : before.state, stateReason: '', updatedAt: now })
			.where(eq(ideas.id, before.id))
			.returning(ideaCols);
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'idea', recordId: before.id, before, after });
	}
}

/** The measure's comments, follows and reports (on the measure and on its comments). */
async function removeParticipation(tx: Tx, networkId: string, measureId: string) {
	const onMeasure = and(eq(comments.networkId, networkId), eq(comments.targetType, 'measure'), eq(comments.targetId, measureId));
	const commentIds = tx.select({ id: comments.id }).from(comments).where(onMeasure);
	await tx
		.delete(reports)
		.where(
			and(
				eq(reports.networkId, networkId),
				or(and(eq(reports.targetType, 'measure'), eq(reports.targetId, measureId)), and(eq(reports.targetType, 'comment'), inArray(reports.targetId, commentIds)))
			)
		);
	await tx.delete(follows).where(and(eq(follows.networkId, networkId), eq(follows.targetType, 'measure'), eq(follows.targetId, measureId)));
	// Replies go with their parents (parent_id cascades).
	await tx.delete(comments).where(onMeasure);
}

export interface MeasureDetail extends Measure {
	bodyName: string;
	bodyAgs: string;
	conceptTitle: string;
	field: { id: string; name: string; color: string; theme: string } | null;
	responsibleBody: { id: string; name: string; ags: string } | null;
	contactPerson: { id: string; name: string } | null;
	partners: { id: string; name: string; ags: string }[];
	copiedFrom: { id: string; code: string; title: string; bodyName: string } | null;
	/** Planned end passed and not finished. */
	overdue: boolean;
	canEdit: boolean;
}

/** One measure with what its page shows. Internal measures only for the working area (404 else). */
export async function getMeasure(actor: Actor, networkId: string, measureId: string, opts: { today?: string } = {}): Promise<MeasureDetail> {
	const m = await loadMeasure(db(), networkId, measureId);
	if (!canReadMeasure(actor, m)) throw new NotFoundError();
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	const [[body], [concept], field, resp, contact, partnerRows, origin] = await Promise.all([
		db().select({ name: bodies.name, ags: bodies.ags }).from(bodies).where(eq(bodies.id, m.bodyId)),
		db().select({ title: concepts.title }).from(concepts).where(eq(concepts.id, m.conceptId)),
		m.fieldId
			? db()
					.select({ id: fieldsOfAction.id, name: fieldsOfAction.name, color: fieldsOfAction.color, theme: fieldsOfAction.theme })
					.from(fieldsOfAction)
					.where(eq(fieldsOfAction.id, m.fieldId))
			: Promise.resolve([]),
		m.responsibleBodyId
			? db()
					.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
					.from(bodies)
					.where(and(eq(bodies.id, m.responsibleBodyId), eq(bodies.networkId, networkId)))
			: Promise.resolve([]),
		// Contact people are part of the working area's directory, not the portal.
		m.contactPersonId && inArea
			? db()
					.select({ id: people.id, name: people.name })
					.from(people)
					.where(and(eq(people.id, m.contactPersonId), eq(people.networkId, networkId)))
			: Promise.resolve([]),
		db()
			.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
			.from(measurePartners)
			.innerJoin(bodies, eq(bodies.id, measurePartners.bodyId))
			.where(and(eq(measurePartners.measureId, m.id), eq(bodies.networkId, networkId)))
			.orderBy(bodies.name),
		m.copiedFromId
			? db()
					.select({ id: measures.id, code: measures.code, title: measures.title, bodyName: bodies.name, isPublic: measures.isPublic, networkId: measures.networkId })
					.from(measures)
					.innerJoin(bodies, eq(bodies.id, measures.bodyId))
					.where(eq(measures.id, m.copiedFromId))
			: Promise.resolve([])
	]);
	const today = opts.today ?? todayIso();
	const o = origin[0];
	return {
		...m,
		bodyName: body.name,
		bodyAgs: body.ags,
		conceptTitle: concept.title,
		field: field[0] ?? null,
		responsibleBody: resp[0] ?? null,
		contactPerson: contact[0] ?? null,
		partners: partnerRows,
		copiedFrom: o && canReadMeasure(actor, o) ? { id: o.id, code: o.code, title: o.title, bodyName: o.bodyName } : null,
		overdue: !!m.plannedEnd && m.plannedEnd < today && !CLOSED_STATUSES.includes(m.status),
		canEdit: canMeasure(actor, 'measure.edit', { networkId, bodyId: m.bodyId })
	};
}

/** What the edit form needs to offer: fields of the concept, bodies and people of the network. */
export async function measureFormOptions(actor: Actor, networkId: string, conceptId: string) {
	const { concept } = await conceptForMeasure(db(), networkId, conceptId);
	if (!canMeasure(actor, 'measure.edit', { networkId, bodyId: concept.bodyId })) throw new ForbiddenError();
	const [fields, bodyList, peopleList] = await Promise.all([
		db()
			.select({ id: fieldsOfAction.id, name: fieldsOfAction.name })
			.from(fieldsOfAction)
			.where(eq(fieldsOfAction.conceptId, conceptId))
			.orderBy(fieldsOfAction.position, fieldsOfAction.name),
		// A network has tens of bodies (a district's towns), not thousands: the form lists them all.
		db().select({ id: bodies.id, name: bodies.name }).from(bodies).where(eq(bodies.networkId, networkId)).orderBy(bodies.name).limit(1000),
		db()
			.select({ id: people.id, name: people.name, bodyName: bodies.name })
			.from(people)
			.leftJoin(bodies, eq(bodies.id, people.bodyId))
			.where(eq(people.networkId, networkId))
			.orderBy(people.name)
			.limit(2000)
	]);
	return { concept, fields, bodies: bodyList, people: peopleList };
}

/**
 * A stored measure as the strings its edit form sends (decimal comma, so "12,5" and "12.500" can't
 * be confused), for the form and for the spreadsheet import, which validates a whole form.
 */
export function measureAsForm(m: Measure): Record<string, string> {
	const num = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
	return {
		code: m.code,
		title: m.title,
		description: m.description,
		fieldId: m.fieldId ?? '',
		status: m.status,
		statusReason: m.statusReason,
		progress: String(m.progress),
		priority: m.priority,
		term: m.term ?? '',
		responsibleBodyId: m.responsibleBodyId ?? '',
		contactPersonId: m.contactPersonId ?? '',
		plannedStart: m.plannedStart ?? '',
		plannedEnd: m.plannedEnd ?? '',
		actualStart: m.actualStart ?? '',
		actualEnd: m.actualEnd ?? '',
		costEstimate: num(m.costEstimate),
		fundingSource: m.fundingSource,
		savingsT: num(m.savingsT),
		isPublic: m.isPublic ? 'on' : ''
	};
}

/** The measure as form values for the edit form, with its version and partner bodies. */
export async function measureFormValues(actor: Actor, networkId: string, measureId: string): Promise<{ measure: Measure; values: Record<string, string>; partnerBodyIds: string[] }> {
	const m = await loadEditableMeasure(actor, networkId, measureId);
	const partners = await partnersOf(db(), measureId);
	return { measure: m, partnerBodyIds: partners, values: { ...measureAsForm(m), version: String(m.version) } };
}

export { measureColumns };
