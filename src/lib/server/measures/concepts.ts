// Concepts of a body and their fields of action (Handlungsfelder, ordered and coloured).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, conceptKind, concepts, fieldsOfAction, fieldTheme, measures } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, currentYear, date, isUuid, number, parseFields, text } from '../network/directory-shared';
import { httpUrl } from '../validation';
import { canMeasure } from './permissions';
import { deleteFile, listFiles } from '../files/service';
import { removeLinksOf } from '../links/service';

export type Concept = typeof concepts.$inferSelect;
export type FieldOfAction = typeof fieldsOfAction.$inferSelect;

export const CONCEPT_KINDS = conceptKind.enumValues;
export const FIELD_THEMES = fieldTheme.enumValues;
export type FieldTheme = (typeof FIELD_THEMES)[number];

export interface ConceptView extends Concept {
	bodyName: string;
	bodyAgs: string;
	fields: (FieldOfAction & { measureCount: number })[];
	measureCount: number;
	canEdit: boolean;
}

function requireRead(actor: Actor, networkId: string) {
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new ForbiddenError();
}

function requireEdit(actor: Actor, networkId: string, bodyId: string) {
	if (!canMeasure(actor, 'measure.edit', { networkId, bodyId })) throw new ForbiddenError();
}

async function loadConcept(tx: Tx | ReturnType<typeof db>, networkId: string, conceptId: string, lock = false): Promise<Concept> {
	if (!isUuid(conceptId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(concepts)
		.where(and(eq(concepts.id, conceptId), eq(concepts.networkId, networkId)));
	const [c] = lock ? await q.for('update') : await q;
	if (!c) throw new NotFoundError();
	return c;
}

async function fieldsWithCounts(conceptIds: string[]) {
	if (!conceptIds.length) return [];
	return db()
		.select({
			f: fieldsOfAction,
			// Qualified by hand: without a join Drizzle writes the column unqualified, and inside the
			// subquery "id" would mean the measure's own id (every count came out 0).
			measureCount: sql<number>`(select count(*)::int from ${measures} where ${measures.fieldId} = ${fieldsOfAction}.${sql.identifier('id')})`
		})
		.from(fieldsOfAction)
		.where(inArray(fieldsOfAction.conceptId, conceptIds))
		.orderBy(asc(fieldsOfAction.position), asc(fieldsOfAction.name));
}

/** Concepts of one body (or all bodies when bodyId is omitted), with their fields of action. */
export async function listConcepts(actor: Actor, networkId: string, opts: { bodyId?: string } = {}): Promise<ConceptView[]> {
	requireRead(actor, networkId);
	if (opts.bodyId !== undefined && !isUuid(opts.bodyId)) return [];
	const rows = await db()
		.select({
			c: concepts,
			bodyName: bodies.name,
			bodyAgs: bodies.ags,
			measureCount: sql<number>`(select count(*)::int from ${measures} where ${measures.conceptId} = ${concepts.id})`
		})
		.from(concepts)
		.innerJoin(bodies, and(eq(bodies.id, concepts.bodyId), eq(bodies.networkId, networkId)))
		.where(and(eq(concepts.networkId, networkId), opts.bodyId ? eq(concepts.bodyId, opts.bodyId) : undefined))
		.orderBy(asc(bodies.name), asc(concepts.title))
		// A body has a handful of concepts; the network view lists at most this many.
		.limit(500);
	const fields = await fieldsWithCounts(rows.map((r) => r.c.id));
	return rows.map((r) => ({
		...r.c,
		bodyName: r.bodyName,
		bodyAgs: r.bodyAgs,
		measureCount: r.measureCount,
		fields: fields.filter((f) => f.f.conceptId === r.c.id).map((f) => ({ ...f.f, measureCount: f.measureCount })),
		canEdit: canMeasure(actor, 'measure.edit', { networkId, bodyId: r.c.bodyId })
	}));
}

export async function getConcept(actor: Actor, networkId: string, conceptId: string): Promise<ConceptView> {
	requireRead(actor, networkId);
	const c = await loadConcept(db(), networkId, conceptId);
	const list = await listConcepts(actor, networkId, { bodyId: c.bodyId });
	const found = list.find((x) => x.id === c.id);
	if (!found) throw new NotFoundError();
	return found;
}

const conceptShape = () => ({
	title: text(200, true),
	kind: choice(CONCEPT_KINDS),
	adoptedOn: date,
	resolution: text(500),
	documentUrl: httpUrl,
	targetYear: number({ min: 2020, max: 2100, integer: true, key: 'concept.targetYear' }),
	description: text(5000)
});

function parseConcept(input: unknown) {
	return parseFields(conceptShape(), input, (d, errors) => {
		if (d.adoptedOn && d.adoptedOn.slice(0, 4) > String(currentYear() + 1) && !errors.adoptedOn) errors.adoptedOn = 'concept.adoptedFuture';
	});
}

async function ensureBody(tx: Tx, networkId: string, bodyId: string) {
	if (!isUuid(bodyId)) throw new NotFoundError();
	const [b] = await tx.select({ id: bodies.id }).from(bodies).where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
	if (!b) throw new NotFoundError();
}

export async function createConcept(actor: Actor, networkId: string, bodyId: string, input: unknown): Promise<Concept> {
	requireEdit(actor, networkId, bodyId);
	const data = parseConcept(input);
	return db().transaction(async (tx) => {
		await ensureBody(tx, networkId, bodyId);
		const [c] = await tx
			.insert(concepts)
			.values({ ...data, networkId, bodyId })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'concept', recordId: c.id, after: c });
		return c;
	});
}

