// Assessments of offers: a municipality (or a partner organisation, shown apart) records effort,
// benefit, actual cost, whether it would recommend the offer, its experience and the date. One
// current assessment per assessor and offer; a new one supersedes it in the same transaction and
// the earlier stays as history.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { users } from '../auth/schema';
import { bodies, partners, people } from '../network/schema';
import { membershipIn, type Actor } from '../auth/actor';
import { ForbiddenError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, date, isUniqueViolation, isUuid, number, parseFields, todayIso } from '../network/directory-shared';
import { RECOMMENDATIONS, type Recommendation } from '$lib/offers/enums';
import { offerAssessments } from './schema';
import { pageOpts } from '../paging';
import { assessableBodyIds, canOffer } from './permissions';
import { loadOffer, readableOffer, type Offer } from './offers';

export { RECOMMENDATIONS, type Recommendation };
export type Assessment = typeof offerAssessments.$inferSelect;

/** Euros; a billion is beyond any offer to a town. */
export const MAX_ASSESSMENT_COST = 1_000_000_000;
export const MAX_EXPERIENCE = 10_000;

const rating = z
	.string()
	.trim()
	.refine((s) => /^[1-5]$/.test(s), { error: 'offers.assess.rating' })
	.transform(Number);

export const assessmentShape = (today: string) => ({
	effort: rating,
	benefit: rating,
	costEur: number({ min: 0, max: MAX_ASSESSMENT_COST, grouped: true, key: 'offers.assess.cost' }),
	recommend: choice(RECOMMENDATIONS),
	experience: z.string().trim().max(MAX_EXPERIENCE, { error: 'offers.assess.experienceTooLong' }),
	assessedOn: date.refine((d) => d !== null, { error: 'offers.assess.dateRequired' }).refine((d) => d === null || d <= today, { error: 'offers.assess.dateFuture' })
});

export interface AssessmentInput {
	effort: number;
	benefit: number;
	costEur: number | null;
	recommend: Recommendation;
	experience: string;
	assessedOn: string;
}

/** Field rules of the assessment form; the date may not lie after `today` (Germany). */
export function parseAssessment(input: unknown, today = todayIso()): AssessmentInput {
	return parseFields(assessmentShape(today), input) as AssessmentInput;
}

/** The actor's partner organisation in this network (through their person entry), or null. */
export async function partnerOrgOf(actor: Actor, networkId: string): Promise<{ id: string; name: string } | null> {
	if (!actor.userId) return null;
	const [p] = await db()
		.select({ id: partners.id, name: partners.name })
		.from(people)
		.innerJoin(partners, and(eq(partners.id, people.partnerId), eq(partners.networkId, networkId)))
		.where(and(eq(people.networkId, networkId), eq(people.userId, actor.userId), isNotNull(people.partnerId)))
		.orderBy(asc(partners.name))
		.limit(1);
	return p ?? null;
}

type Assessor = { kind: 'body'; bodyId: string; name: string } | { kind: 'partner'; partnerId: string; name: string };

const str = (input: unknown, key: string): string => {
	const v = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
	const s = Array.isArray(v) ? v[0] : v;
	return typeof s === 'string' ? s.replace(/\u0000/g, '').trim() : '';
};

/**
 * Who assesses: a partner as their partner organisation; everyone else for the body named in the
 * form. A body the actor may not assess for (another town, another network, a forged id) is
 * refused as Forbidden; no body chosen, or a partner without organisation, gets a message.
 */
async function resolveAssessor(actor: Actor, networkId: string, input: unknown): Promise<Assessor> {
	const m = membershipIn(actor, networkId);
	if (m?.role === 'partner') {
		const org = await partnerOrgOf(actor, networkId);
		if (!org) throw new ValidationError({ _form: 'offers.assess.noPartnerOrg' });
		if (!canOffer(actor, 'offer.assess', { networkId, partnerId: org.id, actorPartnerId: org.id })) throw new ForbiddenError();
		return { kind: 'partner', partnerId: org.id, name: org.name };
	}
	const bodyId = str(input, 'bodyId');
	if (!bodyId) {
		if (assessableBodyIds(actor, networkId)?.length === 0) throw new ForbiddenError();
		throw new ValidationError({ bodyId: 'offers.assess.bodyRequired' });
	}
	if (!isUuid(bodyId)) throw new ForbiddenError();
	const [body] = await db()
		.select({ id: bodies.id, name: bodies.name })
		.from(bodies)
		.where(and(eq(bodies.id, bodyId), eq(bodies.networkId, networkId)));
	if (!body || !canOffer(actor, 'offer.assess', { networkId, bodyId })) throw new ForbiddenError();
	return { kind: 'body', bodyId: body.id, name: body.name };
}

