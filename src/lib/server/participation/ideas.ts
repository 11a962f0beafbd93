// Ideas of residents: submission (with an optional map point and photo), the public list and the
// idea page. New ideas wait for moderation (moderation.ts); until then only their author and the
// moderators of the idea's municipality see them.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, type Tx } from '../db/client';
import { bodies, measures, networks } from '../db/schema';
import type { Actor } from '../auth/actor';
import { NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { fieldTheme } from '../measures/schema';
import { canMeasure } from '../measures/permissions';
import { isUuid, number, pageOpts, parseFields } from '../network/directory-shared';
import { checkHoneypot, limitPosting, linkError } from './abuse';
import { requireParticipant, shownName } from './participant';
import { canParticipation } from './permissions';
import { citizenProfiles, ideas, ideaState, ideaSupports } from './schema';
import { discardPhotoBytes, insertPhotoRow, processPhoto, putPhotoBytes, type Photo } from './photos';
import { getPortalSettings } from './settings';

export const IDEA_THEMES = fieldTheme.enumValues;
export type IdeaTheme = (typeof IDEA_THEMES)[number];
export const IDEA_STATES = ideaState.enumValues;
export type IdeaState = (typeof IDEA_STATES)[number];
/** States everyone sees; pending and rejected ideas only their author and the moderators. */
export const VISIBLE_STATES: readonly IdeaState[] = ['published', 'merged', 'measure'];

export const TITLE_MIN = 3;
export const TITLE_MAX = 200;
export const TEXT_MIN = 10;
export const TEXT_MAX = 5000;
export const PLACE_MAX = 200;
export const ALT_MAX = 300;

/** A generous box around Germany: a point outside it is a slip of the finger, not a place here. */
export const GERMANY = { minLat: 47.2, maxLat: 55.1, minLng: 5.8, maxLng: 15.1 };

export type Idea = Omit<typeof ideas.$inferSelect, 'search'>;
const { search: _search, ...ideaColumns } = getTableColumns(ideas);
export { ideaColumns };

// ---- visibility ---------------------------------------------------------------------------

export function isVisibleState(state: IdeaState): boolean {
	return VISIBLE_STATES.includes(state);
}

/** Who may moderate this idea: members of its municipality and the coordinators. */
export function canModerateIdea(actor: Actor, idea: { networkId: string; bodyId: string }): boolean {
	return canParticipation(actor, 'participation.moderate', { networkId: idea.networkId, bodyId: idea.bodyId });
}

export function canSeeIdea(actor: Actor, idea: { networkId: string; bodyId: string; state: IdeaState; authorId: string | null }): boolean {
	return isVisibleState(idea.state) || (!!actor.userId && actor.userId === idea.authorId) || canModerateIdea(actor, idea);
}

export async function loadIdea(tx: Tx | ReturnType<typeof db>, networkId: string, ideaId: string, lock = false): Promise<Idea> {
	if (!isUuid(ideaId) || !isUuid(networkId)) throw new NotFoundError();
	const q = tx
		.select(ideaColumns)
		.from(ideas)
		.where(and(eq(ideas.id, ideaId), eq(ideas.networkId, networkId)));
	const [row] = lock ? await q.for('update') : await q;
	if (!row) throw new NotFoundError();
	return row;
}

/** An idea the actor may see; 404 otherwise (so ids of pending ideas reveal nothing). */
export async function loadVisibleIdea(actor: Actor, networkId: string, ideaId: string): Promise<Idea> {
	const idea = await loadIdea(db(), networkId, ideaId);
	if (!canSeeIdea(actor, idea)) throw new NotFoundError();
	return idea;
}

// ---- input --------------------------------------------------------------------------------

const requiredBetween = (min: number, max: number, keys: { short: string; long: string }) =>
	z
		.string()
		.trim()
		.min(1, { error: 'validation.required' })
		.min(min, { error: keys.short })
		.max(max, { error: keys.long });

const ideaShape = () => ({
	title: requiredBetween(TITLE_MIN, TITLE_MAX, { short: 'ideas.error.titleShort', long: 'dir.tooLong200' }),
	body: requiredBetween(TEXT_MIN, TEXT_MAX, { short: 'ideas.error.textShort', long: 'dir.tooLong5000' }).refine((s) => !linkError(s), {
		error: 'participation.tooManyLinks'
	}),
	theme: z
		.string()
		.trim()
		.refine((s) => s !== '', { error: 'ideas.error.themeRequired' })
		.refine((s): s is IdeaTheme => (IDEA_THEMES as readonly string[]).includes(s), { error: 'validation.choice' })
		.transform((s) => s as IdeaTheme),
	bodyId: z
		.string()
		.trim()
		.refine((s) => s !== '', { error: 'ideas.error.bodyRequired' })
		.refine((s) => isUuid(s), { error: 'ideas.error.bodyUnknown' }),
	locationText: z.string().trim().max(PLACE_MAX, { error: 'dir.tooLong200' }),
	// Hidden fields the map fills; a decimal point, never a thousands separator.
	lat: number({ min: GERMANY.minLat, max: GERMANY.maxLat, key: 'ideas.error.point' }),
	lng: number({ min: GERMANY.minLng, max: GERMANY.maxLng, key: 'ideas.error.point' }),
	photoAlt: z.string().trim().max(ALT_MAX, { error: 'ideas.error.altTooLong' })
});

export type IdeaInput = ReturnType<typeof parseIdea>;

export function parseIdea(input: unknown, opts: { hasPhoto?: boolean } = {}) {
	return parseFields(ideaShape(), input, (d, errors) => {
		// Half a point is no point: both coordinates or none.
		if ((d.lat === null) !== (d.lng === null) && !errors.lat && !errors.lng) errors.lat = 'ideas.error.point';
		if (errors.lng && !errors.lat) {
			errors.lat = errors.lng;
		}
		delete errors.lng;
		if (opts.hasPhoto && !d.photoAlt && !errors.photoAlt) errors.photoAlt = 'ideas.error.altRequired';
	});
}

// ---- options ------------------------------------------------------------------------------

export interface BodyOption {
	id: string;
	name: string;
	ags: string;
	kind: string;
	lat: number | null;
	lon: number | null;
}

/** The network's municipalities (the district included), for the form and the filters. */
export async function networkBodies(networkId: string): Promise<BodyOption[]> {
	// A network has tens of bodies (a district's towns), not thousands.
	return db()
		.select({ id: bodies.id, name: bodies.name, ags: bodies.ags, kind: bodies.kind, lat: bodies.lat, lon: bodies.lon })
		.from(bodies)
		.where(eq(bodies.networkId, networkId))
		.orderBy(sql`${bodies.kind} = 'landkreis' desc`, bodies.name)
		.limit(1000);
}

// ---- submit -------------------------------------------------------------------------------

export interface PhotoUpload {
	bytes: Uint8Array;
}

/**
 * Submits an idea: honeypot, participant with consent, field rules, the photo, the rate limit;
 * then the idea (pending), its photo row and the audit entry in one transaction.
 */
export async function submitIdea(
	actor: Actor,
	networkId: string,
	input: Record<string, unknown>,
	upload: PhotoUpload | null,
	who: { ip: string }
): Promise<Idea> {
	checkHoneypot(input);
	const settings = await getPortalSettings(networkId);
	if (!settings.ideasOpen) throw new ValidationError({ _form: 'ideas.error.closed' });
	const participant = await requireParticipant(actor);

	// Every problem at once: the fields and the photo.
	const errors: Record<string, string> = {};
	let data: IdeaInput | null = null;
	let photo: Photo | null = null;
	try {
		data = parseIdea(input, { hasPhoto: !!upload });
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		Object.assign(errors, e.fieldErrors);
	}
	if (upload) {
		try {
			photo = await processPhoto(upload.bytes);
		} catch (e) {
			if (!(e instanceof ValidationError)) throw e;
			Object.assign(errors, e.fieldErrors);
		}
	}
	if (data && !errors.bodyId) {
		const [b] = await db()
			.select({ id: bodies.id })
			.from(bodies)
			.where(and(eq(bodies.id, data.bodyId), eq(bodies.networkId, networkId)));
		if (!b) errors.bodyId = 'ideas.error.bodyUnknown';
	}
	if (Object.keys(errors).length || !data) throw new ValidationError(errors);

	await limitPosting('idea', { userId: participant.userId, ip: who.ip });

	const fields = data;
	const storageKey = photo ? await putPhotoBytes(photo) : null;
	try {
		return await db().transaction(async (tx) => {
			const id = randomUUID();
			const photoFileId = photo && storageKey ? await insertPhotoRow(tx, actor, { networkId, ideaId: id, storageKey, photo }) : null;
			const [idea] = await tx
				.insert(ideas)
				.values({
					id,
					networkId,
					bodyId: fields.bodyId,
					theme: fields.theme,
					title: fields.title,
					body: fields.body,
					locationText: fields.locationText,
					lat: fields.lat,
					lng: fields.lng,
					photoFileId,
					photoAlt: photo ? fields.photoAlt : '',
					authorId: participant.userId,
					authorName: shownName(participant),
					state: 'pending'
				})
				.returning(ideaColumns);
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'idea', recordId: id, after: idea });
			return idea;
		});
	} catch (e) {
		if (storageKey) await discardPhotoBytes(storageKey);
		throw e;
	}
}

