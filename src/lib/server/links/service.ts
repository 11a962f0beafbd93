// Links between records of any modules, stored once and shown on both sides. Access goes through
// the registry: a link shows only when the actor may read the record on the other side. Whoever may
// edit a record links it; removing a link takes more, as it also changes the other side's page
// (see mayRemoveLink).
import { and, eq, or } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { recordLinks } from '../db/schema';
import { membershipIn, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { canEditRecord, recordRefFromPath, recordType, resolveRecord, type RecordRef, type ResolvedRecord } from '../registry';
import { isUuid } from '../ids';

export interface LinkView {
	id: string;
	note: string;
	/** The record on the other side, resolved for the actor. */
	other: ResolvedRecord & { labelKey: string };
	/** Whether the actor may remove this link (mayRemoveLink). */
	canRemove: boolean;
}

type LinkRow = typeof recordLinks.$inferSelect;

/** Whether the actor may edit the (already loaded) record, as its module decides. */
function mayEdit(actor: Actor, rec: ResolvedRecord | null): boolean {
	const def = rec ? recordType(rec.type) : undefined;
	return !!rec && !!def && def.canEdit(actor, rec);
}

/**
 * Who may remove a link: a coordinator of its network, the person who made it (while still in the
 * network), or someone who may edit the records on BOTH sides. Editing one side is not enough: a
 * link also shows on the other record's page, which may belong to another town.
 */
export function mayRemoveLink(actor: Actor, link: Pick<LinkRow, 'networkId' | 'createdBy'>, editsBothSides: boolean): boolean {
	const m = membershipIn(actor, link.networkId);
	if (!m) return false;
	if (m.role === 'coordinator') return true;
	if (link.createdBy && actor.userId && link.createdBy === actor.userId) return true;
	return editsBothSides;
}

/** Loads a record without a read check (for the edit check only; nothing of it is shown). */
async function loadRecord(ref: RecordRef): Promise<ResolvedRecord | null> {
	return (await recordType(ref.type)?.load(ref.id)) ?? null;
}

/** Links of a record (either side), with the other record resolved; hidden ones left out. */
export async function listLinks(actor: Actor, ref: RecordRef): Promise<LinkView[]> {
	const self = await resolveRecord(actor, ref);
	if (!self) return [];
	const rows = await db()
		.select()
		.from(recordLinks)
		.where(
			or(
				and(eq(recordLinks.fromType, ref.type), eq(recordLinks.fromId, ref.id)),
				and(eq(recordLinks.toType, ref.type), eq(recordLinks.toId, ref.id))
			)
		)
		.orderBy(recordLinks.createdAt)
		// Links are made by hand; a record has a few dozen at most.
		.limit(500);
	const out: LinkView[] = [];
	const editsSelf = mayEdit(actor, self);
	for (const r of rows) {
		const otherRef = r.fromType === ref.type && r.fromId === ref.id ? { type: r.toType, id: r.toId } : { type: r.fromType, id: r.fromId };
		const other = await resolveRecord(actor, otherRef);
		// Never across networks, even if a row says so.
		if (!other || other.networkId !== self.networkId) continue;
		out.push({
			id: r.id,
			note: r.note,
			other: { ...other, labelKey: recordType(other.type)?.labelKey ?? other.type },
			canRemove: mayRemoveLink(actor, r, editsSelf && mayEdit(actor, other))
		});
	}
	return out;
}

/** Links two records of the same network. The actor must be able to edit the first and read the second. */
export async function linkRecords(actor: Actor, from: RecordRef, to: RecordRef, note = ''): Promise<string> {
	if (!(await canEditRecord(actor, from))) throw new ForbiddenError();
	const a = await resolveRecord(actor, from);
	const b = await resolveRecord(actor, to);
	if (!a) throw new NotFoundError();
	if (!b || b.networkId !== a.networkId) throw new ValidationError({ target: 'link.targetUnknown' });
	if (a.type === b.type && a.id === b.id) throw new ValidationError({ target: 'link.self' });
	return db().transaction(async (tx) => {
		const [existing] = await tx
			.select({ id: recordLinks.id })
			.from(recordLinks)
			.where(
				or(
					and(eq(recordLinks.fromType, a.type), eq(recordLinks.fromId, a.id), eq(recordLinks.toType, b.type), eq(recordLinks.toId, b.id)),
					and(eq(recordLinks.fromType, b.type), eq(recordLinks.fromId, b.id), eq(recordLinks.toType, a.type), eq(recordLinks.toId, a.id))
				)
			);
		if (existing) return existing.id;
		const [row] = await tx
			.insert(recordLinks)
			.values({ networkId: a.networkId!, fromType: a.type, fromId: a.id, toType: b.type, toId: b.id, note: note.slice(0, 500), createdBy: actor.userId })
			.onConflictDoNothing()
			.returning();
		if (!row) return '';
		await recordChange(tx, actor, { networkId: a.networkId, action: 'create', recordType: 'record_link', recordId: row.id, after: row });
		return row.id;
	});
}

/**
 * Removes a link: coordinators, the person who made it, or an editor of both sides (mayRemoveLink).
 * `of`: the record whose page the form is on; a link that doesn't touch it is not found.
 */
export async function unlinkRecords(actor: Actor, linkId: string, of?: RecordRef): Promise<void> {
	if (!isUuid(linkId)) throw new NotFoundError();
	const [row] = await db().select().from(recordLinks).where(eq(recordLinks.id, linkId));
	if (!row) throw new NotFoundError();
	const touches = (t: string, id: string) => !of || (t === of.type && id === of.id);
	if (!touches(row.fromType, row.fromId) && !touches(row.toType, row.toId)) throw new NotFoundError();
	// Only a non-coordinator who didn't make the link needs the (two lookups of the) edit check.
	const quick = mayRemoveLink(actor, row, false);
	const editsBoth =
		!quick &&
		mayEdit(actor, await loadRecord({ type: row.fromType, id: row.fromId })) &&
		mayEdit(actor, await loadRecord({ type: row.toType, id: row.toId }));
	if (!quick && !mayRemoveLink(actor, row, editsBoth)) throw new ForbiddenError();
	await db().transaction(async (tx) => {
		await tx.delete(recordLinks).where(eq(recordLinks.id, linkId));
		await recordChange(tx, actor, { networkId: row.networkId, action: 'delete', recordType: 'record_link', recordId: linkId, before: row });
	});
}

/**
 * Links a record to the one whose page address the user pasted (full URL or path). The address
 * must point into this app; anything else is a field error on `target`.
 */
export async function linkByAddress(actor: Actor, from: RecordRef, address: string, note = ''): Promise<string> {
	const raw = address.trim().slice(0, 1000);
	let path = raw;
	try {
		// Any host is fine: only the path counts, so addresses copied via another host name still work.
		if (/^https?:\/\//i.test(raw)) path = new URL(raw).pathname;
	} catch {
		throw new ValidationError({ target: 'link.targetUnknown' });
	}
	const to = path ? recordRefFromPath(path.split(/[?#]/)[0]) : null;
	if (!to) throw new ValidationError({ target: raw ? 'link.targetUnknown' : 'validation.required' });
	return linkRecords(actor, from, to, note);
}

/** Removes every link of a record that is being deleted (inside the deleting command's transaction). */
export async function removeLinksOf(tx: Tx, ref: RecordRef): Promise<void> {
	await tx
		.delete(recordLinks)
		.where(
			or(
				and(eq(recordLinks.fromType, ref.type), eq(recordLinks.fromId, ref.id)),
				and(eq(recordLinks.toType, ref.type), eq(recordLinks.toId, ref.id))
			)
		);
}
