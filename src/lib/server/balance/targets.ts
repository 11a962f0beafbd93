// Targets: per body a base year and the KSG path, or an own, earlier neutrality year.
import { and, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { balances, balanceTargets } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, number, parseFields } from '../network/directory-shared';
import { canBalance, canReadBalance } from './permissions';
import { KSG_NEUTRAL_YEAR, TARGET_KINDS } from './compute';
import { checkbox, loadBody, year } from './fields';

export type Target = typeof balanceTargets.$inferSelect;

/** The body's target: null when there is none or the actor may not see it (not public). */
export async function getTarget(actor: Actor, networkId: string, bodyId: string): Promise<Target | null> {
	await loadBody(db(), networkId, bodyId);
	const [t] = await db()
		.select()
		.from(balanceTargets)
		.where(and(eq(balanceTargets.bodyId, bodyId), eq(balanceTargets.networkId, networkId)));
	return t && canReadBalance(actor, t) ? t : null;
}

const targetShape = () => ({
	baseYear: year('balance.baseYearRange', { max: () => KSG_NEUTRAL_YEAR - 1 }),
	kind: choice(TARGET_KINDS),
	neutralYear: year('balance.neutralYearRange', { required: false, max: () => KSG_NEUTRAL_YEAR - 1 }),
	reference1990T: number({ min: 0, minExclusive: true, max: 1_000_000_000, grouped: true, key: 'balance.referenceInvalid' }),
	isPublic: checkbox
});

/**
 * Sets the body's target. The base year needs a balance of that year (the path starts at its
 * emissions); an own neutrality year lies after the base year and before 2045 (else it's the KSG).
 */
export async function saveTarget(actor: Actor, networkId: string, bodyId: string, input: unknown): Promise<Target> {
	await loadBody(db(), networkId, bodyId);
	if (!canBalance(actor, 'balance.edit', { networkId, bodyId })) throw new ForbiddenError();
	const data = parseFields(targetShape(), input, (d, errors) => {
		if (d.kind === 'own' && !errors.neutralYear) {
			if (d.neutralYear == null) errors.neutralYear = 'balance.neutralYearRequired';
			else if (d.baseYear != null && d.neutralYear <= d.baseYear) errors.neutralYear = 'balance.neutralYearRange';
		}
	});
	const baseYear = data.baseYear as number; // required: parseFields has refused it empty
	const neutralYear = data.kind === 'own' ? data.neutralYear : null;
	return db().transaction(async (tx) => {
		const [base] = await tx
			.select({ id: balances.id })
			.from(balances)
			.where(and(eq(balances.networkId, networkId), eq(balances.bodyId, bodyId), eq(balances.year, baseYear)));
		if (!base) throw new ValidationError({ baseYear: 'balance.baseYearNoBalance' });
		const [before] = await tx.select().from(balanceTargets).where(eq(balanceTargets.bodyId, bodyId)).for('update');
		const values = { baseYear, kind: data.kind, neutralYear, reference1990T: data.reference1990T, isPublic: data.isPublic, updatedBy: actor.userId };
		const [after] = await tx
			.insert(balanceTargets)
			.values({ ...values, bodyId, networkId })
			.onConflictDoUpdate({ target: balanceTargets.bodyId, set: { ...values, updatedAt: new Date() } })
			.returning();
		await recordChange(tx, actor, {
			networkId,
			action: before ? 'update' : 'create',
			recordType: 'balance_target',
			recordId: bodyId,
			before: before ? targetAudit(before) : undefined,
			after: targetAudit(after)
		});
		return after;
	});
}

/** What the change log shows of a target: its settings, not ids, editor or timestamps. */
function targetAudit(t: typeof balanceTargets.$inferSelect) {
	return { baseYear: t.baseYear, kind: t.kind, neutralYear: t.neutralYear, reference1990T: t.reference1990T, isPublic: t.isPublic };
}

export async function deleteTarget(actor: Actor, networkId: string, bodyId: string): Promise<void> {
	await loadBody(db(), networkId, bodyId);
	if (!canBalance(actor, 'balance.edit', { networkId, bodyId })) throw new ForbiddenError();
	await db().transaction(async (tx) => {
		const [before] = await tx
			.delete(balanceTargets)
			.where(and(eq(balanceTargets.bodyId, bodyId), eq(balanceTargets.networkId, networkId)))
			.returning();
		if (before) await recordChange(tx, actor, { networkId, action: 'delete', recordType: 'balance_target', recordId: bodyId, before: targetAudit(before) });
	});
}

/** The target as the strings its form sends. */
export function targetAsForm(t: Target | null): Record<string, string> {
	if (!t) return { kind: 'ksg', baseYear: '', neutralYear: '', reference1990T: '', isPublic: '' };
	return {
		baseYear: String(t.baseYear),
		kind: t.kind,
		neutralYear: t.neutralYear === null ? '' : String(t.neutralYear),
		reference1990T: t.reference1990T === null ? '' : String(t.reference1990T).replace('.', ','),
		isPublic: t.isPublic ? 'on' : ''
	};
}