// ---- public list --------------------------------------------------------------------------

export type IdeaSort = 'new' | 'support';

export interface IdeaFilter {
	/** AGS of the municipality. */
	ags: string | null;
	theme: IdeaTheme | null;
	/** One of the visible states. */
	state: IdeaState | null;
	sort: IdeaSort;
}

/** ?kommune=<AGS>&thema=<theme>&status=<state>&sortierung=unterstuetzt; nonsense is ignored. */
export function ideaFilterFromUrl(url: URL): IdeaFilter {
	const p = url.searchParams;
	const ags = p.get('kommune') ?? '';
	const theme = p.get('thema') ?? '';
	const state = p.get('status') ?? '';
	return {
		ags: /^\d{5}(\d{3})?$/.test(ags) ? ags : null,
		theme: (IDEA_THEMES as readonly string[]).includes(theme) ? (theme as IdeaTheme) : null,
		state: (VISIBLE_STATES as readonly string[]).includes(state) ? (state as IdeaState) : null,
		sort: p.get('sortierung') === 'unterstuetzt' ? 'support' : 'new'
	};
}

export interface IdeaListItem {
	id: string;
	title: string;
	theme: IdeaTheme;
	state: IdeaState;
	bodyName: string;
	locationText: string;
	authorName: string;
	supportCount: number;
	/** When it appeared on the portal (or was submitted, for the author's own list). */
	date: Date;
	hasPhoto: boolean;
}

