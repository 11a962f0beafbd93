// Pledges: personal actions the coordinator defines ("Ich beziehe Ökostrom", with estimated savings
// per year), and residents who commit to them, with an account (one pledge per action) or without
// one (town and postcode only, nothing else about the person). The portal shows the totals.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies } from '../db/schema';
import { pledgeActions, pledges } from './schema';
import type { Actor } from '../auth/actor';
import { NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, isUniqueViolation, isUuid, number, parseFields, text } from '../network/directory-shared';
import { FIELD_THEMES } from '../measures/concepts';
import { requireParticipation } from './permissions';
import { checkHoneypot, limitPosting } from './abuse';
import { participantState, requireParticipant } from './participant';

export type PledgeAction = typeof pledgeActions.$inferSelect;

const actionShape = () => ({
	title: text(200, true),
	description: text(2000),
	savingsKg: number({ min: 0, max: 100000, grouped: true, key: 'portal.pledgeAction.savingsRange' }),
	theme: choice(FIELD_THEMES)
});

function parseAction(input: unknown) {
	return parseFields(actionShape(), input, (d, errors) => {
		if (d.savingsKg === null && !errors.savingsKg) errors.savingsKg = 'portal.pledgeAction.savingsRange';
	}) as { title: string; description: string; savingsKg: number; theme: PledgeAction['theme'] };
}

async function loadAction(tx: Tx | ReturnType<typeof db>, networkId: string, id: string, lock = false): Promise<PledgeAction> {
	if (!isUuid(id)) throw new NotFoundError();
	const q = tx
		.select()
		.from(pledgeActions)
		.where(and(eq(pledgeActions.id, id), eq(pledgeActions.networkId, networkId)));
	const [a] = lock ? await q.for('update') : await q;
	if (!a) throw new NotFoundError();
	return a;
}

/** Pledge actions in their order. Archived ones only for those who manage them. */
export async function listPledgeActions(actor: Actor, networkId: string, opts: { withArchived?: boolean } = {}): Promise<PledgeAction[]> {
	const all = !!opts.withArchived;
	if (all) requireParticipation(actor, 'participation.manage', { networkId });
	return db()
		.select()
		.from(pledgeActions)
		.where(and(eq(pledgeActions.networkId, networkId), all ? undefined : eq(pledgeActions.active, true)))
		.orderBy(asc(pledgeActions.position), asc(pledgeActions.title), asc(pledgeActions.id))
		.limit(200);
}

/** One action for the edit form (managers only). */
export async function getPledgeAction(actor: Actor, networkId: string, id: string): Promise<PledgeAction> {
	requireParticipation(actor, 'participation.manage', { networkId });
	return loadAction(db(), networkId, id);
}

export function pledgeActionAsForm(a: PledgeAction): Record<string, string> {
	return { title: a.title, description: a.description, savingsKg: String(a.savingsKg).replace('.', ','), theme: a.theme };
}

export async function createPledgeAction(actor: Actor, networkId: string, input: unknown): Promise<PledgeAction> {
	requireParticipation(actor, 'participation.manage', { networkId });
	const data = parseAction(input);
	return db().transaction(async (tx) => {
		const [{ next }] = await tx
			.select({ next: sql<number>`coalesce(max(${pledgeActions.position}), 0)::int + 1` })
			.from(pledgeActions)
			.where(eq(pledgeActions.networkId, networkId));
		const [a] = await tx
			.insert(pledgeActions)
			.values({ ...data, networkId, position: next })
			.returning();
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'pledge_action', recordId: a.id, after: a });
		return a;
	});
}

export async function updatePledgeAction(actor: Actor, networkId: string, id: string, input: unknown): Promise<PledgeAction> {
	requireParticipation(actor, 'participation.manage', { networkId });
	const data = parseAction(input);
	return db().transaction(async (tx) => {
		const before = await loadAction(tx, networkId, id, true);
		const [after] = await tx
			.update(pledgeActions)
			.set({ ...data, updatedAt: new Date() })
			.where(eq(pledgeActions.id, id))
			.returning();
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'pledge_action', recordId: id, before, after });
		return after;
	});
}