const assessorWhere = (offerId: string, who: Assessor) =>
	and(
		eq(offerAssessments.offerId, offerId),
		eq(offerAssessments.isCurrent, true),
		who.kind === 'body' ? eq(offerAssessments.bodyId, who.bodyId) : eq(offerAssessments.partnerId, who.partnerId)
	);

/** The message when the assessor already has a current assessment the form did not load. */
function alreadyAssessed(who: Assessor, current?: Assessment): ValidationError {
	const field = who.kind === 'body' ? 'bodyId' : '_form';
	const key = who.kind === 'body' ? 'offers.assess.exists' : 'offers.assess.existsPartner';
	// The current one goes into the form: saving again replaces it deliberately.
	return new ValidationError({ [field]: key }, current ? { replaces: current.id } : {});
}

// Ids and bookkeeping stay out of the log; the assessor is named by id (the log resolves bodies).
const auditRow = (x: Assessment) => {
	const { id: _id, networkId: _n, createdBy: _cb, createdAt: _ca, ...rest } = x;
	return rest;
};

export interface AssessOptions {
	today?: string;
	isDemo?: boolean;
	/** Demo data: when the assessment was entered (history in the past). */
	createdAt?: Date;
	tx?: Tx;
}

/**
 * Records an assessment. The form sends `replaces`: the id of the current assessment it was loaded
 * with (empty if none). A current assessment that the form did not load is not overwritten
 * silently ('offers.assess.exists', with its id put into the form); a matching one is superseded in
 * the same transaction as the insert. Two saves at once hit the unique index: the same message.
 */
export async function assessOffer(actor: Actor, networkId: string, offerId: string, input: unknown, opts: AssessOptions = {}): Promise<Assessment> {
	const offer = await readableOffer(actor, networkId, offerId);
	const who = await resolveAssessor(actor, networkId, input);
	if (offer.archivedAt) throw new ValidationError({ _form: 'offers.assess.archived' });
	const data = parseAssessment(input, opts.today ?? todayIso());
	const replaces = str(input, 'replaces');
	const write = async (tx: Tx): Promise<Assessment> => {
		// Lock the offer: assessments of one offer are written one after the other.
		await loadOffer(tx, networkId, offerId, true);
		const [current] = await tx.select().from(offerAssessments).where(assessorWhere(offerId, who)).for('update');
		if (current && current.id !== replaces) throw alreadyAssessed(who, current);
		const now = opts.createdAt ?? new Date();
		if (current) {
			const [old] = await tx
				.update(offerAssessments)
				.set({ isCurrent: false, supersededAt: now })
				.where(eq(offerAssessments.id, current.id))
				.returning();
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'offer_assessment', recordId: old.id, before: auditRow(current), after: auditRow(old) });
		}
		const [row] = await tx
			.insert(offerAssessments)
			.values({
				...data,
				networkId,
				offerId,
				bodyId: who.kind === 'body' ? who.bodyId : null,
				partnerId: who.kind === 'partner' ? who.partnerId : null,
				isDemo: !!opts.isDemo,
				createdBy: actor.userId,
				createdAt: now
			})
			.returning();
		await recordChange(tx, actor, {
			networkId,
			action: 'create',
			recordType: 'offer_assessment',
			recordId: row.id,
			after: { ...auditRow(row), offerTitle: offer.title, assessor: who.name, replaces: current?.id ?? null }
		});
		return row;
	};
	try {
		return await (opts.tx ? write(opts.tx) : db().transaction(write));
	} catch (e) {
		if (isUniqueViolation(e)) throw alreadyAssessed(who);
		throw e;
	}
}

