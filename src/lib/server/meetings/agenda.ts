// The agenda of a meeting: ordered items with title, presenter (a person of the directory, a
// body, or free text), duration, notes, and a generic reference to any registered record (a
// measure, an offer, a joint activity, … – whatever registers pathPatterns) by pasting its address.
// Coordinators manage the agenda; members propose items (shown as theirs, editable by them and by
// coordinators). Open follow-ups can be pulled in as items. An agenda longer than the meeting is a
// warning on the page, never a block.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { agendaItems, bodies, followUps, meetings, people, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { number, parseFields, text } from '../network/directory-shared';
import { isUuid } from '../ids';
import { recordRefFromPath, recordType, resolveRecord, type RecordRef, type ResolvedRecord } from '../registry';
import { z } from 'zod';
import { ACTIVE_FOLLOW_UP_STATES } from '$lib/meetings/enums';
import { canEditAgendaItem, canMeeting } from './permissions';
import { loadMeeting, readableMeeting, type Meeting, type MeetingOrId } from './meetings';

export type AgendaItem = typeof agendaItems.$inferSelect;

/** An agenda has a few dozen items at most; more is a mistake or an attack. */
export const MAX_AGENDA_ITEMS = 100;

// ---------------------------------------------------------------------------------------------
// Input

/** "person:<uuid>", "body:<uuid>" or '' (the presenter select). */
const presenter = z
	.string()
	.trim()
	.transform((s, ctx) => {
		if (s === '') return { personId: null, bodyId: null };
		const m = /^(person|body):(.+)$/.exec(s);
		if (!m || !isUuid(m[2])) {
			ctx.addIssue({ code: 'custom', message: 'meetings.agenda.presenterUnknown' });
			return z.NEVER;
		}
		return m[1] === 'person' ? { personId: m[2], bodyId: null } : { personId: null, bodyId: m[2] };
	});

export const agendaShape = () => ({
	title: text(200, true),
	presenter,
	presenterText: text(200),
	durationMinutes: number({ min: 0, minExclusive: true, max: 1440, integer: true, key: 'meetings.agenda.duration' }),
	notes: text(5000),
	refAddress: z.string().trim().max(1000, { error: 'meetings.agenda.refUnknown' })
});

interface AgendaValues {
	title: string;
	presenterPersonId: string | null;
	presenterBodyId: string | null;
	presenterText: string;
	durationMinutes: number | null;
	notes: string;
	refType: string | null;
	refId: string | null;
}

