// Topics (Themenfelder) of the exchange: the fields a network talks about. Every network starts with
// a default set; coordinators create, rename, reorder and archive them (archived: still readable,
// no new threads). Every query is filtered by network; every write is audited in its transaction.
import { and, asc, count, eq, isNull, max, notExists, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Db, type Tx } from '../db/client';
import { VISITOR, type Actor } from '../auth/actor';
import { networks } from '../db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { isUniqueViolation as isUnique, isUuid, parseFields, text } from '../network/directory-shared';
import { parseVersion } from '../validation';
import { exchangeThreads, exchangeTopics } from './schema';
import { canExchange, seesHidden } from './permissions';
import { mustRead, type Reader } from './shared';

export type Topic = typeof exchangeTopics.$inferSelect;

/** The default topics of every new network (and the Harz demo). */
export const DEFAULT_TOPICS: { title: string; description: string }[] = [
	{ title: 'Energie', description: 'Strom und Wärme aus erneuerbaren Quellen, Photovoltaik auf kommunalen Dächern, Energiemanagement und Stadtwerke.' },
	{ title: 'Gebäude und Wärme', description: 'Sanierung kommunaler Gebäude, kommunale Wärmeplanung, Wärmenetze und Heizungstausch.' },
	{ title: 'Mobilität', description: 'Radverkehr, öffentlicher Nahverkehr, kommunaler Fuhrpark, Ladeinfrastruktur und Sharing-Angebote.' },
	{ title: 'Förderung', description: 'Förderprogramme, Anträge, Fristen und Erfahrungen mit Fördermittelgebern.' },
	{ title: 'Beteiligung und Öffentlichkeitsarbeit', description: 'Bürgerbeteiligung, Kampagnen, Pressearbeit und Veranstaltungen rund um den Klimaschutz.' },
	{ title: 'Verwaltung und Beschaffung', description: 'Klimaschutz in der Verwaltung, nachhaltige Beschaffung, Ausschreibungen und Ratsbeschlüsse.' },
	{ title: 'Klimaanpassung', description: 'Hitze, Starkregen und Trockenheit: Vorsorge, Grün in der Stadt und Anpassungskonzepte.' }
];

const topicTitle = z.string().trim().min(1, { error: 'exchange.topic.titleRequired' }).max(120, { error: 'exchange.topic.titleTooLong' });
const topicShape = () => ({ title: topicTitle, description: text(2000) });

export async function loadTopic(tx: Reader, networkId: string, topicId: string, lock = false): Promise<Topic> {
	if (!isUuid(topicId)) throw new NotFoundError();
	const q = tx
		.select()
		.from(exchangeTopics)
		.where(and(eq(exchangeTopics.id, topicId), eq(exchangeTopics.networkId, networkId)));
	const [t] = lock ? await q.for('update') : await q;
	if (!t) throw new NotFoundError();
	return t;
}

function mustManage(actor: Actor, networkId: string) {
	mustRead(actor, networkId);
	if (!canExchange(actor, 'exchange.topic.manage', { networkId })) throw new ForbiddenError();
}

/** A topic the actor may read (404 for outsiders and other networks). */
export async function getTopic(actor: Actor, networkId: string, topicId: string): Promise<Topic> {
	mustRead(actor, networkId);
	return loadTopic(db(), networkId, topicId);
}

export interface TopicOverview extends Topic {
	threadCount: number;
	lastPostAt: Date | null;
}

/**
 * The network's topics in their order, with the number of threads the actor sees and the latest
 * activity. A network has a handful of topics (tens at most), so they come as one list.
 */
export async function listTopics(actor: Actor, networkId: string, opts: { includeArchived?: boolean } = {}): Promise<TopicOverview[]> {
	mustRead(actor, networkId);
	const hidden = seesHidden(actor, networkId);
	const stats = db()
		.select({ topicId: exchangeThreads.topicId, n: count().as('n'), last: max(exchangeThreads.lastPostAt).as('last') })
		.from(exchangeThreads)
		.where(and(eq(exchangeThreads.networkId, networkId), hidden ? undefined : isNull(exchangeThreads.hiddenAt)))
		.groupBy(exchangeThreads.topicId)
		.as('stats');
	const rows = await db()
		.select({ topic: exchangeTopics, n: stats.n, last: stats.last })
		.from(exchangeTopics)
		.leftJoin(stats, eq(stats.topicId, exchangeTopics.id))
		.where(and(eq(exchangeTopics.networkId, networkId), opts.includeArchived ? undefined : eq(exchangeTopics.archived, false)))
		.orderBy(asc(exchangeTopics.archived), asc(exchangeTopics.position), asc(exchangeTopics.title))
		.limit(500);
	return rows.map((r) => ({ ...r.topic, threadCount: Number(r.n ?? 0), lastPostAt: r.last ? new Date(r.last) : null }));
}

/** Topics a new thread may go to (not archived), for the select of the new-thread and move forms. */
export async function openTopics(actor: Actor, networkId: string): Promise<{ id: string; title: string }[]> {
	mustRead(actor, networkId);
	return db()
		.select({ id: exchangeTopics.id, title: exchangeTopics.title })
		.from(exchangeTopics)
		.where(and(eq(exchangeTopics.networkId, networkId), eq(exchangeTopics.archived, false)))
		.orderBy(asc(exchangeTopics.position), asc(exchangeTopics.title))
		.limit(500);
}