const listColumns = {
	id: ideas.id,
	title: ideas.title,
	theme: ideas.theme,
	state: ideas.state,
	bodyName: bodies.name,
	locationText: ideas.locationText,
	authorName: ideas.authorName,
	supportCount: ideas.supportCount,
	date: sql<Date>`coalesce(${ideas.publishedAt}, ${ideas.createdAt})`.mapWith((v: string | Date) => new Date(v)),
	hasPhoto: sql<boolean>`${ideas.photoFileId} is not null`
};

/** Published, merged and turned-into-measure ideas of the network, filtered and paginated. */
export async function listPublicIdeas(networkId: string, filter: IdeaFilter, opts: { page?: number; pageSize?: number } = {}) {
	const { page, pageSize, offset } = pageOpts(opts, 20, 50);
	const where: SQL[] = [eq(ideas.networkId, networkId), filter.state ? eq(ideas.state, filter.state) : inArray(ideas.state, [...VISIBLE_STATES])];
	if (filter.theme) where.push(eq(ideas.theme, filter.theme));
	if (filter.ags) where.push(eq(bodies.ags, filter.ags));
	const cond = and(...where);
	const order =
		filter.sort === 'support'
			? [desc(ideas.supportCount), desc(listColumns.date), asc(ideas.id)]
			: [desc(listColumns.date), asc(ideas.id)];
	const [items, [{ total }]] = await Promise.all([
		db().select(listColumns).from(ideas).innerJoin(bodies, eq(bodies.id, ideas.bodyId)).where(cond).orderBy(...order).limit(pageSize).offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(ideas).innerJoin(bodies, eq(bodies.id, ideas.bodyId)).where(cond)
	]);
	return { items: items as IdeaListItem[], total, page, pageSize };
}

/** The signed-in person's own ideas in this network, every state, newest first (at most 50). */
export async function myIdeas(actor: Actor, networkId: string): Promise<(IdeaListItem & { stateReason: string })[]> {
	if (!actor.userId) return [];
	const rows = await db()
		.select({ ...listColumns, date: ideas.createdAt, stateReason: ideas.stateReason })
		.from(ideas)
		.innerJoin(bodies, eq(bodies.id, ideas.bodyId))
		.where(and(eq(ideas.networkId, networkId), eq(ideas.authorId, actor.userId)))
		.orderBy(desc(ideas.createdAt), asc(ideas.id))
		.limit(50);
	return rows as (IdeaListItem & { stateReason: string })[];
}

/** Counts for the portal: ideas on the portal, and those that became measures. */
export async function publicIdeaCounts(networkId: string, bodyId?: string | null): Promise<{ received: number; measures: number }> {
	const [r] = await db()
		.select({
			received: sql<number>`count(*) filter (where ${inArray(ideas.state, [...VISIBLE_STATES])})::int`,
			measures: sql<number>`count(*) filter (where ${ideas.state} = 'measure')::int`
		})
		.from(ideas)
		.where(and(eq(ideas.networkId, networkId), bodyId ? eq(ideas.bodyId, bodyId) : undefined));
	return r;
}

// ---- idea page ----------------------------------------------------------------------------

