// The offer register: consultancies, software, products, campaigns, events, trainings and funding
// programmes that reach the towns. Create, edit (version-checked), archive (archived offers stay
// readable with their assessments), mark a disagreement as discussed, read one, list with filters.
import { and, asc, eq, getTableColumns, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { users } from '../auth/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { choice, isUuid, likePattern, number, parseFields, text } from '../network/directory-shared';
import { pageOpts } from '../paging';
import { prefixQuery } from '../search/tsquery';
import { httpUrl } from '../validation';
import { OFFER_KINDS, OFFER_SORTS, OFFER_THEMES, PRICE_MODELS, type OfferKind, type OfferSort, type OfferTheme, type PriceModel } from '$lib/offers/enums';
import { offerAssessments, offers } from './schema';
import { canOffer } from './permissions';
import { DISAGREEMENT_SPREAD, aggregatesFor, type OfferAggregate } from './aggregates';

export { OFFER_KINDS, OFFER_SORTS, OFFER_THEMES, PRICE_MODELS, type OfferKind, type OfferSort, type OfferTheme, type PriceModel };

/** All columns but the search vector (derived; it would clutter the audit log). */
const { search: _search, ...offerColumns } = getTableColumns(offers);
export { offerColumns };
export type Offer = Omit<typeof offers.$inferSelect, 'search'>;

/** A billion euros: beyond that it is a typo, not an offer to towns. */
export const MAX_COST = 1_000_000_000;

export async function loadOffer(tx: Tx | ReturnType<typeof db>, networkId: string, offerId: string, lock = false): Promise<Offer> {
	if (!isUuid(offerId)) throw new NotFoundError();
	const q = tx
		.select(offerColumns)
		.from(offers)
		.where(and(eq(offers.id, offerId), eq(offers.networkId, networkId)));
	const [o] = lock ? await q.for('update') : await q;
	if (!o) throw new NotFoundError();
	return o;
}

/** An offer of the network the actor may read; 404 when missing, 403 outside the working area. */
export async function readableOffer(actor: Actor, networkId: string, offerId: string): Promise<Offer> {
	if (!canOffer(actor, 'offer.read', { networkId })) throw new ForbiddenError();
	return loadOffer(db(), networkId, offerId);
}

const cost = number({ min: 0, max: MAX_COST, grouped: true, key: 'offers.cost' });

export const offerShape = () => ({
	title: text(200, true),
	provider: text(200, true),
	kind: choice(OFFER_KINDS),
	description: text(20000),
	priceModel: choice(PRICE_MODELS),
	costMin: cost,
	costMax: cost,
	url: httpUrl
});

export interface OfferInput {
	title: string;
	provider: string;
	kind: OfferKind;
	description: string;
	priceModel: PriceModel;
	costMin: number | null;
	costMax: number | null;
	url: string;
	themes: OfferTheme[];
}

/** Fields of action from the form (checkboxes: one value or several); unknown ones are refused. */
function themesOf(input: unknown): { themes: OfferTheme[]; error?: string } {
	const raw = (input && typeof input === 'object' ? (input as Record<string, unknown>).themes : undefined) ?? [];
	const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v !== '');
	if (list.some((v) => !(OFFER_THEMES as readonly string[]).includes(v))) return { themes: [], error: 'validation.choice' };
	return { themes: [...new Set(list)] as OfferTheme[] };
}

/**
 * Field rules and the rules between fields: the cost range runs from low to high, and a free offer
 * has no cost. Every bad field gets its message at once.
 */
export function parseOffer(input: unknown): OfferInput {
	const t = themesOf(input);
	const d = inFormOrder(() => parseFields(offerShape(), input, (d, errors) => {
		if (t.error) errors.themes = t.error;
		if (d.priceModel === 'free' && (d.costMin != null || d.costMax != null)) {
			if (!errors.costMin && d.costMin != null) errors.costMin = 'offers.costFree';
			if (!errors.costMax && d.costMax != null) errors.costMax = 'offers.costFree';
		}
		if (d.costMin != null && d.costMax != null && d.costMin > d.costMax && !errors.costMax) errors.costMax = 'offers.costRange';
	}));
	return { ...d, themes: t.themes } as OfferInput;
}

/** The form's field order: the error summary lists the messages as the fields come. */
const FORM_ORDER = ['title', 'provider', 'kind', 'description', 'url', 'themes', 'priceModel', 'costMin', 'costMax'];