export interface AssessmentRow {
	id: string;
	offerId: string;
	kind: 'body' | 'partner';
	/** The body's or partner organisation's id. */
	assessorId: string;
	assessorName: string;
	/** AGS of the body (towns only), for links to the town. */
	bodyAgs: string | null;
	effort: number;
	benefit: number;
	costEur: number | null;
	recommend: Recommendation;
	experience: string;
	assessedOn: string;
	isCurrent: boolean;
	supersededAt: Date | null;
	isDemo: boolean;
	createdAt: Date;
	/** Who entered it; null when the account is gone or the system did. */
	createdByName: string | null;
}

const rowColumns = {
	id: offerAssessments.id,
	offerId: offerAssessments.offerId,
	bodyId: offerAssessments.bodyId,
	partnerId: offerAssessments.partnerId,
	bodyName: bodies.name,
	bodyAgs: bodies.ags,
	partnerName: partners.name,
	effort: offerAssessments.effort,
	benefit: offerAssessments.benefit,
	costEur: offerAssessments.costEur,
	recommend: offerAssessments.recommend,
	experience: offerAssessments.experience,
	assessedOn: offerAssessments.assessedOn,
	isCurrent: offerAssessments.isCurrent,
	supersededAt: offerAssessments.supersededAt,
	isDemo: offerAssessments.isDemo,
	createdAt: offerAssessments.createdAt,
	userName: users.name,
	userDeletedAt: users.deletedAt
};

type RawRow = { [K in keyof typeof rowColumns]: unknown };

function toRow(r: RawRow): AssessmentRow {
	const isBody = r.bodyId != null;
	return {
		id: r.id as string,
		offerId: r.offerId as string,
		kind: isBody ? 'body' : 'partner',
		assessorId: (isBody ? r.bodyId : r.partnerId) as string,
		assessorName: ((isBody ? r.bodyName : r.partnerName) as string | null) ?? '',
		bodyAgs: isBody ? (r.bodyAgs as string) : null,
		effort: r.effort as number,
		benefit: r.benefit as number,
		costEur: r.costEur as number | null,
		recommend: r.recommend as Recommendation,
		experience: r.experience as string,
		assessedOn: r.assessedOn as string,
		isCurrent: r.isCurrent as boolean,
		supersededAt: r.supersededAt as Date | null,
		isDemo: r.isDemo as boolean,
		createdAt: r.createdAt as Date,
		createdByName: r.userName && !r.userDeletedAt ? (r.userName as string) : null
	};
}

function selectRows(tx: Tx | ReturnType<typeof db> = db()) {
	return tx
		.select(rowColumns)
		.from(offerAssessments)
		.leftJoin(bodies, eq(bodies.id, offerAssessments.bodyId))
		.leftJoin(partners, eq(partners.id, offerAssessments.partnerId))
		.leftJoin(users, eq(users.id, offerAssessments.createdBy));
}

/** Rows of the history shown on one page of the offer (?verlauf=N). */
export const HISTORY_PAGE_SIZE = 20;

export interface AssessmentPage {
	items: AssessmentRow[];
	total: number;
	page: number;
	pageSize: number;
}

/** One page of every assessment of an offer, newest first (no permission check: callers read the offer first). */
export async function historyPage(networkId: string, offerId: string, opts: { page?: number; pageSize?: number } = {}): Promise<AssessmentPage> {
	const { page, pageSize, offset } = pageOpts(opts, HISTORY_PAGE_SIZE);
	const where = and(eq(offerAssessments.networkId, networkId), eq(offerAssessments.offerId, offerId));
	const [rows, [{ total }]] = await Promise.all([
		selectRows().where(where).orderBy(desc(offerAssessments.createdAt), desc(offerAssessments.id)).limit(pageSize).offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(offerAssessments).where(where)
	]);
	return { items: rows.map((r) => toRow(r as RawRow)), total: Number(total), page, pageSize };
}

/** The current assessments of an offer: towns first (by name), then partners (no permission check). */
export async function currentRows(networkId: string, offerId: string): Promise<{ towns: AssessmentRow[]; partners: AssessmentRow[] }> {
	const rows = await selectRows()
		.where(and(eq(offerAssessments.networkId, networkId), eq(offerAssessments.offerId, offerId), eq(offerAssessments.isCurrent, true)))
		// One current assessment per assessor: an offer has as many as the network has towns and partners.
		.limit(2000);
	return currentOf(rows.map((r) => toRow(r as RawRow)));
}