/** A pasted address (full URL or path) → the record it names, if the actor sees it in this network. */
export async function refFromAddress(actor: Actor, networkId: string, address: string): Promise<RecordRef | null> {
	const raw = address.trim();
	if (!raw) return null;
	let path = raw;
	try {
		if (/^https?:\/\//i.test(raw)) path = new URL(raw).pathname;
	} catch {
		throw new ValidationError({ refAddress: 'meetings.agenda.refUnknown' });
	}
	const ref = recordRefFromPath(path.split(/[?#]/)[0]);
	const rec = ref ? await resolveRecord(actor, ref) : null;
	if (!ref || !rec || rec.networkId !== networkId) throw new ValidationError({ refAddress: 'meetings.agenda.refUnknown' });
	return { type: rec.type, id: rec.id };
}

/** Parses and checks an item's input. Runs outside transactions: the registry reads with db(). */
async function parseAgenda(actor: Actor, networkId: string, input: unknown): Promise<AgendaValues> {
	const tx = db();
	const errors: Record<string, string> = {};
	let d: ReturnType<typeof parseFields<ReturnType<typeof agendaShape>>>;
	try {
		d = parseFields(agendaShape(), input);
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		// Report the address too, so every bad field gets its message at once.
		const address = (input as Record<string, unknown> | null)?.refAddress;
		if (!e.fieldErrors.refAddress && typeof address === 'string') {
			await refFromAddress(actor, networkId, address).catch((re) => {
				if (re instanceof ValidationError) Object.assign(e.fieldErrors, re.fieldErrors);
				else throw re;
			});
		}
		throw e;
	}
	if (d.presenter.personId) {
		const [p] = await tx
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.id, d.presenter.personId), eq(people.networkId, networkId)));
		if (!p) errors.presenter = 'meetings.agenda.presenterUnknown';
	}
	if (d.presenter.bodyId) {
		const [b] = await tx
			.select({ id: bodies.id })
			.from(bodies)
			.where(and(eq(bodies.id, d.presenter.bodyId), eq(bodies.networkId, networkId)));
		if (!b) errors.presenter = 'meetings.agenda.presenterUnknown';
	}
	let ref: RecordRef | null = null;
	try {
		ref = await refFromAddress(actor, networkId, d.refAddress);
	} catch (e) {
		if (e instanceof ValidationError) Object.assign(errors, e.fieldErrors);
		else throw e;
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);
	return {
		title: d.title,
		presenterPersonId: d.presenter.personId,
		presenterBodyId: d.presenter.bodyId,
		presenterText: d.presenterText,
		durationMinutes: d.durationMinutes,
		notes: d.notes,
		refType: ref?.type ?? null,
		refId: ref?.id ?? null
	};
}

// ---------------------------------------------------------------------------------------------
// Commands

/** Members may propose only to meetings still ahead and not cancelled; coordinators always. */
function checkProposable(actor: Actor, m: Meeting, now: Date) {
	if (canMeeting(actor, 'meeting.manage', { networkId: m.networkId })) return;
	if (!canMeeting(actor, 'meeting.proposeItem', { networkId: m.networkId })) throw new ForbiddenError();
	if (m.status === 'cancelled') throw new ValidationError({ _form: 'meetings.isCancelled' });
	if (m.status === 'held' || m.endsAt.getTime() < now.getTime()) throw new ValidationError({ _form: 'meetings.isPast' });
}

async function loadItem(tx: Tx | ReturnType<typeof db>, networkId: string, meetingId: string, itemId: string): Promise<AgendaItem> {
	if (!isUuid(itemId)) throw new NotFoundError();
	const [item] = await tx
		.select()
		.from(agendaItems)
		.where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, meetingId), eq(agendaItems.networkId, networkId)));
	if (!item) throw new NotFoundError();
	return item;
}

/** Locks the meeting row: agenda changes of one meeting run one after the other (positions stay dense). */
async function lockMeeting(tx: Tx, networkId: string, meetingId: string): Promise<Meeting> {
	return loadMeeting(tx, networkId, meetingId, true);
}

async function nextPosition(tx: Tx, meetingId: string): Promise<{ position: number; count: number }> {
	const rows = await tx.select({ p: agendaItems.position }).from(agendaItems).where(eq(agendaItems.meetingId, meetingId));
	return { position: rows.length ? Math.max(...rows.map((r) => r.p)) + 1 : 0, count: rows.length };
}

/** Adds an item at the end. Coordinators add; members propose (the item shows them as proposer). */
export async function addAgendaItem(actor: Actor, networkId: string, meetingId: string, input: unknown, opts: { now?: Date } = {}): Promise<AgendaItem> {
	const m = await readableMeeting(actor, networkId, meetingId);
	checkProposable(actor, m, opts.now ?? new Date());
	const manager = canMeeting(actor, 'meeting.manage', { networkId });
	const data = await parseAgenda(actor, networkId, input);
	return db().transaction(async (tx) => {
		await lockMeeting(tx, networkId, meetingId);
		const { position, count } = await nextPosition(tx, meetingId);
		if (count >= MAX_AGENDA_ITEMS) throw new ValidationError({ _form: 'meetings.agenda.tooMany' });
		const [item] = await tx
			.insert(agendaItems)
			.values({ ...data, networkId, meetingId, position, proposedBy: manager ? null : actor.userId })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'agenda_item', recordId: item.id, after: item });
		return item;
	});
}