export async function updateConcept(actor: Actor, networkId: string, conceptId: string, input: unknown): Promise<Concept> {
	const current = await loadConcept(db(), networkId, conceptId);
	requireEdit(actor, networkId, current.bodyId);
	const data = parseConcept(input);
	return db().transaction(async (tx) => {
		const before = await loadConcept(tx, networkId, conceptId, true);
		const [after] = await tx
			.update(concepts)
			.set({ ...data, updatedAt: new Date() })
			.where(and(eq(concepts.id, conceptId), eq(concepts.networkId, networkId)))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'concept', recordId: conceptId, before, after });
		return after;
	});
}

async function countMeasures(tx: Tx | ReturnType<typeof db>, conceptId: string): Promise<number> {
	const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(measures).where(eq(measures.conceptId, conceptId));
	return n;
}

/**
 * Deletes a concept that has no measures left (its measures would otherwise go with it), with its
 * uploaded documents and its record links.
 */
export async function deleteConcept(actor: Actor, networkId: string, conceptId: string): Promise<void> {
	const current = await loadConcept(db(), networkId, conceptId);
	requireEdit(actor, networkId, current.bodyId);
	if ((await countMeasures(db(), conceptId)) > 0) throw new ValidationError({ _form: 'concept.hasMeasures' });
	// Files first, while the concept still exists for the files service's access check.
	const ref = { type: 'concept', id: conceptId };
	for (const f of await listFiles(actor, ref)) await deleteFile(actor, f.id);
	await db().transaction(async (tx) => {
		const before = await loadConcept(tx, networkId, conceptId, true);
		if ((await countMeasures(tx, conceptId)) > 0) throw new ValidationError({ _form: 'concept.hasMeasures' });
		await removeLinksOf(tx, ref);
		await tx.delete(concepts).where(eq(concepts.id, conceptId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'concept', recordId: conceptId, before });
	});
}

// ---- fields of action -------------------------------------------------------------------------