/** Archives (no new pledges; its pledges stay in the totals) or reactivates an action. */
export async function setPledgeActionActive(actor: Actor, networkId: string, id: string, active: boolean): Promise<void> {
	requireParticipation(actor, 'participation.manage', { networkId });
	await db().transaction(async (tx) => {
		const before = await loadAction(tx, networkId, id, true);
		if (before.active === active) return;
		await tx.update(pledgeActions).set({ active, updatedAt: new Date() }).where(eq(pledgeActions.id, id));
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'pledge_action', recordId: id, before: { active: before.active }, after: { active } });
	});
}

/** Moves an action one place up or down; positions are renumbered densely. */
export async function movePledgeAction(actor: Actor, networkId: string, id: string, direction: 'up' | 'down'): Promise<void> {
	requireParticipation(actor, 'participation.manage', { networkId });
	await db().transaction(async (tx) => {
		await loadAction(tx, networkId, id, true);
		const list = await tx
			.select({ id: pledgeActions.id })
			.from(pledgeActions)
			.where(eq(pledgeActions.networkId, networkId))
			.orderBy(asc(pledgeActions.position), asc(pledgeActions.title), asc(pledgeActions.id))
			.for('update');
		const i = list.findIndex((a) => a.id === id);
		const j = direction === 'up' ? i - 1 : i + 1;
		if (i < 0 || j < 0 || j >= list.length) return;
		[list[i], list[j]] = [list[j], list[i]];
		for (const [pos, a] of list.entries()) {
			await tx.update(pledgeActions).set({ position: pos + 1 }).where(eq(pledgeActions.id, a.id));
		}
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'pledge_action', recordId: id, before: { position: i + 1 }, after: { position: j + 1 } });
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'pledge_action', recordId: list[i].id, before: { position: j + 1 }, after: { position: i + 1 } });
	});
}

// ── pledging ──────────────────────────────────────────────────────────────────────────────────

const ids = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string');

const pledgeShape = () => ({
	bodyId: z.string().trim(),
	postcode: z
		.string()
		.trim()
		.refine((s) => s === '' || /^\d{5}$/.test(s), { error: 'portal.pledge.postcodeInvalid' })
});

export interface PledgeResult {
	count: number;
	/** Whether the pledges were stored with the account (else anonymously, town and postcode). */
	withAccount: boolean;
}

/**
 * Pledges to one or more actions. A participant (account with consent) pledges with the account:
 * a second pledge to the same action is refused. Everybody else pledges without an account and gives
 * the town and the postcode, nothing more. Honeypot, then input, then the rate limit per address
 * and account, one hit per action pledged: bad input does not count, a flood from one address is
 * refused.
 */
export async function pledge(actor: Actor, networkId: string, input: Record<string, unknown>, who: { ip: string }): Promise<PledgeResult> {
	checkHoneypot(input);
	const withAccount = (await participantState(actor)) === 'ok';
	const data = parseFields(pledgeShape(), input);
	const actionIds = [...new Set(ids(input.actionIds))];
	const errors: Record<string, string> = {};
	if (!actionIds.length) errors.actionIds = 'portal.pledge.chooseAction';
	else if (actionIds.length > 50 || !actionIds.every(isUuid)) errors.actionIds = 'validation.choice';
	let bodyId: string | null = null;
	if (data.bodyId) {
		if (!isUuid(data.bodyId)) errors.bodyId = 'validation.choice';
		else {
			const [b] = await db().select({ id: bodies.id }).from(bodies).where(and(eq(bodies.id, data.bodyId), eq(bodies.networkId, networkId)));
			if (!b) errors.bodyId = 'validation.choice';
			else bodyId = b.id;
		}
	} else if (!withAccount) errors.bodyId = 'portal.pledge.townRequired';
	if (!withAccount && !data.postcode && !errors.postcode) errors.postcode = 'portal.pledge.postcodeRequired';
	if (!errors.actionIds) {
		const found = await db()
			.select({ id: pledgeActions.id })
			.from(pledgeActions)
			.where(and(eq(pledgeActions.networkId, networkId), eq(pledgeActions.active, true), inArray(pledgeActions.id, actionIds)));
		if (found.length !== actionIds.length) errors.actionIds = 'portal.pledge.actionGone';
	}
	if (Object.keys(errors).length) throw new ValidationError(errors);

	const userId = withAccount ? (await requireParticipant(actor)).userId : null;
	await limitPosting('pledge', { userId, ip: who.ip }, actionIds.length);
	try {
		await db().transaction(async (tx) => {
			if (userId) {
				const already = await tx
					.select({ id: pledges.actionId })
					.from(pledges)
					.where(and(eq(pledges.userId, userId), inArray(pledges.actionId, actionIds)));
				if (already.length) throw new ValidationError({ actionIds: 'portal.pledge.already' });
			}
			const rows = await tx
				.insert(pledges)
				.values(actionIds.map((actionId) => ({ networkId, actionId, bodyId, userId, postcode: userId ? '' : data.postcode })))
				.returning({ id: pledges.id, actionId: pledges.actionId });
			// Who pledged is nobody's business: the entry names the action and town, not the postcode.
			for (const r of rows) {
				await recordChange(tx, actor, { networkId, action: 'create', recordType: 'pledge', recordId: r.id, after: { actionId: r.actionId, bodyId, withAccount: !!userId } });
			}
		});
	} catch (e) {
		// Two submissions racing past the check: the unique index has the last word.
		if (isUniqueViolation(e)) throw new ValidationError({ actionIds: 'portal.pledge.already' });
		throw e;
	}
	return { count: actionIds.length, withAccount: !!userId };
}

