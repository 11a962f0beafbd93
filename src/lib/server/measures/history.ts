// Status updates: the dated history of a measure. People write notes ("Förderantrag gestellt");
// changes of status or completion write an entry by themselves, so the history is never missing one.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { bodies, measures, measureUpdates } from '../db/schema';
import type { Actor } from '../auth/actor';
import { NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { date, number, parseFields, text, todayIso } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { canMeasure, canReadMeasure } from './permissions';
import { loadEditableMeasure, loadMeasure, MEASURE_STATUSES, REASON_STATUSES, type Measure } from './measures';
import { z } from 'zod';
import { networks } from '../network/schema';
import { notifyFollowers } from '../participation/notify';
import { translate } from '$lib/i18n';

export type MeasureUpdate = typeof measureUpdates.$inferSelect;

/** Writes the automatic entry for a created measure or a change of status/completion. */
export async function writeAutomaticUpdate(
	tx: Tx,
	actor: Actor,
	m: Measure,
	c: { kind: 'created' | 'status' | 'import'; before?: Measure; text?: string; happenedOn?: string }
) {
	const statusChanged = !!c.before && c.before.status !== m.status;
	await tx.insert(measureUpdates).values({
		networkId: m.networkId,
		measureId: m.id,
		kind: c.kind,
		happenedOn: c.happenedOn ?? todayIso(),
		// A reason for pausing or dropping belongs in the history too.
		text: c.text ?? (statusChanged && REASON_STATUSES.includes(m.status) ? m.statusReason : ''),
		statusFrom: c.before?.status ?? null,
		statusTo: m.status,
		progressFrom: c.before?.progress ?? null,
		progressTo: m.progress,
		authorId: actor.userId,
		authorName: actor.name
	});
	await tx.update(measures).set({ lastUpdateAt: new Date() }).where(eq(measures.id, m.id));
	if (c.before && c.kind !== 'created') {
		await tellFollowers(tx, actor, m, { statusFrom: c.before.status, statusTo: m.status, progressFrom: c.before.progress, progressTo: m.progress, text: '' });
	}
}

const statusLabel = (s: string) => translate('de', `measure.status.${s}`);

/** The German sentence of a follower mail: what changed, and the note if there is one. */
export function followerSentence(c: { statusFrom: string | null; statusTo: string | null; progressFrom: number | null; progressTo: number | null; text: string }): string {
	const parts: string[] = [];
	if (c.statusTo && c.statusFrom !== c.statusTo) parts.push(`Der Stand ist jetzt „${statusLabel(c.statusTo)}“ (vorher „${statusLabel(c.statusFrom ?? '')}“).`);
	if (c.progressTo !== null && c.progressFrom !== c.progressTo) parts.push(`Die Maßnahme ist jetzt zu ${c.progressTo} % umgesetzt (vorher ${c.progressFrom ?? 0} %).`);
	if (c.text) parts.push(`Neue Meldung: ${c.text.length > 500 ? c.text.slice(0, 500) + ' …' : c.text}`);
	return parts.join(' ') || 'Es gibt eine neue Meldung zum Stand der Maßnahme.';
}

/** Followers of a public measure hear of its status updates (queued in this transaction). */
async function tellFollowers(tx: Tx, actor: Actor, m: Pick<Measure, 'id' | 'networkId' | 'title' | 'isPublic'>, c: Parameters<typeof followerSentence>[0]) {
	if (!m.isPublic) return;
	const [n] = await tx.select({ slug: networks.slug }).from(networks).where(eq(networks.id, m.networkId));
	await notifyFollowers(
		tx,
		{ type: 'measure', id: m.id, networkId: m.networkId },
		{ title: m.title, what: followerSentence(c), path: `/${n.slug}/massnahmen/${m.id}`, byUserId: actor.userId }
	);
}

const updateShape = () => ({
	happenedOn: date,
	text: text(5000),
	// Optional: the update may also move the measure on.
	status: z
		.string()
		.trim()
		.refine((s) => s === '' || (MEASURE_STATUSES as readonly string[]).includes(s), { error: 'validation.choice' }),
	progress: number({ min: 0, max: 100, integer: true, key: 'measure.progress' }),
	statusReason: text(2000)
});

/**
 * Posts a dated status update. If it changes status or completion, the measure changes with it and
 * the entry records from → to. A note without text and without change is refused.
 */
export async function postStatusUpdate(actor: Actor, networkId: string, measureId: string, input: unknown): Promise<MeasureUpdate> {
	await loadEditableMeasure(actor, networkId, measureId);
	const today = todayIso();
	const data = parseFields(updateShape(), input, (d, errors) => {
		if (d.happenedOn && d.happenedOn > today && !errors.happenedOn) errors.happenedOn = 'measure.updateInFuture';
	});
	return db().transaction(async (tx) => {
		const before = await loadMeasure(tx, networkId, measureId, true);
		const status = (data.status || before.status) as Measure['status'];
		const progress = data.progress ?? before.progress;
		const changed = status !== before.status || progress !== before.progress;
		if (!data.text && !changed) throw new ValidationError({ text: 'measure.updateEmpty' });
		const reason = data.statusReason || (status === before.status ? before.statusReason : '');
		if (REASON_STATUSES.includes(status) && !reason) throw new ValidationError({ statusReason: 'measure.reasonRequired' });
		if (changed) {
			await tx
				.update(measures)
				.set({ status, progress, statusReason: reason, version: before.version + 1, updatedAt: new Date() })
				.where(eq(measures.id, measureId));
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'measure', recordId: measureId, before: { status: before.status, progress: before.progress }, after: { status, progress } });
		}
		const [u] = await tx
			.insert(measureUpdates)
			.values({
				networkId,
				measureId,
				kind: changed ? 'status' : 'note',
				happenedOn: data.happenedOn ?? today,
				text: data.text,
				statusFrom: changed ? before.status : null,
				statusTo: changed ? status : null,
				progressFrom: changed ? before.progress : null,
				progressTo: changed ? progress : null,
				authorId: actor.userId,
				authorName: actor.name
			})
			.returning();
		await tx.update(measures).set({ lastUpdateAt: new Date() }).where(eq(measures.id, measureId));
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'measure_update', recordId: u.id, after: u });
		await tellFollowers(tx, actor, before, { statusFrom: u.statusFrom, statusTo: u.statusTo, progressFrom: u.progressFrom, progressTo: u.progressTo, text: u.text });
		return u;
	});
}