const fieldShape = () => ({
	name: text(200, true),
	theme: choice(FIELD_THEMES),
	color: z
		.string()
		.trim()
		.toLowerCase()
		.refine((s) => /^#[0-9a-f]{6}$/.test(s), { error: 'concept.fieldColor' })
});

async function loadField(tx: Tx | ReturnType<typeof db>, networkId: string, fieldId: string, lock = false): Promise<FieldOfAction> {
	if (!isUuid(fieldId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(fieldsOfAction)
		.where(and(eq(fieldsOfAction.id, fieldId), eq(fieldsOfAction.networkId, networkId)));
	const [f] = lock ? await q.for('update') : await q;
	if (!f) throw new NotFoundError();
	return f;
}

export async function addField(actor: Actor, networkId: string, conceptId: string, input: unknown): Promise<FieldOfAction> {
	const concept = await loadConcept(db(), networkId, conceptId);
	requireEdit(actor, networkId, concept.bodyId);
	const data = parseFields(fieldShape(), input);
	return db().transaction(async (tx) => {
		await loadConcept(tx, networkId, conceptId, true);
		const [{ next }] = await tx
			.select({ next: sql<number>`coalesce(max(${fieldsOfAction.position}), 0)::int + 1` })
			.from(fieldsOfAction)
			.where(eq(fieldsOfAction.conceptId, conceptId));
		const [f] = await tx
			.insert(fieldsOfAction)
			.values({ ...data, networkId, conceptId, position: next })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'field_of_action', recordId: f.id, after: f });
		return f;
	});
}

export async function updateField(actor: Actor, networkId: string, fieldId: string, input: unknown): Promise<FieldOfAction> {
	const field = await loadField(db(), networkId, fieldId);
	const concept = await loadConcept(db(), networkId, field.conceptId);
	requireEdit(actor, networkId, concept.bodyId);
	const data = parseFields(fieldShape(), input);
	return db().transaction(async (tx) => {
		const before = await loadField(tx, networkId, fieldId, true);
		const [after] = await tx.update(fieldsOfAction).set({ ...data, updatedAt: new Date() }).where(eq(fieldsOfAction.id, fieldId)).returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'field_of_action', recordId: fieldId, before, after });
		return after;
	});
}

/** Moves a field one place up or down in its concept's order. */
export async function moveField(actor: Actor, networkId: string, fieldId: string, direction: 'up' | 'down'): Promise<void> {
	const field = await loadField(db(), networkId, fieldId);
	const concept = await loadConcept(db(), networkId, field.conceptId);
	requireEdit(actor, networkId, concept.bodyId);
	await db().transaction(async (tx) => {
		await loadConcept(tx, networkId, concept.id, true);
		const list = await tx
			.select({ id: fieldsOfAction.id })
			.from(fieldsOfAction)
			.where(eq(fieldsOfAction.conceptId, concept.id))
			.orderBy(asc(fieldsOfAction.position), asc(fieldsOfAction.name));
		const i = list.findIndex((f) => f.id === fieldId);
		const j = direction === 'up' ? i - 1 : i + 1;
		if (i < 0 || j < 0 || j >= list.length) return;
		[list[i], list[j]] = [list[j], list[i]];
		// Renumber all: positions stay dense whatever older data looked like.
		for (const [pos, f] of list.entries()) {
			await tx.update(fieldsOfAction).set({ position: pos + 1 }).where(eq(fieldsOfAction.id, f.id));
		}
		// Both fields changed place: both get an entry.
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'field_of_action', recordId: fieldId, before: { position: i + 1 }, after: { position: j + 1 } });
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'field_of_action', recordId: list[i].id, before: { position: j + 1 }, after: { position: i + 1 } });
	});
}

/** Deletes a field of action that no measure uses. */
export async function deleteField(actor: Actor, networkId: string, fieldId: string): Promise<void> {
	const field = await loadField(db(), networkId, fieldId);
	const concept = await loadConcept(db(), networkId, field.conceptId);
	requireEdit(actor, networkId, concept.bodyId);
	await db().transaction(async (tx) => {
		const before = await loadField(tx, networkId, fieldId, true);
		const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(measures).where(eq(measures.fieldId, fieldId));
		if (n > 0) throw new ValidationError({ _form: 'concept.fieldInUse' });
		await tx.delete(fieldsOfAction).where(eq(fieldsOfAction.id, fieldId));
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'field_of_action', recordId: fieldId, before });
	});
}

/** For the measure service: the concept (checked to be in the network) with its field ids. */
export async function conceptForMeasure(tx: Tx | ReturnType<typeof db>, networkId: string, conceptId: string) {
	const c = await loadConcept(tx, networkId, conceptId);
	const fields = await tx.select({ id: fieldsOfAction.id }).from(fieldsOfAction).where(eq(fieldsOfAction.conceptId, conceptId));
	return { concept: c, fieldIds: fields.map((f) => f.id) };
}