/**
 * A page of every assessment of an offer, newest first, each marked current or earlier (history).
 * Working area only.
 */
export async function listAssessments(actor: Actor, networkId: string, offerId: string, opts: { page?: number; pageSize?: number } = {}): Promise<AssessmentPage> {
	await readableOffer(actor, networkId, offerId);
	return historyPage(networkId, offerId, opts);
}

/** The current assessments of an offer (towns, partners). Working area only. */
export async function currentAssessments(actor: Actor, networkId: string, offerId: string) {
	await readableOffer(actor, networkId, offerId);
	return currentRows(networkId, offerId);
}

/** The current ones of a list of assessments: towns first (by name), then partners. */
export function currentOf(rows: AssessmentRow[]): { towns: AssessmentRow[]; partners: AssessmentRow[] } {
	const cur = rows.filter((r) => r.isCurrent).sort((x, y) => x.assessorName.localeCompare(y.assessorName, 'de'));
	return { towns: cur.filter((r) => r.kind === 'body'), partners: cur.filter((r) => r.kind === 'partner') };
}

export interface AssessChoice {
	id: string;
	name: string;
	ags: string | null;
	current: AssessmentRow | null;
}

export interface AssessmentForm {
	offer: Offer;
	/** 'body': a town chooses among `choices`; 'partner': the partner organisation assesses. */
	mode: 'body' | 'partner';
	choices: AssessChoice[];
	/** The preselected choice (?kommune=<ags>, else the first). */
	selectedId: string | null;
	/** A partner user without partner organisation, or a member without bodies: cannot assess. */
	blocked: 'noPartnerOrg' | 'noBodies' | 'archived' | null;
}

/** What the assessment form offers the actor: their bodies (or partner organisation) with their current assessments. */
export async function assessmentForm(actor: Actor, networkId: string, offerId: string, opts: { ags?: string | null } = {}): Promise<AssessmentForm> {
	const offer = await readableOffer(actor, networkId, offerId);
	const m = membershipIn(actor, networkId);
	const currentList = (await selectRows()
		.where(and(eq(offerAssessments.networkId, networkId), eq(offerAssessments.offerId, offerId), eq(offerAssessments.isCurrent, true)))
		.then((rows) => rows.map((r) => toRow(r as RawRow)))) as AssessmentRow[];
	const currentOfId = (id: string) => currentList.find((r) => r.assessorId === id) ?? null;
	if (m?.role === 'partner') {
		const org = await partnerOrgOf(actor, networkId);
		return {
			offer,
			mode: 'partner',
			choices: org ? [{ id: org.id, name: org.name, ags: null, current: currentOfId(org.id) }] : [],
			selectedId: org?.id ?? null,
			blocked: !org ? 'noPartnerOrg' : offer.archivedAt ? 'archived' : null
		};
	}
	const allowed = assessableBodyIds(actor, networkId);
	if (allowed !== null && !allowed.length) throw new ForbiddenError();
	const list = await db()
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), allowed === null ? undefined : inArray(bodies.id, allowed)))
		.orderBy(asc(bodies.name))
		.limit(1000);
	const choices = list.map((b) => ({ ...b, current: currentOfId(b.id) }));
	const wanted = opts.ags ? choices.find((c) => c.ags === opts.ags) : undefined;
	return {
		offer,
		mode: 'body',
		choices,
		selectedId: wanted?.id ?? (choices.length === 1 ? choices[0].id : null),
		blocked: !choices.length ? 'noBodies' : offer.archivedAt ? 'archived' : null
	};
}

/** A current assessment as the strings the form sends, so "update" starts from what was said. */
export function assessmentAsForm(r: AssessmentRow | null, today = todayIso()): Record<string, string> {
	if (!r) return { assessedOn: today, replaces: '' };
	return {
		effort: String(r.effort),
		benefit: String(r.benefit),
		costEur: r.costEur === null ? '' : String(r.costEur).replace('.', ','),
		recommend: r.recommend,
		experience: r.experience,
		assessedOn: today,
		replaces: r.id
	};
}
