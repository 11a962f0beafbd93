// Copy as template: a town takes over a measure of another town into its own concept. The copy
// keeps a link to its original (measures.copied_from_id), so both sides can show it.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, concepts, fieldsOfAction, measures } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { isUuid } from '../network/directory-shared';
import { canMeasure, canReadMeasure, editableBodyIds } from './permissions';
import { createMeasure, loadMeasure, type Measure, type MeasureStatus } from './measures';

export interface CopyInput {
	/** Identifier of the copy in the target concept. */
	code: string;
	/** A field of action of the target concept; empty for none. */
	fieldId?: string;
}

/** Numbers as the measure form expects them (German or plain decimal both parse). */
const num = (n: number | null) => (n === null ? '' : String(n));

/**
 * Copies the content of a measure (title, description, priority, term, cost, funding, savings)
 * into a concept the actor may edit. Not copied: status, progress, dates, people, partners and the
 * public flag — the copy is the target town's own plan, so it starts as an internal idea.
 */
export async function copyMeasure(
	actor: Actor,
	networkId: string,
	sourceMeasureId: string,
	targetConceptId: string,
	input: CopyInput
): Promise<Measure> {
	const source = await loadMeasure(db(), networkId, sourceMeasureId);
	if (!canReadMeasure(actor, source)) throw new NotFoundError();

	// A form field, so a missing or stale choice is a field error rather than a 404.
	if (!targetConceptId || !isUuid(targetConceptId)) throw new ValidationError({ conceptId: 'copy.conceptRequired' });
	const [target] = await db()
		.select({ id: concepts.id, bodyId: concepts.bodyId })
		.from(concepts)
		.where(and(eq(concepts.id, targetConceptId), eq(concepts.networkId, networkId)));
	if (!target) throw new ValidationError({ conceptId: 'copy.conceptRequired' });
	if (!canMeasure(actor, 'measure.edit', { networkId, bodyId: target.bodyId })) throw new ForbiddenError();

	const fieldId = (input.fieldId ?? '').trim();
	if (fieldId) {
		const [f] = isUuid(fieldId)
			? await db()
					.select({ id: fieldsOfAction.id })
					.from(fieldsOfAction)
					.where(and(eq(fieldsOfAction.id, fieldId), eq(fieldsOfAction.conceptId, target.id)))
			: [];
		// Without JavaScript the form lists the fields of every concept: say which one is wrong.
		if (!f) throw new ValidationError({ fieldId: 'copy.fieldNotInConcept' });
	}

	return createMeasure(
		actor,
		networkId,
		target.id,
		{
			code: input.code ?? '',
			title: source.title,
			description: source.description,
			fieldId,
			status: 'idea',
			statusReason: '',
			progress: '0',
			priority: source.priority,
			term: source.term ?? '',
			costEstimate: num(source.costEstimate),
			fundingSource: source.fundingSource,
			savingsT: num(source.savingsT),
			isPublic: ''
		},
		{ copiedFromId: source.id }
	);
}

export interface MeasureCopy {
	id: string;
	code: string;
	title: string;
	status: MeasureStatus;
	bodyName: string;
	bodyAgs: string;
}

/** Measures copied from this one that the actor may read, by town. */
export async function copiesOf(actor: Actor, networkId: string, measureId: string): Promise<MeasureCopy[]> {
	const m = await loadMeasure(db(), networkId, measureId);
	if (!canReadMeasure(actor, m)) throw new NotFoundError();
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	return db()
		.select({ id: measures.id, code: measures.code, title: measures.title, status: measures.status, bodyName: bodies.name, bodyAgs: bodies.ags })
		.from(measures)
		.innerJoin(bodies, eq(bodies.id, measures.bodyId))
		.where(and(eq(measures.copiedFromId, measureId), eq(measures.networkId, networkId), inArea ? undefined : eq(measures.isPublic, true)))
		.orderBy(asc(bodies.name), asc(measures.code))
		// Even a popular template is copied by a few dozen towns at most.
		.limit(200);
}

export interface CopyTarget {
	id: string;
	title: string;
	bodyName: string;
	fields: { id: string; name: string; theme: string }[];
}

/** Concepts the actor may copy into (those of bodies they may edit), with their fields of action. */
export async function copyTargets(actor: Actor, networkId: string): Promise<CopyTarget[]> {
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new ForbiddenError();
	const editable = editableBodyIds(actor, networkId);
	if (editable && !editable.length) return [];
	const rows = await db()
		.select({ id: concepts.id, title: concepts.title, bodyName: bodies.name })
		.from(concepts)
		.innerJoin(bodies, eq(bodies.id, concepts.bodyId))
		.where(and(eq(concepts.networkId, networkId), editable ? inArray(concepts.bodyId, editable) : undefined))
		.orderBy(asc(bodies.name), asc(concepts.title))
		.limit(500);
	if (!rows.length) return [];
	const fields = await db()
		.select({ id: fieldsOfAction.id, name: fieldsOfAction.name, theme: fieldsOfAction.theme, conceptId: fieldsOfAction.conceptId })
		.from(fieldsOfAction)
		.where(inArray(fieldsOfAction.conceptId, rows.map((r) => r.id)))
		.orderBy(asc(fieldsOfAction.position), asc(fieldsOfAction.name));
	return rows.map((r) => ({ ...r, fields: fields.filter((f) => f.conceptId === r.id).map(({ id, name, theme }) => ({ id, name, theme })) }));
}