const auditTopic = (t: Topic) => ({ title: t.title, description: t.description, position: t.position, archived: t.archived });

const TITLE_TAKEN = new ValidationError({ title: 'exchange.topic.titleTaken' });

async function nextPosition(tx: Reader, networkId: string): Promise<number> {
	const [r] = await tx
		.select({ p: max(exchangeTopics.position) })
		.from(exchangeTopics)
		.where(eq(exchangeTopics.networkId, networkId));
	return (r?.p ?? -1) + 1;
}

export async function createTopic(actor: Actor, networkId: string, input: unknown): Promise<Topic> {
	mustManage(actor, networkId);
	const data = parseFields(topicShape(), input);
	try {
		return await db().transaction(async (tx) => {
			const [t] = await tx
				.insert(exchangeTopics)
				.values({ ...data, networkId, position: await nextPosition(tx, networkId) })
				.returning();
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'exchange_topic', recordId: t.id, after: auditTopic(t) });
			return t;
		});
	} catch (e) {
		if (isUnique(e)) throw TITLE_TAKEN;
		throw e;
	}
}

/** Renames, redescribes, archives or restores a topic; `version` guards against lost updates. */
export async function updateTopic(actor: Actor, networkId: string, topicId: string, input: unknown): Promise<Topic> {
	mustManage(actor, networkId);
	await loadTopic(db(), networkId, topicId);
	const data = parseFields({ ...topicShape(), archived: z.string().trim() }, input);
	const version = parseVersion(input);
	try {
		return await db().transaction(async (tx) => {
			const before = await loadTopic(tx, networkId, topicId, true);
			if (version === null) throw new ValidationError({ _form: 'exchange.versionMissing' }, { version: String(before.version) });
			if (version !== before.version) throw new ValidationError({ _form: 'exchange.topic.editedMeanwhile' }, { version: String(before.version) });
			const [after] = await tx
				.update(exchangeTopics)
				.set({ title: data.title, description: data.description, archived: data.archived === 'on' || data.archived === '1', version: before.version + 1, updatedAt: new Date() })
				.where(eq(exchangeTopics.id, topicId))
				.returning();
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'exchange_topic', recordId: topicId, before: auditTopic(before), after: auditTopic(after) });
			return after;
		});
	} catch (e) {
		if (isUnique(e)) throw TITLE_TAKEN;
		throw e;
	}
}

/** Moves a topic one place up or down in the order (swaps with its neighbour); any other direction is refused. */
export async function moveTopic(actor: Actor, networkId: string, topicId: string, direction: string): Promise<void> {
	mustManage(actor, networkId);
	if (direction !== 'up' && direction !== 'down') throw new ValidationError({ _form: 'exchange.topics.badDirection' });
	await db().transaction(async (tx) => {
		// The whole order, locked: two coordinators reordering at once must not lose a swap.
		const all = await tx
			.select()
			.from(exchangeTopics)
			.where(eq(exchangeTopics.networkId, networkId))
			.orderBy(asc(exchangeTopics.position), asc(exchangeTopics.title))
			.limit(500)
			.for('update');
		const i = all.findIndex((t) => t.id === topicId);
		if (i < 0) throw new NotFoundError();
		const j = direction === 'up' ? i - 1 : i + 1;
		if (j < 0 || j >= all.length) return;
		[all[i], all[j]] = [all[j], all[i]];
		// Renumber densely (older rows may share a position).
		for (const [p, t] of all.entries()) {
			if (t.position === p) continue;
			await tx.update(exchangeTopics).set({ position: p, version: t.version + 1, updatedAt: new Date() }).where(eq(exchangeTopics.id, t.id));
		}
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'exchange_topic', recordId: topicId, before: { position: i }, after: { position: j } });
	});
}

/**
 * Gives a network the default topics, once: only when it has no topic yet (a coordinator who
 * renamed or archived them meant it). No permission check: called by the installation (network
 * set-up, demo). Runs in the caller's transaction.
 */
export async function seedDefaultTopics(tx: Db | Tx, actor: Actor, networkId: string): Promise<number> {
	const [{ n }] = await tx.select({ n: count() }).from(exchangeTopics).where(eq(exchangeTopics.networkId, networkId));
	if (Number(n) > 0) return 0;
	const rows = await tx
		.insert(exchangeTopics)
		.values(DEFAULT_TOPICS.map((t, position) => ({ ...t, networkId, position })))
		.returning();
	for (const t of rows) await recordChange(tx, actor, { networkId, action: 'create', recordType: 'exchange_topic', recordId: t.id, after: auditTopic(t) });
	return rows.length;
}

/**
 * Start-up step: networks that existed before the exchange (or lost every topic) get the default
 * topics. Idempotent and cheap when there is nothing to do: one query finds the networks without
 * any topic. Each is seeded in its own transaction with the network row locked, so two servers
 * starting at once seed it once. Audited as the system (no user).
 */
export async function seedMissingDefaultTopics(): Promise<number> {
	const missing = await db()
		.select({ id: networks.id })
		.from(networks)
		.where(notExists(db().select({ one: sql`1` }).from(exchangeTopics).where(eq(exchangeTopics.networkId, networks.id))));
	let seeded = 0;
	for (const { id } of missing) {
		const n = await db().transaction(async (tx) => {
			await tx.select({ id: networks.id }).from(networks).where(eq(networks.id, id)).for('update');
			return seedDefaultTopics(tx, VISITOR, id);
		});
		if (n > 0) seeded++;
	}
	return seeded;
}
