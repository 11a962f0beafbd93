// Feedback on barriers in the portal (the feedback mechanism BITV 2.0 § 7 asks for): anyone may
// send it, without an account; it is stored for the network and mailed to its coordinators.
import { and, asc, count, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { VISITOR, type Actor } from '../auth/actor';
import { db } from '../db/client';
import { memberships, networks, users } from '../db/schema';
import { accessibilityFeedback } from './schema';
import { requireParticipation } from './permissions';
import { checkHoneypot, limitPosting, linkError } from './abuse';
import { feedbackMail } from './mails';
import { recordChange } from '../audit/service';
import { enqueue } from '../jobs';
import { config } from '../config';
import { NotFoundError, ValidationError } from '../errors';
import { isUuid, pageOpts, parseFields, text } from '../network/directory-shared';
import { email as emailSchema } from '../validation';

export type Feedback = typeof accessibilityFeedback.$inferSelect;

/** Networks to choose from in the form (an instance has a handful; capped all the same). */
export async function feedbackNetworks() {
	return db().select({ id: networks.id, name: networks.name, slug: networks.slug }).from(networks).orderBy(asc(networks.name)).limit(200);
}

const shape = {
	networkId: z.string().trim().refine(isUuid, { error: 'citizen.feedback.networkRequired' }),
	pageUrl: text(500),
	message: text(5000, true),
	name: text(200),
	email: z.string().trim().max(254, { error: 'validation.tooLong' }).refine((s) => s === '' || emailSchema.safeParse(s).success, { error: 'validation.email' })
};

/** Stores the feedback and queues one mail to each coordinator of the network, in one transaction. */
export async function submitFeedback(input: Record<string, unknown>, who: { userId?: string | null; ip: string }): Promise<Feedback> {
	checkHoneypot(input);
	const d = parseFields(shape, input, (v, errors) => {
		const links = v.message ? linkError(v.message) : null;
		if (links && !errors.message) errors.message = links;
	});
	const [network] = await db().select({ id: networks.id, name: networks.name, slug: networks.slug }).from(networks).where(eq(networks.id, d.networkId));
	if (!network) throw new ValidationError({ networkId: 'citizen.feedback.networkRequired' });
	await limitPosting('feedback', { userId: who.userId, ip: who.ip });
	const email = d.email ? emailSchema.parse(d.email) : '';
	return db().transaction(async (tx) => {
		const [f] = await tx
			.insert(accessibilityFeedback)
			.values({ networkId: network.id, pageUrl: d.pageUrl, message: d.message, name: d.name, email })
			.returning();
		// Personal data (name, address) stays out of the audit log.
		await recordChange(tx, who.userId ? ({ ...VISITOR, userId: who.userId } as Actor) : VISITOR, {
			networkId: network.id,
			action: 'create',
			recordType: 'accessibility_feedback',
			recordId: f.id,
			after: { pageUrl: f.pageUrl }
		});
		const coordinators = await tx
			.select({ email: users.email })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(and(eq(memberships.networkId, network.id), eq(memberships.role, 'coordinator'), isNull(users.deletedAt)));
		const listUrl = new URL(`/${network.slug}/intern/beteiligung/rueckmeldungen`, config.origin).toString();
		for (const c of coordinators) {
			await enqueue('mail.send', feedbackMail(c.email, { networkName: network.name, pageUrl: f.pageUrl, message: f.message, name: f.name, email: f.email, listUrl }), {}, tx);
		}
		return f;
	});
}

/** The network's feedback, open first, newest first within each state. */
export async function listFeedback(actor: Actor, networkId: string, opts: { page?: number; pageSize?: number; state?: 'open' | 'done' } = {}) {
	requireParticipation(actor, 'participation.manage', { networkId });
	const { page, pageSize, offset } = pageOpts(opts, 20);
	const where = and(eq(accessibilityFeedback.networkId, networkId), opts.state ? eq(accessibilityFeedback.state, opts.state) : undefined);
	const [items, [{ total }], [{ open }]] = await Promise.all([
		db()
			.select()
			.from(accessibilityFeedback)
			.where(where)
			.orderBy(desc(eq(accessibilityFeedback.state, 'open')), desc(accessibilityFeedback.createdAt), accessibilityFeedback.id)
			.limit(pageSize)
			.offset(offset),
		db().select({ total: count() }).from(accessibilityFeedback).where(where),
		db()
			.select({ open: count() })
			.from(accessibilityFeedback)
			.where(and(eq(accessibilityFeedback.networkId, networkId), eq(accessibilityFeedback.state, 'open')))
	]);
	return { items, total, open, page, pageSize };
}

/** Marks feedback as dealt with (or open again). */
export async function setFeedbackState(actor: Actor, networkId: string, id: unknown, state: 'open' | 'done') {
	requireParticipation(actor, 'participation.manage', { networkId });
	if (!isUuid(id)) throw new NotFoundError();
	await db().transaction(async (tx) => {
		const [before] = await tx
			.select({ state: accessibilityFeedback.state })
			.from(accessibilityFeedback)
			.where(and(eq(accessibilityFeedback.id, id), eq(accessibilityFeedback.networkId, networkId)));
		if (!before) throw new NotFoundError();
		if (before.state === state) return;
		await tx.update(accessibilityFeedback).set({ state }).where(eq(accessibilityFeedback.id, id));
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'accessibility_feedback', recordId: id, before, after: { state } });
	});
}