/**
 * What an idea page shows, spelled out field by field: page data goes to the browser as it is, so
 * nothing else (the author's and moderator's account ids, the network, internal links) may ride
 * along. The body is the raw Markdown for rendering on the server.
 */
export interface IdeaDetail {
	id: string;
	title: string;
	body: string;
	theme: IdeaTheme;
	state: IdeaState;
	/** The rejection reason: for the author and the moderators only, '' for everyone else. */
	stateReason: string;
	locationText: string;
	lat: number | null;
	lng: number | null;
	photoFileId: string | null;
	photoAlt: string;
	authorName: string;
	supportCount: number;
	publishedAt: Date | null;
	createdAt: Date;
	bodyName: string;
	bodyAgs: string;
	authorIsGroup: boolean;
	isAuthor: boolean;
	canModerate: boolean;
	supportedByMe: boolean;
	/** The idea it was merged into, if the actor may see it. */
	mergedInto: { id: string; title: string } | null;
	/** Ideas merged into this one (visible ones only). */
	mergedFrom: { id: string; title: string }[];
	/** The measure it became; details (and its id) only when the measure is public or the actor works in the network. */
	measure: { id: string; code: string; title: string; status: string; progress: number; isPublic: boolean } | null;
}

export async function getIdea(actor: Actor, networkId: string, ideaId: string): Promise<IdeaDetail> {
	const idea = await loadVisibleIdea(actor, networkId, ideaId);
	const canModerate = canModerateIdea(actor, idea);
	const [[body], profile, supported, mergedInto, mergedFrom, measure] = await Promise.all([
		db().select({ name: bodies.name, ags: bodies.ags }).from(bodies).where(eq(bodies.id, idea.bodyId)),
		idea.authorId ? db().select({ kind: citizenProfiles.kind }).from(citizenProfiles).where(eq(citizenProfiles.userId, idea.authorId)) : Promise.resolve([]),
		actor.userId
			? db()
					.select({ one: sql`1` })
					.from(ideaSupports)
					.where(and(eq(ideaSupports.ideaId, idea.id), eq(ideaSupports.userId, actor.userId)))
			: Promise.resolve([]),
		idea.mergedIntoId ? db().select(ideaColumns).from(ideas).where(and(eq(ideas.id, idea.mergedIntoId), eq(ideas.networkId, networkId))) : Promise.resolve([]),
		db()
			.select(ideaColumns)
			.from(ideas)
			.where(and(eq(ideas.mergedIntoId, idea.id), eq(ideas.networkId, networkId)))
			.orderBy(desc(ideas.createdAt))
			.limit(50),
		idea.measureId
			? db()
					.select({ id: measures.id, code: measures.code, title: measures.title, status: measures.status, progress: measures.progress, isPublic: measures.isPublic })
					.from(measures)
					.where(and(eq(measures.id, idea.measureId), eq(measures.networkId, networkId)))
			: Promise.resolve([])
	]);
	const target = mergedInto[0];
	const m = measure[0];
	const inArea = canMeasure(actor, 'measure.read', { networkId });
	return {
		id: idea.id,
		title: idea.title,
		body: idea.body,
		theme: idea.theme,
		state: idea.state,
		// A rejection reason is for the author and the moderators only.
		stateReason: (!!actor.userId && idea.authorId === actor.userId) || canModerate ? idea.stateReason : '',
		locationText: idea.locationText,
		lat: idea.lat,
		lng: idea.lng,
		photoFileId: idea.photoFileId,
		photoAlt: idea.photoAlt,
		authorName: idea.authorName,
		supportCount: idea.supportCount,
		publishedAt: idea.publishedAt,
		createdAt: idea.createdAt,
		bodyName: body.name,
		bodyAgs: body.ags,
		authorIsGroup: profile[0]?.kind === 'group',
		isAuthor: !!actor.userId && actor.userId === idea.authorId,
		canModerate,
		supportedByMe: supported.length > 0,
		mergedInto: target && canSeeIdea(actor, target) ? { id: target.id, title: target.title } : null,
		mergedFrom: mergedFrom.filter((i) => canSeeIdea(actor, i)).map((i) => ({ id: i.id, title: i.title })),
		measure: m
			? m.isPublic || inArea
				? { ...m }
				: { id: '', code: '', title: '', status: '', progress: 0, isPublic: false }
			: null
	};
}

/** The network's slug, for building links in mails and records. */
export async function networkSlug(networkId: string, tx: Tx | ReturnType<typeof db> = db()): Promise<string> {
	const [n] = await tx.select({ slug: networks.slug }).from(networks).where(eq(networks.id, networkId));
	if (!n) throw new NotFoundError();
	return n.slug;
}