/** The stamp an item's edit and delete forms carry: its last change (agenda items have no version column). */
export const itemStamp = (item: Pick<AgendaItem, 'updatedAt'>) => item.updatedAt.toISOString();

/** The form's stamp must be there and match the item's (else someone changed it meanwhile). */
function checkStamp(input: unknown, current: AgendaItem) {
	const raw = (input as Record<string, unknown> | null)?.itemStamp;
	const sent = typeof raw === 'string' && raw.length <= 40 ? Date.parse(raw) : NaN;
	const values = { itemStamp: itemStamp(current) };
	if (Number.isNaN(sent)) throw new ValidationError({ _form: 'meetings.agenda.stampMissing' }, values);
	if (sent !== current.updatedAt.getTime()) throw new ValidationError({ _form: 'meetings.agenda.editedMeanwhile' }, values);
}

/** Edits an item: coordinators any, members their own proposals (while the meeting is ahead). Guarded by the form's itemStamp. */
export async function updateAgendaItem(actor: Actor, networkId: string, meetingId: string, itemId: string, input: unknown, opts: { now?: Date } = {}): Promise<AgendaItem> {
	const m = await readableMeeting(actor, networkId, meetingId);
	const current = await loadItem(db(), networkId, meetingId, itemId);
	if (!canEditAgendaItem(actor, networkId, current.proposedBy)) throw new ForbiddenError();
	checkProposable(actor, m, opts.now ?? new Date());
	const data = await parseAgenda(actor, networkId, input);
	return db().transaction(async (tx) => {
		await lockMeeting(tx, networkId, meetingId);
		const before = await loadItem(tx, networkId, meetingId, itemId);
		checkStamp(input, before);
		// Always later than the stamp the form had (also within the same millisecond), so the next stale form is caught.
		const stamp = new Date(Math.max(Date.now(), before.updatedAt.getTime() + 1));
		const [after] = await tx
			.update(agendaItems)
			.set({ ...data, updatedAt: stamp })
			.where(eq(agendaItems.id, itemId))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'agenda_item', recordId: itemId, before, after });
		return after;
	});
}

/** Removes an item and closes the gap in the order. Guarded by the form's itemStamp. */
export async function deleteAgendaItem(actor: Actor, networkId: string, meetingId: string, itemId: string, input: unknown, opts: { now?: Date } = {}): Promise<void> {
	const m = await readableMeeting(actor, networkId, meetingId);
	const current = await loadItem(db(), networkId, meetingId, itemId);
	if (!canEditAgendaItem(actor, networkId, current.proposedBy)) throw new ForbiddenError();
	checkProposable(actor, m, opts.now ?? new Date());
	await db().transaction(async (tx) => {
		await lockMeeting(tx, networkId, meetingId);
		const before = await loadItem(tx, networkId, meetingId, itemId);
		checkStamp(input, before);
		await tx.delete(agendaItems).where(eq(agendaItems.id, itemId));
		await renumber(tx, meetingId);
		await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'agenda_item', recordId: itemId, before });
	});
}

async function orderedIds(tx: Tx, meetingId: string): Promise<string[]> {
	const rows = await tx
		.select({ id: agendaItems.id })
		.from(agendaItems)
		.where(eq(agendaItems.meetingId, meetingId))
		.orderBy(asc(agendaItems.position), asc(agendaItems.createdAt), asc(agendaItems.id));
	return rows.map((r) => r.id);
}

async function writeOrder(tx: Tx, ids: string[]) {
	for (const [i, id] of ids.entries()) await tx.update(agendaItems).set({ position: i }).where(eq(agendaItems.id, id));
}

async function renumber(tx: Tx, meetingId: string) {
	await writeOrder(tx, await orderedIds(tx, meetingId));
}