/** The actions the actor's account has pledged to in this network (to show "Sie machen schon mit"). */
export async function myPledgedActionIds(actor: Actor, networkId: string): Promise<string[]> {
	if (!actor.userId) return [];
	const rows = await db()
		.select({ id: pledges.actionId })
		.from(pledges)
		.where(and(eq(pledges.networkId, networkId), eq(pledges.userId, actor.userId)))
		.limit(200);
	return rows.map((r) => r.id);
}

// ── totals ────────────────────────────────────────────────────────────────────────────────────

export interface PledgeTotal {
	pledges: number;
	/** Estimated savings, tonnes CO2e per year. */
	tonnes: number;
}

export interface PledgeTotals extends PledgeTotal {
	/** Per action (active and archived that have pledges), in the actions' order. */
	byAction: (PledgeTotal & { actionId: string; title: string; active: boolean })[];
}

const tonnesSum = sql<number>`coalesce(sum(${pledgeActions.savingsKg}), 0)::float8 / 1000`;

/** Totals of the network, or of one town (pledges counted for it). */
export async function pledgeTotals(networkId: string, opts: { bodyId?: string } = {}): Promise<PledgeTotals> {
	const rows = await db()
		.select({
			actionId: pledgeActions.id,
			title: pledgeActions.title,
			active: pledgeActions.active,
			pledges: sql<number>`count(${pledges.id})::int`,
			tonnes: sql<number>`coalesce(sum(${pledgeActions.savingsKg}) filter (where ${pledges.id} is not null), 0)::float8 / 1000`
		})
		.from(pledgeActions)
		.leftJoin(pledges, and(eq(pledges.actionId, pledgeActions.id), eq(pledges.networkId, networkId), opts.bodyId ? eq(pledges.bodyId, opts.bodyId) : undefined))
		.where(eq(pledgeActions.networkId, networkId))
		.groupBy(pledgeActions.id)
		.orderBy(asc(pledgeActions.position), asc(pledgeActions.title), asc(pledgeActions.id))
		.limit(200);
	const byAction = rows
		.filter((r) => r.active || r.pledges > 0)
		.map((r) => ({ actionId: r.actionId, title: r.title, active: r.active, pledges: Number(r.pledges), tonnes: Number(r.tonnes) }));
	return {
		pledges: byAction.reduce((s, r) => s + r.pledges, 0),
		tonnes: byAction.reduce((s, r) => s + r.tonnes, 0),
		byAction
	};
}

/** Totals per town of the network (towns with at least one pledge), most pledges first. */
export async function pledgeTotalsByBody(networkId: string): Promise<(PledgeTotal & { bodyId: string; name: string; ags: string })[]> {
	const rows = await db()
		.select({ bodyId: bodies.id, name: bodies.name, ags: bodies.ags, pledges: sql<number>`count(*)::int`, tonnes: tonnesSum })
		.from(pledges)
		.innerJoin(pledgeActions, eq(pledgeActions.id, pledges.actionId))
		.innerJoin(bodies, eq(bodies.id, pledges.bodyId))
		.where(and(eq(pledges.networkId, networkId), eq(bodies.networkId, networkId)))
		.groupBy(bodies.id)
		.orderBy(sql`count(*) desc`, asc(bodies.name))
		.limit(1000);
	return rows.map((r) => ({ ...r, pledges: Number(r.pledges), tonnes: Number(r.tonnes) }));
}
