import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, comments, follows, ideas, measureUpdates, reports } from '../db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { VISITOR } from '../auth/actor';
import { createMeasure, deleteMeasure, getMeasure, measureFormValues, updateMeasure } from './measures';
import { listUpdates, postStatusUpdate } from './history';
import { listMeasures, measureCounts } from './list';
import { makeMeasure, measureInput, measureWorld } from './testing';
import { makeUser } from '../testing/factories';
import { makeIdea } from '../testing/comment-world';

useTestDb();


describe('measures', () => {
	it('creates a measure with partners, writes a "created" entry and an audit entry', async () => {
		const w = await measureWorld();
		const m = await createMeasure(w.member, w.network.id, w.concept.id, measureInput({ fieldId: w.energy.id, partnerBodyIds: [w.other.id], costEstimate: '12.500,50', savingsT: '3,5' }));
		expect(m).toMatchObject({ code: 'M-1', bodyId: w.town.id, costEstimate: 12500.5, savingsT: 3.5, version: 1 });
		const detail = await getMeasure(w.member, w.network.id, m.id);
		expect(detail.partners.map((p) => p.name)).toEqual(['Halberstadt']);
		expect(detail.field?.name).toBe('Energieversorgung');
		const history = await listUpdates(w.member, w.network.id, m.id);
		expect(history.items.map((u) => u.kind)).toEqual(['created']);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, m.id));
		expect(audit.map((a) => a.action)).toEqual(['create']);
		expect(JSON.stringify(audit[0].after)).not.toContain('search');
	});

	it('refuses bad input field by field and changes nothing', async () => {
		const w = await measureWorld();
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-3.2' });
		const errors = await fieldErrors(
			createMeasure(
				w.member,
				w.network.id,
				w.concept.id,
				measureInput({ code: 'M-3.2', progress: '101', plannedStart: '2026-05-01', plannedEnd: '2026-04-01', status: 'discarded' })
			)
		);
		expect(errors).toEqual({ progress: 'measure.progress', plannedEnd: 'measure.endBeforeStart', statusReason: 'measure.reasonRequired' });
		// Field rules pass, the code is taken:
		expect(await fieldErrors(makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-3.2' }))).toEqual({ code: 'measure.codeTaken' });
		expect(await fieldErrors(makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-9', progress: '-1' }))).toEqual({ progress: 'measure.progress' });
		expect(await fieldErrors(makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-9', fieldId: w.otherEnergy.id }))).toEqual({ fieldId: 'measure.fieldUnknown' });
		const list = await listMeasures(w.member, w.network.id);
		expect(list.total).toBe(1);
	});

	it('status workflow: a change of status or completion writes a status update; a reason for on hold', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id);
		const { values } = await measureFormValues(w.member, w.network.id, m.id);
		const after = await updateMeasure(w.member, w.network.id, m.id, { ...values, status: 'implementation', progress: '40' });
		expect(after).toMatchObject({ status: 'implementation', progress: 40, version: 2 });
		expect(await fieldErrors(postStatusUpdate(w.member, w.network.id, m.id, { status: 'on_hold', text: '' }))).toEqual({ statusReason: 'measure.reasonRequired' });
		await postStatusUpdate(w.member, w.network.id, m.id, { status: 'on_hold', statusReason: 'Fördermittel abgelehnt', text: 'Bescheid kam am Montag' });
		expect(await fieldErrors(postStatusUpdate(w.member, w.network.id, m.id, { text: '  ' }))).toEqual({ text: 'measure.updateEmpty' });
		await postStatusUpdate(w.member, w.network.id, m.id, { text: 'Neuer Antrag vorbereitet', happenedOn: '2026-01-15' });
		const history = await listUpdates(w.member, w.network.id, m.id);
		const byKind = history.items.map((u) => [u.kind, u.statusFrom, u.statusTo, u.progressTo]);
		expect(byKind).toContainEqual(['status', 'planned', 'implementation', 40]);
		expect(byKind).toContainEqual(['status', 'implementation', 'on_hold', 40]);
		expect(byKind).toContainEqual(['note', null, null, null]);
		const detail = await getMeasure(w.member, w.network.id, m.id);
		expect(detail).toMatchObject({ status: 'on_hold', statusReason: 'Fördermittel abgelehnt' });
	});

	it('a concurrent edit is not lost: the stale form is refused with the current version to overwrite deliberately', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id);
		const { values } = await measureFormValues(w.member, w.network.id, m.id);
		await updateMeasure(w.coordinator, w.network.id, m.id, { ...values, title: 'Von der Koordination geändert' });
		try {
			await updateMeasure(w.member, w.network.id, m.id, { ...values, title: 'Vom Mitglied geändert' });
			throw new Error('expected a conflict');
		} catch (e) {
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).fieldErrors).toEqual({ _form: 'measure.editedMeanwhile' });
			expect((e as ValidationError).values).toEqual({ version: '2' });
		}
		expect((await getMeasure(w.member, w.network.id, m.id)).title).toBe('Von der Koordination geändert');
		await updateMeasure(w.member, w.network.id, m.id, { ...values, title: 'Vom Mitglied geändert', version: '2' });
		expect((await getMeasure(w.member, w.network.id, m.id)).title).toBe('Vom Mitglied geändert');
	});

	it('permissions: members edit their own town only; partners read; citizens and visitors see public measures only', async () => {
		const w = await measureWorld();
		const internal = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1' });
		const pub = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2', isPublic: 'on' });
		await expect(makeMeasure(w.otherMember, w.network.id, w.concept.id, { code: 'M-3' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(makeMeasure(w.partner, w.network.id, w.concept.id, { code: 'M-3' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(deleteMeasure(w.otherMember, w.network.id, internal.id)).rejects.toBeInstanceOf(ForbiddenError);
		expect((await getMeasure(w.partner, w.network.id, internal.id)).canEdit).toBe(false);
		expect((await getMeasure(w.coordinator, w.network.id, internal.id)).canEdit).toBe(true);
		await expect(getMeasure(w.citizen, w.network.id, internal.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getMeasure(VISITOR, w.network.id, internal.id)).rejects.toBeInstanceOf(NotFoundError);
		expect((await getMeasure(VISITOR, w.network.id, pub.id)).contactPerson).toBeNull();
		expect((await listMeasures(VISITOR, w.network.id)).items.map((m) => m.code)).toEqual(['M-2']);
		expect((await listMeasures(w.partner, w.network.id)).total).toBe(2);
		const foreign = await measureWorld();
		await expect(getMeasure(foreign.coordinator, w.network.id, internal.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getMeasure(w.coordinator, foreign.network.id, internal.id)).rejects.toBeInstanceOf(NotFoundError);
		expect((await listMeasures(foreign.coordinator, w.network.id)).items.map((m) => m.code)).toEqual(['M-2']);
	});

	it('lists filter by town, theme, status, constraint state, overdue and text (German stems)', async () => {
		const w = await measureWorld();
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', title: 'Fördermitteln für Wärmepumpen beantragen', fieldId: w.energy.id, status: 'implementation', plannedEnd: '2020-01-01' });
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2', title: 'Radwege ausbauen', fieldId: w.mobility.id, status: 'completed', plannedEnd: '2020-01-01' });
		await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1', title: 'Solarkataster', fieldId: w.otherEnergy.id, status: 'idea' });
		const codes = async (f: Parameters<typeof listMeasures>[2]) => (await listMeasures(w.coordinator, w.network.id, f)).items.map((m) => m.code).sort();
		expect(await codes({ theme: 'energy' })).toEqual(['H-1', 'M-1']);
		expect(await codes({ ags: w.other.ags })).toEqual(['H-1']);
		expect(await codes({ status: ['completed', 'idea'] })).toEqual(['H-1', 'M-2']);
		expect(await codes({ overdue: true, today: '2026-01-01' })).toEqual(['M-1']);
		expect(await codes({ q: 'Fördermittel' })).toEqual(['M-1']);
		expect(await codes({ q: 'm-' })).toEqual(['M-1', 'M-2']);
		expect(await codes({ q: `'" OR 1=1 --` })).toEqual([]);
		const counts = await measureCounts(w.coordinator, w.network.id, { ags: w.town.ags, today: '2026-01-01' });
		expect(counts).toMatchObject({ total: 2, overdue: 1, conflicts: 0 });
		expect(counts.byStatus).toMatchObject({ implementation: 1, completed: 1, idea: 0 });
	});
});

describe('deleting a measure with participation on it', () => {
	it('publishes its ideas again and takes its comments, follows and reports with it, audited', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', isPublic: 'on' });
		const kept = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2', isPublic: 'on' });
		const idea = await makeIdea(w.network.id, w.town.id, { state: 'measure', measureId: m.id });
		const other = await makeIdea(w.network.id, w.town.id, { state: 'measure', measureId: kept.id, title: 'Bleibt' });
		const u = await makeUser();
		const comment = (targetId: string, parentId: string | null = null) =>
			db()
				.insert(comments)
				.values({ networkId: w.network.id, targetType: 'measure', targetId, parentId, authorId: u.id, authorName: 'Erika', body: 'Gut so' })
				.returning()
				.then((r) => r[0]);
		const top = await comment(m.id);
		const reply = await comment(m.id, top.id);
		const elsewhere = await comment(kept.id);
		await db()
			.insert(follows)
			.values([
				{ userId: u.id, networkId: w.network.id, targetType: 'measure', targetId: m.id },
				{ userId: u.id, networkId: w.network.id, targetType: 'measure', targetId: kept.id }
			]);
		await db()
			.insert(reports)
			.values([top.id, reply.id, elsewhere.id].map((targetId) => ({ networkId: w.network.id, targetType: 'comment' as const, targetId, reason: 'spam' })));

		await deleteMeasure(w.member, w.network.id, m.id);

		const [back] = await db().select().from(ideas).where(eq(ideas.id, idea.id));
		expect(back).toMatchObject({ state: 'published', measureId: null });
		const [untouched] = await db().select().from(ideas).where(eq(ideas.id, other.id));
		expect(untouched).toMatchObject({ state: 'measure', measureId: kept.id });
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'idea'), eq(auditLog.recordId, idea.id)));
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ action: 'update', before: { state: 'measure', measureId: m.id }, after: { state: 'published', measureId: null } });
		expect((await db().select().from(comments)).map((c) => c.id)).toEqual([elsewhere.id]);
		expect((await db().select().from(follows)).map((f) => f.targetId)).toEqual([kept.id]);
		expect((await db().select().from(reports)).map((r) => r.targetId)).toEqual([elsewhere.id]);
	});

	it('leaves everything in place when the delete is refused', async () => {
		const w = await measureWorld();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', isPublic: 'on' });
		const idea = await makeIdea(w.network.id, w.town.id, { state: 'measure', measureId: m.id });
		await expect(deleteMeasure(w.otherMember, w.network.id, m.id)).rejects.toBeInstanceOf(ForbiddenError);
		const [row] = await db().select().from(ideas).where(eq(ideas.id, idea.id));
		expect(row).toMatchObject({ state: 'measure', measureId: m.id });
	});
});