/** Moves an item one place up or down (coordinators). At the top/bottom it stays where it is. */
export async function moveAgendaItem(actor: Actor, networkId: string, meetingId: string, itemId: string, direction: 'up' | 'down'): Promise<void> {
	await readableMeeting(actor, networkId, meetingId);
	if (!canMeeting(actor, 'meeting.manage', { networkId })) throw new ForbiddenError();
	if (direction !== 'up' && direction !== 'down') throw new ValidationError({ _form: 'validation.choice' });
	await db().transaction(async (tx) => {
		await lockMeeting(tx, networkId, meetingId);
		// Removed meanwhile (another tab, another coordinator): a message beside the agenda, not an error page.
		await loadItem(tx, networkId, meetingId, itemId).catch((e) => {
			throw e instanceof NotFoundError ? new ValidationError({ _form: 'meetings.agenda.itemGone' }) : e;
		});
		const ids = await orderedIds(tx, meetingId);
		const i = ids.indexOf(itemId);
		const j = direction === 'up' ? i - 1 : i + 1;
		if (j < 0 || j >= ids.length) return;
		[ids[i], ids[j]] = [ids[j], ids[i]];
		await writeOrder(tx, ids);
		await recordChange(tx, actor, { networkId, action: 'move', recordType: 'agenda_item', recordId: itemId, before: { position: i }, after: { position: j } });
	});
}

/**
 * Pulls open follow-ups into the agenda (coordinators): one item per follow-up, titled like it,
 * presented by its owner, marked with follow_up_id. Follow-ups already on this agenda, done,
 * dropped or of another network are refused.
 */
export async function addFollowUpsToAgenda(actor: Actor, networkId: string, meetingId: string, followUpIds: unknown): Promise<AgendaItem[]> {
	await readableMeeting(actor, networkId, meetingId);
	if (!canMeeting(actor, 'meeting.manage', { networkId })) throw new ForbiddenError();
	const raw = (Array.isArray(followUpIds) ? followUpIds : [followUpIds]).filter((v): v is string => typeof v === 'string' && v !== '');
	if (!raw.length) throw new ValidationError({ followUpIds: 'meetings.agenda.pickFollowUp' });
	if (raw.length > MAX_AGENDA_ITEMS || raw.some((v) => !isUuid(v))) throw new ValidationError({ followUpIds: 'meetings.agenda.followUpUnknown' });
	const ids = [...new Set(raw)];
	return db().transaction(async (tx) => {
		await lockMeeting(tx, networkId, meetingId);
		const found = await tx
			.select()
			.from(followUps)
			.where(and(eq(followUps.networkId, networkId), inArray(followUps.id, ids), inArray(followUps.state, [...ACTIVE_FOLLOW_UP_STATES])))
			.orderBy(asc(followUps.dueOn), asc(followUps.createdAt), asc(followUps.id));
		if (found.length !== ids.length) throw new ValidationError({ followUpIds: 'meetings.agenda.followUpUnknown' });
		const already = await tx
			.select({ id: agendaItems.followUpId })
			.from(agendaItems)
			.where(and(eq(agendaItems.meetingId, meetingId), inArray(agendaItems.followUpId, ids)));
		if (already.length) throw new ValidationError({ followUpIds: 'meetings.agenda.followUpThere' });
		let { position, count } = await nextPosition(tx, meetingId);
		if (count + found.length > MAX_AGENDA_ITEMS) throw new ValidationError({ _form: 'meetings.agenda.tooMany' });
		const out: AgendaItem[] = [];
		for (const f of found) {
			const [item] = await tx
				.insert(agendaItems)
				.values({
					networkId,
					meetingId,
					position: position++,
					title: f.title.slice(0, 200),
					presenterPersonId: f.ownerPersonId,
					presenterBodyId: f.ownerPersonId ? null : f.ownerBodyId,
					followUpId: f.id
				})
				.returning();
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'agenda_item', recordId: item.id, after: item });
			out.push(item);
		}
		return out;
	});
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface AgendaItemView {
	id: string;
	position: number;
	title: string;
	presenter: { kind: 'person' | 'body' | null; id: string | null; name: string | null; text: string };
	durationMinutes: number | null;
	notes: string;
	/** The linked record, if the actor may see it (type label as message key). */
	ref: { type: string; labelKey: string; title: string; url: string } | null;
	/** A reference to a record that is gone or not visible. */
	refHidden: boolean;
	followUp: { id: string; title: string; state: string } | null;
	proposedBy: { userId: string; name: string } | null;
	canEdit: boolean;
}