/** A measure's history, newest first, paginated. */
export async function listUpdates(actor: Actor, networkId: string, measureId: string, opts: { page?: number; pageSize?: number } = {}) {
	const m = await loadMeasure(db(), networkId, measureId);
	if (!canReadMeasure(actor, m)) throw new NotFoundError();
	const { page, pageSize, offset } = pageOpts(opts, 20);
	const where = and(eq(measureUpdates.measureId, measureId), eq(measureUpdates.networkId, networkId));
	const [items, [{ total }]] = await Promise.all([
		db()
			.select()
			.from(measureUpdates)
			.where(where)
			.orderBy(desc(measureUpdates.happenedOn), desc(measureUpdates.createdAt))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(measureUpdates).where(where)
	]);
	// Author accounts are internal: the portal shows what happened, not who typed it.
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	return { items: items.map((u) => (inArea ? u : { ...u, authorId: null, authorName: '' })), total, page, pageSize };
}

/**
 * The latest status updates of a network's public measures (the portal's "what happened"), newest
 * first, optionally of one body's measures. Public reading: no authors. Looks only at the 50 public
 * measures updated last, so the sort never runs over the network's whole history.
 */
export async function recentPublicUpdates(networkId: string, opts: { bodyId?: string; limit?: number } = {}) {
	const recent = db()
		.select({ id: measures.id })
		.from(measures)
		.where(and(eq(measures.networkId, networkId), eq(measures.isPublic, true), opts.bodyId ? eq(measures.bodyId, opts.bodyId) : undefined))
		.orderBy(desc(measures.lastUpdateAt))
		.limit(50);
	return db()
		.select({
			id: measureUpdates.id,
			measureId: measureUpdates.measureId,
			measureTitle: measures.title,
			bodyName: bodies.name,
			kind: measureUpdates.kind,
			happenedOn: measureUpdates.happenedOn,
			text: measureUpdates.text,
			statusFrom: measureUpdates.statusFrom,
			statusTo: measureUpdates.statusTo,
			progressFrom: measureUpdates.progressFrom,
			progressTo: measureUpdates.progressTo
		})
		.from(measureUpdates)
		.innerJoin(measures, eq(measures.id, measureUpdates.measureId))
		.innerJoin(bodies, eq(bodies.id, measures.bodyId))
		.where(and(eq(measureUpdates.networkId, networkId), inArray(measureUpdates.measureId, recent)))
		.orderBy(desc(measureUpdates.happenedOn), desc(measureUpdates.createdAt), desc(measureUpdates.id))
		.limit(Math.min(Math.max(1, opts.limit ?? 5), 20));
}