function inFormOrder<T>(fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		const rank = (k: string) => (FORM_ORDER.includes(k) ? FORM_ORDER.indexOf(k) : FORM_ORDER.length);
		const sorted = Object.fromEntries(Object.entries(e.fieldErrors).sort(([a], [b]) => rank(a) - rank(b)));
		throw new ValidationError(sorted, e.values);
	}
}

// Ids, editor, version and timestamps are bookkeeping, not what a person changed.
const auditRow = (o: Offer) => {
	const { id: _id, networkId: _n, createdAt: _ca, updatedAt: _ua, updatedBy: _ub, createdBy: _cb, version: _v, ...rest } = o;
	return rest;
};

export interface CreateOfferOptions {
	isDemo?: boolean;
	tx?: Tx;
}

export async function createOffer(actor: Actor, networkId: string, input: unknown, opts: CreateOfferOptions = {}): Promise<Offer> {
	if (!canOffer(actor, 'offer.create', { networkId })) throw new ForbiddenError();
	const data = parseOffer(input);
	const write = async (tx: Tx) => {
		const [o] = await tx
			.insert(offers)
			.values({ ...data, networkId, isDemo: !!opts.isDemo, createdBy: actor.userId, updatedBy: actor.userId })
			.returning(offerColumns);
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'offer', recordId: o.id, after: auditRow(o) });
		return o;
	};
	return opts.tx ? write(opts.tx) : db().transaction(write);
}

/** Loads an offer the actor may edit (or archive); 404 when missing, 403 when they may not. */
async function editableOffer(actor: Actor, networkId: string, offerId: string, action: 'offer.edit' | 'offer.archive'): Promise<Offer> {
	const o = await readableOffer(actor, networkId, offerId);
	if (!canOffer(actor, action, { networkId, createdBy: o.createdBy })) throw new ForbiddenError();
	return o;
}

/**
 * Updates an offer. `version` in the input must match the stored one; otherwise someone saved in
 * between: the user sees a message, keeps their input, and may save again to overwrite.
 */