export interface AgendaView {
	items: AgendaItemView[];
	totalMinutes: number;
	/** Items without a duration (the total leaves them out). */
	untimed: number;
	meetingMinutes: number;
	/** The agenda's durations add up to more than the meeting: a warning, not a block. */
	overLength: boolean;
	canManage: boolean;
	canPropose: boolean;
}

export function meetingMinutes(m: Pick<Meeting, 'startsAt' | 'endsAt'>): number {
	return Math.round((m.endsAt.getTime() - m.startsAt.getTime()) / 60_000);
}

/**
 * The records the items point at, each distinct (type, id) resolved once and all at once (the
 * registry loads one record per call; an agenda has at most MAX_AGENDA_ITEMS items).
 */
async function resolveRefs(actor: Actor, refs: RecordRef[]): Promise<Map<string, ResolvedRecord | null>> {
	const key = (r: RecordRef) => `${r.type}:${r.id}`;
	const distinct = new Map<string, RecordRef>();
	for (const r of refs) if (distinct.size < MAX_AGENDA_ITEMS) distinct.set(key(r), r);
	const resolved = await Promise.all([...distinct.entries()].map(async ([k, r]) => [k, await resolveRecord(actor, r)] as const));
	return new Map(resolved);
}

/** The agenda as the working area sees it, with presenters, references and the length check. */
export async function getAgenda(actor: Actor, networkId: string, meeting: MeetingOrId, opts: { now?: Date } = {}): Promise<AgendaView> {
	const m = await readableMeeting(actor, networkId, meeting);
	const meetingId = m.id;
	const rows = await db()
		.select({
			item: agendaItems,
			personName: people.name,
			bodyName: bodies.name,
			followUpTitle: followUps.title,
			followUpState: followUps.state,
			proposerName: users.name
		})
		.from(agendaItems)
		.leftJoin(people, and(eq(people.id, agendaItems.presenterPersonId), eq(people.networkId, networkId)))
		.leftJoin(bodies, and(eq(bodies.id, agendaItems.presenterBodyId), eq(bodies.networkId, networkId)))
		.leftJoin(followUps, and(eq(followUps.id, agendaItems.followUpId), eq(followUps.networkId, networkId)))
		.leftJoin(users, eq(users.id, agendaItems.proposedBy))
		.where(and(eq(agendaItems.meetingId, meetingId), eq(agendaItems.networkId, networkId)))
		.orderBy(asc(agendaItems.position), asc(agendaItems.createdAt), asc(agendaItems.id));
	const now = opts.now ?? new Date();
	let proposable = true;
	try {
		checkProposable(actor, m, now);
	} catch {
		proposable = false;
	}
	const records = await resolveRefs(
		actor,
		rows.flatMap((r) => (r.item.refType && r.item.refId ? [{ type: r.item.refType, id: r.item.refId }] : []))
	);
	const items: AgendaItemView[] = [];
	for (const r of rows) {
		const it = r.item;
		let ref: AgendaItemView['ref'] = null;
		if (it.refType && it.refId) {
			const rec = records.get(`${it.refType}:${it.refId}`);
			if (rec && rec.networkId === networkId) ref = { type: rec.type, labelKey: recordType(rec.type)?.labelKey ?? rec.type, title: rec.title, url: rec.url };
		}
		items.push({
			id: it.id,
			position: it.position,
			title: it.title,
			presenter: r.personName
				? { kind: 'person', id: it.presenterPersonId, name: r.personName, text: it.presenterText }
				: r.bodyName
					? { kind: 'body', id: it.presenterBodyId, name: r.bodyName, text: it.presenterText }
					: { kind: null, id: null, name: null, text: it.presenterText },
			durationMinutes: it.durationMinutes,
			notes: it.notes,
			ref,
			refHidden: !!it.refType && !ref,
			followUp: it.followUpId && r.followUpTitle ? { id: it.followUpId, title: r.followUpTitle, state: r.followUpState! } : null,
			proposedBy: it.proposedBy ? { userId: it.proposedBy, name: r.proposerName ?? '' } : null,
			canEdit: canEditAgendaItem(actor, networkId, it.proposedBy) && proposable
		});
	}
	const totalMinutes = items.reduce((s, i) => s + (i.durationMinutes ?? 0), 0);
	const length = meetingMinutes(m);
	return {
		items,
		totalMinutes,
		untimed: items.filter((i) => i.durationMinutes === null).length,
		meetingMinutes: length,
		overLength: totalMinutes > length,
		canManage: canMeeting(actor, 'meeting.manage', { networkId }),
		canPropose: proposable
	};
}