export async function updateOffer(actor: Actor, networkId: string, offerId: string, input: unknown): Promise<Offer> {
	await editableOffer(actor, networkId, offerId, 'offer.edit');
	const data = parseOffer(input);
	const rawVersion = (input as Record<string, unknown> | null)?.version;
	const version = typeof rawVersion === 'string' && /^\d+$/.test(rawVersion.trim()) ? Number(rawVersion) : null;
	return db().transaction(async (tx) => {
		const before = await loadOffer(tx, networkId, offerId, true);
		if (version === null) throw new ValidationError({ _form: 'offers.versionMissing' }, { version: String(before.version) });
		if (version !== before.version) throw new ValidationError({ _form: 'offers.editedMeanwhile' }, { version: String(before.version) });
		const [after] = await tx
			.update(offers)
			.set({ ...data, version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(offers.id, offerId))
			.returning(offerColumns);
		await recordChange(tx, actor, { networkId, action: 'update', recordType: 'offer', recordId: offerId, before: auditRow(before), after: auditRow(after) });
		return after;
	});
}

/** Archives an offer (it leaves the default list but stays readable) or restores it. */
export async function setOfferArchived(actor: Actor, networkId: string, offerId: string, archived: boolean): Promise<Offer> {
	await editableOffer(actor, networkId, offerId, 'offer.archive');
	return db().transaction(async (tx) => {
		const before = await loadOffer(tx, networkId, offerId, true);
		if (!!before.archivedAt === archived) return before;
		const [after] = await tx
			.update(offers)
			.set({ archivedAt: archived ? new Date() : null, version: before.version + 1, updatedBy: actor.userId, updatedAt: new Date() })
			.where(eq(offers.id, offerId))
			.returning(offerColumns);
		await recordChange(tx, actor, { networkId, action: archived ? 'archive' : 'unarchive', recordType: 'offer', recordId: offerId, before: auditRow(before), after: auditRow(after) });
		return after;
	});
}

/**
 * A coordinator marks the disagreement as discussed (at a meeting): the flag goes until a town
 * assesses the offer anew.
 */
export async function markDiscussed(actor: Actor, networkId: string, offerId: string, now: Date = new Date()): Promise<Offer> {
	await readableOffer(actor, networkId, offerId);
	if (!canOffer(actor, 'offer.discussed', { networkId })) throw new ForbiddenError();
	return db().transaction(async (tx) => {
		const before = await loadOffer(tx, networkId, offerId, true);
		const [after] = await tx.update(offers).set({ discussedAt: now }).where(eq(offers.id, offerId)).returning(offerColumns);
		await recordChange(tx, actor, { networkId, action: 'discussed', recordType: 'offer', recordId: offerId, before: { discussedAt: before.discussedAt }, after: { discussedAt: after.discussedAt } });
		return after;
	});
}

export interface OfferDetail extends Offer {
	creatorName: string | null;
	aggregate: OfferAggregate;
	canEdit: boolean;
	canArchive: boolean;
	canDiscuss: boolean;
	/** The towns' benefit ratings disagree (spread ≥ 2), whether or not discussed since. */
	disagreement: boolean;
}

/** One offer with who entered it and its aggregates. Working area only. */
export async function getOffer(actor: Actor, networkId: string, offerId: string): Promise<OfferDetail> {
	return detailOf(actor, networkId, await readableOffer(actor, networkId, offerId));
}

/** Who entered an offer the actor has read, its aggregates and what the actor may do with it. */
export async function detailOf(actor: Actor, networkId: string, o: Offer): Promise<OfferDetail> {
	const [creator, aggs] = await Promise.all([
		o.createdBy ? db().select({ name: users.name, deletedAt: users.deletedAt }).from(users).where(eq(users.id, o.createdBy)) : Promise.resolve([]),
		aggregatesFor(networkId, [o.id])
	]);
	const aggregate = aggs.get(o.id)!;
	const c = creator[0];
	return {
		...o,
		creatorName: c && !c.deletedAt ? c.name : null,
		aggregate,
		canEdit: canOffer(actor, 'offer.edit', { networkId, createdBy: o.createdBy }),
		canArchive: canOffer(actor, 'offer.archive', { networkId, createdBy: o.createdBy }),
		canDiscuss: canOffer(actor, 'offer.discussed', { networkId }),
		disagreement: (aggregate.towns.benefitSpread ?? 0) >= DISAGREEMENT_SPREAD
	};
}

/** A stored offer as the strings its edit form sends (decimal comma), with its version. */
export function offerAsForm(o: Offer): Record<string, string> {
	const num = (n: number | null) => (n === null ? '' : String(n).replace('.', ','));
	return {
		title: o.title,
		provider: o.provider,
		kind: o.kind,
		description: o.description,
		priceModel: o.priceModel,
		costMin: num(o.costMin),
		costMax: num(o.costMax),
		url: o.url,
		version: String(o.version)
	};
}

/** The edit form's values of an offer the actor may edit. */
export async function offerFormValues(actor: Actor, networkId: string, offerId: string): Promise<{ offer: Offer; values: Record<string, string>; themes: string[] }> {
	const offer = await editableOffer(actor, networkId, offerId, 'offer.edit');
	return { offer, values: offerAsForm(offer), themes: offer.themes };
}

// ---- lists -----------------------------------------------------------------------------------

export interface OfferFilter {
	q?: string;
	kind?: OfferKind;
	theme?: OfferTheme;
	priceModel?: PriceModel;
	/** Only offers flagged "zur Diskussion". */
	flagged?: boolean;
	/** Archived offers too (they leave the default list). */
	archived?: boolean;
	sort?: OfferSort;
	page?: number;
	pageSize?: number;
}

const pick = <T extends string>(list: readonly T[], v: string | null | undefined): T | undefined =>
	v && (list as readonly string[]).includes(v) ? (v as T) : undefined;

/** URL → filter. Unknown values are ignored, not errors: an old shared link still opens. */
export function offerFilterFromUrl(url: URL): OfferFilter {
	const p = url.searchParams;
	return {
		q: (p.get('q') ?? '').replace(/\u0000/g, '').trim().slice(0, 200) || undefined,
		kind: pick(OFFER_KINDS, p.get('art')),
		theme: pick(OFFER_THEMES, p.get('handlungsfeld')),
		priceModel: pick(PRICE_MODELS, p.get('preis')),
		flagged: p.get('diskussion') === '1' || undefined,
		archived: p.get('archiv') === '1' || undefined,
		sort: pick(OFFER_SORTS, p.get('sortierung'))
	};
}

/** Filter → URL query (the inverse of offerFilterFromUrl), for links that keep the view. */
export function offerFilterToQuery(f: OfferFilter): URLSearchParams {
	const p = new URLSearchParams();
	if (f.q) p.set('q', f.q);
	if (f.kind) p.set('art', f.kind);
	if (f.theme) p.set('handlungsfeld', f.theme);
	if (f.priceModel) p.set('preis', f.priceModel);
	if (f.flagged) p.set('diskussion', '1');
	if (f.archived) p.set('archiv', '1');
	if (f.sort && f.sort !== 'title') p.set('sortierung', f.sort);
	return p;
}

const a = offerAssessments;

/** Newest current assessment of an offer (towns or partners). */
const lastAssessed = sql<Date | null>`(select max(${a.createdAt}) from ${a} where ${a.offerId} = ${offers.id} and ${a.isCurrent})`;

/**
 * The flag in SQL, as isFlagged() says: the towns' current benefit ratings differ by 2 or more, and
 * nothing was discussed after the newest of them.
 */
const flaggedCondition: SQL = sql`exists (select 1 from ${a} where ${a.offerId} = ${offers.id} and ${a.isCurrent} and ${a.bodyId} is not null
	having max(${a.benefit}) - min(${a.benefit}) >= ${DISAGREEMENT_SPREAD}
	and (${offers.discussedAt} is null or max(${a.createdAt}) > ${offers.discussedAt}))`;

/** The WHERE of a filtered list; shared by the list and the export. */
export function offerWhere(networkId: string, f: OfferFilter): SQL {
	const q = f.q?.trim().slice(0, 200);
	const tsq = q ? prefixQuery(q) : null;
	return and(
		eq(offers.networkId, networkId),
		f.archived ? undefined : isNull(offers.archivedAt),
		f.kind ? eq(offers.kind, f.kind) : undefined,
		f.priceModel ? eq(offers.priceModel, f.priceModel) : undefined,
		f.theme ? sql`${offers.themes} @> array[${f.theme}]::field_theme[]` : undefined,
		f.flagged ? flaggedCondition : undefined,
		// Words match by German stem through the GIN index; a single short word (no stem) by title prefix.
		q ? (tsq ? sql`${offers.search} @@ to_tsquery('german', ${tsq})` : or(ilike(offers.title, likePattern(q)), ilike(offers.provider, likePattern(q)))) : undefined
	)!;
}

function orderBy(sort: OfferSort | undefined) {
	if (sort === 'assessed') return [sql`${lastAssessed} desc nulls last`, asc(offers.title), asc(offers.id)];
	return [asc(offers.title), asc(offers.id)];
}

export interface OfferListItem {
	id: string;
	title: string;
	provider: string;
	kind: OfferKind;
	priceModel: PriceModel;
	costMin: number | null;
	costMax: number | null;
	themes: OfferTheme[];
	archivedAt: Date | null;
	isDemo: boolean;
	aggregate: OfferAggregate;
}

/** A page of the network's offers matching the filter, each with its aggregates. Working area only. */
export async function listOffers(actor: Actor, networkId: string, f: OfferFilter = {}) {
	if (!canOffer(actor, 'offer.read', { networkId })) throw new ForbiddenError();
	const { page, pageSize, offset } = pageOpts(f, 25);
	const where = offerWhere(networkId, f);
	const [rows, [{ total }]] = await Promise.all([
		db()
			.select({
				id: offers.id,
				title: offers.title,
				provider: offers.provider,
				kind: offers.kind,
				priceModel: offers.priceModel,
				costMin: offers.costMin,
				costMax: offers.costMax,
				themes: offers.themes,
				archivedAt: offers.archivedAt,
				isDemo: offers.isDemo
			})
			.from(offers)
			.where(where)
			.orderBy(...orderBy(f.sort))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(offers).where(where)
	]);
	const aggs = await aggregatesFor(
		networkId,
		rows.map((r) => r.id)
	);
	const items: OfferListItem[] = rows.map((r) => ({ ...r, aggregate: aggs.get(r.id)! }));
	return { items, total, page, pageSize };
}

/** All rows of a filtered list (for export), a page at a time so memory stays flat. */
export async function* iterateOffers(actor: Actor, networkId: string, f: OfferFilter, batch = 100) {
	if (!canOffer(actor, 'offer.read', { networkId })) throw new ForbiddenError();
	for (let page = 1; ; page++) {
		const r = await listOffers(actor, networkId, { ...f, page, pageSize: batch });
		yield* r.items;
		if (r.items.length < r.pageSize) return;
	}
}