/**
 * A public meeting's agenda: titles and durations only (no presenters, notes or references), and
 * without the items pulled in from the open follow-ups – their titles are the network's internal
 * tasks (the meeting form's public hint says so).
 */
export async function getPublicAgenda(networkId: string, meetingId: string): Promise<{ title: string; durationMinutes: number | null }[]> {
	const m = await loadMeeting(db(), networkId, meetingId);
	if (!m.isPublic) throw new NotFoundError();
	return db()
		.select({ title: agendaItems.title, durationMinutes: agendaItems.durationMinutes })
		.from(agendaItems)
		// Items from the open follow-ups and members' proposals stay internal: the portal shows
		// only what the coordination put on the agenda itself.
		.where(and(eq(agendaItems.meetingId, meetingId), eq(agendaItems.networkId, networkId), isNull(agendaItems.followUpId), isNull(agendaItems.proposedBy)))
		.orderBy(asc(agendaItems.position), asc(agendaItems.createdAt), asc(agendaItems.id));
}

/** One item with its form values (edit page); 403 when the actor may not edit it. */
export async function agendaItemForm(actor: Actor, networkId: string, meeting: MeetingOrId, itemId: string): Promise<{ item: AgendaItem; values: Record<string, string> }> {
	const m = await readableMeeting(actor, networkId, meeting);
	const item = await loadItem(db(), networkId, m.id, itemId);
	if (!canEditAgendaItem(actor, networkId, item.proposedBy)) throw new ForbiddenError();
	let refAddress = '';
	if (item.refType && item.refId) {
		const rec = await resolveRecord(actor, { type: item.refType, id: item.refId });
		if (rec) refAddress = rec.url;
	}
	return {
		item,
		values: {
			title: item.title,
			presenter: item.presenterPersonId ? `person:${item.presenterPersonId}` : item.presenterBodyId ? `body:${item.presenterBodyId}` : '',
			presenterText: item.presenterText,
			durationMinutes: item.durationMinutes === null ? '' : String(item.durationMinutes),
			notes: item.notes,
			refAddress,
			itemStamp: itemStamp(item)
		}
	};
}

/** People and bodies to pick the presenter from. */
export async function presenterOptions(actor: Actor, networkId: string) {
	if (!canMeeting(actor, 'meeting.proposeItem', { networkId })) throw new ForbiddenError();
	const [personList, bodyList] = await Promise.all([
		db()
			.select({ id: people.id, name: people.name, bodyName: bodies.name })
			.from(people)
			.leftJoin(bodies, eq(bodies.id, people.bodyId))
			.where(eq(people.networkId, networkId))
			.orderBy(people.name)
			.limit(2000),
		db().select({ id: bodies.id, name: bodies.name }).from(bodies).where(eq(bodies.networkId, networkId)).orderBy(bodies.name).limit(1000)
	]);
	return { people: personList, bodies: bodyList };
}

