// Ideas: submission rules, who sees what, supports, moderation moves and their permissions, the
// idea → measure link with the author's mail, the registry's read rule for the photo.
import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor, makeBody, makeNetwork, makeUser } from '../testing/factories';
import { fieldErrors } from '../testing/errors';
import { measureInput, measureWorld, makeMeasure } from '../measures/testing';
import { db } from '../db/client';
import { rateLimits } from '../auth/schema';
import { jobs } from '../jobs/schema';
import { auditLog, bodies, measures } from '../db/schema';
import { createConcept } from '../measures/concepts';
import { loadActor, VISITOR, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { getMeasure, updateMeasure } from '../measures/measures';
import { resolveRecord } from '../registry';
import { registerAllRecords } from '../records';
import { citizenProfiles, ideas } from './schema';
import { getIdea, ideaFilterFromUrl, listPublicIdeas, myIdeas, parseIdea, publicIdeaCounts, submitIdea, TEXT_MAX, TITLE_MAX, IDEA_STATES, type IdeaState } from './ideas';
import {
	availableActions,
	canTransition,
	createMeasureFromIdea,
	linkIdeaToMeasure,
	listQueue,
	measureOptions,
	mergeIdea,
	publishIdea,
	queueCounts,
	rejectIdea,
	reopenIdea,
	TRANSITIONS
} from './moderation';
import { countSupports, supportIdea, withdrawSupport } from './supports';
import { HONEYPOT_FIELD } from './abuse';
import { updatePortalSettings } from './settings';
import { getPublicMeasure, ideasOfMeasure } from './portal';

useTestDb();
registerAllRecords();

const ip = { ip: '192.0.2.1' };

/** A resident with a participation profile (consent given). */
async function citizen(networkId: string | null, opts: { name?: string; kind?: 'person' | 'group'; organisation?: string } = {}): Promise<Actor> {
	const u = await makeUser({ name: opts.name ?? 'Erika Muster' });
	await db()
		.insert(citizenProfiles)
		.values({ userId: u.id, kind: opts.kind ?? 'person', organisation: opts.organisation ?? '', consentVersion: 't', consentText: 'Einwilligung', consentedAt: new Date() });
	void networkId;
	return loadActor(u.id);
}

function input(bodyId: string, over: Record<string, string> = {}): Record<string, string> {
	return {
		title: 'Fahrradbügel am Bahnhof',
		body: 'Am Bahnhof fehlen sichere Abstellplätze für Fahrräder.',
		theme: 'mobility',
		bodyId,
		locationText: 'Bahnhofsvorplatz',
		lat: '',
		lng: '',
		photoAlt: '',
		...over
	};
}

async function world() {
	const w = await measureWorld();
	const author = await citizen(w.network.id);
	const reader = await citizen(w.network.id, { name: 'Max Leser' });
	return { ...w, author, reader };
}

type World = Awaited<ReturnType<typeof world>>;

async function submit(w: World, over: Record<string, string> = {}, who: Actor = w.author) {
	return submitIdea(who, w.network.id, input(w.town.id, over), null, ip);
}

async function published(w: World, over: Record<string, string> = {}) {
	const idea = await submit(w, over);
	return publishIdea(w.member, w.network.id, idea.id);
}

beforeEach(async () => {
	// Each test starts with fresh posting limits (the hourly limit is tested in abuse.test.ts).
	await db().delete(rateLimits);
});

describe('submitting', () => {
	it('stores a pending idea with the author shown by name', async () => {
		const w = await world();
		const idea = await submit(w, { lat: '51.8412', lng: '11.0321' });
		expect(idea).toMatchObject({ state: 'pending', authorName: 'Erika Muster', bodyId: w.town.id, lat: 51.8412, lng: 11.0321, supportCount: 0 });
	});

	it('names a group with its organisation', async () => {
		const w = await world();
		const klasse = await citizen(w.network.id, { name: 'Klasse 4b', kind: 'group', organisation: 'Grundschule Thale' });
		const idea = await submit(w, {}, klasse);
		expect(idea.authorName).toBe('Klasse 4b, Grundschule Thale');
		const detail = await getIdea(klasse, w.network.id, idea.id);
		expect(detail.authorIsGroup).toBe(true);
	});

	it.each([
		['empty title', { title: '' }, 'title', 'validation.required'],
		['short title', { title: 'ab' }, 'title', 'ideas.error.titleShort'],
		['long title', { title: 'x'.repeat(TITLE_MAX + 1) }, 'title', 'dir.tooLong200'],
		['empty text', { body: '   ' }, 'body', 'validation.required'],
		['short text', { body: 'zu kurz' }, 'body', 'ideas.error.textShort'],
		['long text', { body: 'x'.repeat(TEXT_MAX + 1) }, 'body', 'dir.tooLong5000'],
		['many links', { body: 'https://a.de https://b.de https://c.de https://d.de sehr viele Links' }, 'body', 'participation.tooManyLinks'],
		['no theme', { theme: '' }, 'theme', 'ideas.error.themeRequired'],
		['unknown theme', { theme: 'space' }, 'theme', 'validation.choice'],
		['no town', { bodyId: '' }, 'bodyId', 'ideas.error.bodyRequired'],
		['long place', { locationText: 'x'.repeat(201) }, 'locationText', 'dir.tooLong200'],
		['point outside Germany', { lat: '40.4', lng: '-3.7' }, 'lat', 'ideas.error.point'],
		['half a point', { lat: '51.8', lng: '' }, 'lat', 'ideas.error.point'],
		['not a number', { lat: '51,8x', lng: '11' }, 'lat', 'ideas.error.point']
	])('refuses %s and stores nothing', async (_label, over, field, key) => {
		const w = await world();
		const errors = await fieldErrors(submit(w, over));
		expect(errors[field]).toBe(key);
		const rows = await db().select().from(ideas).where(eq(ideas.networkId, w.network.id));
		expect(rows).toHaveLength(0);
	});

	it('refuses a municipality of another network', async () => {
		const w = await world();
		const elsewhere = await makeNetwork();
		const foreign = await makeBody(elsewhere.id);
		expect(await fieldErrors(submit(w, { bodyId: foreign.id }))).toEqual({ bodyId: 'ideas.error.bodyUnknown' });
	});

	it('asks for an alt text when a photo comes along', () => {
		expect(() => parseIdea(input('00000000-0000-4000-8000-000000000000'), { hasPhoto: true })).toThrow(ValidationError);
	});

	it('refuses a filled honeypot', async () => {
		const w = await world();
		expect(await fieldErrors(submit(w, { [HONEYPOT_FIELD]: 'http://spam.example' }))).toEqual({ _form: 'participation.honeypot' });
	});

	it.each([
		['visitor', () => Promise.resolve(VISITOR), 'participation.signed_out'],
		['account without consent', async () => loadActor((await makeUser()).id), 'participation.no_consent']
	])('refuses a %s', async (_l, who, message) => {
		const w = await world();
		await expect(submit(w, {}, await who())).rejects.toThrow(new ForbiddenError(message));
	});

	it('refuses new ideas while the coordinator has closed them', async () => {
		const w = await world();
		await updatePortalSettings(w.coordinator, w.network.id, { tileUrl: '', tileAttribution: '', ideasOpen: '' });
		expect(await fieldErrors(submit(w))).toEqual({ _form: 'ideas.error.closed' });
	});

	it('stops after five ideas an hour from one account', async () => {
		const w = await world();
		for (let i = 0; i < 5; i++) await submit(w, { title: `Idee Nummer ${i}` });
		expect(await fieldErrors(submit(w))).toEqual({ _form: 'participation.rateLimited' });
	});
});

describe('who sees an idea', () => {
	it('shows a pending idea to its author and the moderators only', async () => {
		const w = await world();
		const idea = await submit(w);
		for (const who of [w.author, w.member, w.coordinator]) await expect(getIdea(who, w.network.id, idea.id)).resolves.toMatchObject({ id: idea.id });
		for (const who of [VISITOR, w.reader, w.otherMember, w.partner, w.citizen]) {
			await expect(getIdea(who, w.network.id, idea.id)).rejects.toThrow(NotFoundError);
		}
		const elsewhere = await makeNetwork();
		await expect(getIdea(w.author, elsewhere.id, idea.id)).rejects.toThrow(NotFoundError);
		expect((await listPublicIdeas(w.network.id, ideaFilterFromUrl(new URL('http://x/')))).total).toBe(0);
		expect(await myIdeas(w.author, w.network.id)).toHaveLength(1);
		expect(await myIdeas(w.reader, w.network.id)).toHaveLength(0);
	});

	it('lists published ideas for everyone, filtered by town, theme and state, sorted by supports', async () => {
		const w = await world();
		const a = await published(w, { title: 'Erste Idee' });
		const b = await published(w, { title: 'Zweite Idee', theme: 'energy' });
		await supportIdea(w.reader, w.network.id, a.id, ip);
		const all = await listPublicIdeas(w.network.id, ideaFilterFromUrl(new URL('http://x/?sortierung=unterstuetzt')));
		expect(all.items.map((i) => i.id)).toEqual([a.id, b.id]);
		const energy = await listPublicIdeas(w.network.id, ideaFilterFromUrl(new URL('http://x/?thema=energy')));
		expect(energy.items.map((i) => i.id)).toEqual([b.id]);
		const otherTown = await listPublicIdeas(w.network.id, ideaFilterFromUrl(new URL(`http://x/?kommune=${w.other.ags}`)));
		expect(otherTown.total).toBe(0);
		const nonsense = ideaFilterFromUrl(new URL('http://x/?status=pending&thema=<script>&kommune=1;drop'));
		expect(nonsense).toEqual({ ags: null, theme: null, state: null, sort: 'new' });
		expect(await publicIdeaCounts(w.network.id)).toEqual({ received: 2, measures: 0 });
	});

	it('keeps a rejection reason from other readers but tells the author', async () => {
		const w = await world();
		const idea = await submit(w);
		await rejectIdea(w.member, w.network.id, idea.id, { reason: 'Betrifft ein Privatgrundstück.' });
		expect((await getIdea(w.author, w.network.id, idea.id)).stateReason).toBe('Betrifft ein Privatgrundstück.');
		await expect(getIdea(w.reader, w.network.id, idea.id)).rejects.toThrow(NotFoundError);
	});

	it('gives the idea page no account ids or internal links, only what it shows', async () => {
		const w = await world();
		const a = await published(w, { title: 'Idee A' });
		const b = await published(w, { title: 'Idee B' });
		await mergeIdea(w.member, w.network.id, a.id, { targetId: b.id });
		for (const [who, id] of [[VISITOR, a.id], [w.reader, b.id], [w.author, a.id], [w.member, b.id]] as const) {
			const page = await getIdea(who, w.network.id, id);
			expect(Object.keys(page).sort()).toEqual(
				[
					'authorIsGroup', 'authorName', 'body', 'bodyAgs', 'bodyName', 'canModerate', 'createdAt', 'id', 'isAuthor', 'lat', 'lng', 'locationText', 'measure',
					'mergedFrom', 'mergedInto', 'photoAlt', 'photoFileId', 'publishedAt', 'state', 'stateReason', 'supportCount', 'supportedByMe', 'theme', 'title'
				].sort()
			);
			const text = JSON.stringify(page);
			for (const secret of [w.author.userId!, w.member.userId!, w.network.id, w.town.id]) expect(text).not.toContain(secret);
		}
		expect((await getIdea(w.author, w.network.id, a.id)).isAuthor).toBe(true);
		expect((await getIdea(w.reader, w.network.id, a.id)).isAuthor).toBe(false);
	});

	it('lets the registry (and so /dateien) show a published idea to visitors and a pending one to its author', async () => {
		const w = await world();
		const idea = await submit(w);
		const ref = { type: 'idea', id: idea.id };
		expect(await resolveRecord(VISITOR, ref)).toBeNull();
		expect(await resolveRecord(w.author, ref)).toMatchObject({ isPublic: false, url: `/${w.network.slug}/ideen/${idea.id}` });
		expect(await resolveRecord(w.member, ref)).not.toBeNull();
		expect(await resolveRecord(w.otherMember, ref)).toBeNull();
		await publishIdea(w.member, w.network.id, idea.id);
		expect(await resolveRecord(VISITOR, ref)).toMatchObject({ isPublic: true });
	});
});

describe('supports', () => {
	it('counts one support per person, refuses a second one and allows withdrawing', async () => {
		const w = await world();
		const idea = await published(w);
		expect(await supportIdea(w.reader, w.network.id, idea.id, ip)).toBe(1);
		expect(await fieldErrors(supportIdea(w.reader, w.network.id, idea.id, ip))).toEqual({ _form: 'ideas.support.already' });
		expect(await supportIdea(w.author, w.network.id, idea.id, ip)).toBe(2);
		expect(await countSupports(w.network.id, idea.id)).toEqual({ stored: 2, rows: 2 });
		expect((await getIdea(w.reader, w.network.id, idea.id)).supportedByMe).toBe(true);
		expect(await withdrawSupport(w.reader, w.network.id, idea.id)).toBe(1);
		expect(await fieldErrors(withdrawSupport(w.reader, w.network.id, idea.id))).toEqual({ _form: 'ideas.support.none' });
		expect(await countSupports(w.network.id, idea.id)).toEqual({ stored: 1, rows: 1 });
	});

	it('counts two supports of one person sent at the same moment once', async () => {
		const w = await world();
		const idea = await published(w);
		const r = await Promise.allSettled([supportIdea(w.reader, w.network.id, idea.id, ip), supportIdea(w.reader, w.network.id, idea.id, ip)]);
		expect(r.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
		expect(await countSupports(w.network.id, idea.id)).toEqual({ stored: 1, rows: 1 });
	});

	it('lets a supporter withdraw after the idea was taken down, only in its own network', async () => {
		const w = await world();
		const idea = await published(w);
		await supportIdea(w.reader, w.network.id, idea.id, ip);
		await rejectIdea(w.member, w.network.id, idea.id, { reason: 'Doppelt eingereicht.' });
		const elsewhere = await makeNetwork();
		await expect(withdrawSupport(w.reader, elsewhere.id, idea.id)).rejects.toThrow(NotFoundError);
		expect(await withdrawSupport(w.reader, w.network.id, idea.id)).toBe(0);
		expect(await countSupports(w.network.id, idea.id)).toEqual({ stored: 0, rows: 0 });
		expect(await fieldErrors(withdrawSupport(w.reader, w.network.id, idea.id))).toEqual({ _form: 'ideas.support.none' });
	});

	it('takes no support for pending ideas, from visitors or without consent', async () => {
		const w = await world();
		const idea = await submit(w);
		await expect(supportIdea(w.reader, w.network.id, idea.id, ip)).rejects.toThrow(NotFoundError);
		expect(await fieldErrors(supportIdea(w.author, w.network.id, idea.id, ip))).toEqual({ _form: 'ideas.support.closed' });
		await publishIdea(w.member, w.network.id, idea.id);
		await expect(supportIdea(VISITOR, w.network.id, idea.id, ip)).rejects.toThrow(ForbiddenError);
		await expect(supportIdea(await loadActor((await makeUser()).id), w.network.id, idea.id, ip)).rejects.toThrow(new ForbiddenError('participation.no_consent'));
	});
});

describe('moderation moves', () => {
	const pairs = IDEA_STATES.flatMap((from) => IDEA_STATES.map((to) => [from, to] as [IdeaState, IdeaState]));
	it.each(pairs)('%s → %s follows the table', (from, to) => {
		const allowed: Record<IdeaState, IdeaState[]> = {
			pending: ['published', 'rejected', 'merged', 'measure'],
			published: ['rejected', 'merged', 'measure'],
			rejected: ['published'],
			merged: [],
			measure: []
		};
		expect(canTransition(from, to)).toBe(allowed[from].includes(to));
		expect(TRANSITIONS[from]).toEqual(allowed[from]);
	});

	it('requires a reason to reject and keeps the idea unchanged without one', async () => {
		const w = await world();
		const idea = await submit(w);
		expect(await fieldErrors(rejectIdea(w.member, w.network.id, idea.id, { reason: '  ' }))).toEqual({ reason: 'ideas.mod.reasonRequired' });
		expect(await fieldErrors(rejectIdea(w.member, w.network.id, idea.id, { reason: 'x'.repeat(2001) }))).toEqual({ reason: 'dir.tooLong2000' });
		expect((await getIdea(w.member, w.network.id, idea.id)).state).toBe('pending');
	});

	it('refuses moves the table forbids', async () => {
		const w = await world();
		const idea = await published(w);
		expect(await fieldErrors(publishIdea(w.member, w.network.id, idea.id))).toEqual({ _form: 'ideas.mod.notAllowed' });
		const rejected = await rejectIdea(w.member, w.network.id, idea.id, { reason: 'Doppelt.' });
		const target = await published(w, { title: 'Ziel der Zusammenführung' });
		expect(await fieldErrors(mergeIdea(w.member, w.network.id, rejected.id, { targetId: target.id }))).toEqual({ _form: 'ideas.mod.notAllowed' });
		// A second look: rejected → published.
		expect((await publishIdea(w.member, w.network.id, idea.id)).state).toBe('published');
	});

	it('writes moderator, time, audit entry and a mail to the author on publish and reject', async () => {
		const w = await world();
		const idea = await submit(w);
		const after = await publishIdea(w.member, w.network.id, idea.id);
		expect(after).toMatchObject({ state: 'published', moderatedBy: w.member.userId });
		expect(after.moderatedAt).toBeInstanceOf(Date);
		expect(after.publishedAt).toBeInstanceOf(Date);
		const mails = await db().select().from(jobs).where(and(eq(jobs.kind, 'mail.send')));
		const toAuthor = mails.map((j) => j.payload as { to: string; subject: string }).filter((m) => m.to === w.author.email);
		expect(toAuthor.map((m) => m.subject)).toEqual(['Ihre Idee ist veröffentlicht: Fahrradbügel am Bahnhof']);
		const log = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'idea'), eq(auditLog.recordId, idea.id)));
		expect(log.map((l) => l.action)).toEqual(['create', 'update']);
		expect(log[1].after).toMatchObject({ state: 'published' });
		await rejectIdea(w.coordinator, w.network.id, idea.id, { reason: 'Bitte sachlich bleiben.' });
		const last = (await db().select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map((j) => j.payload as { to: string; subject: string; text: string }).at(-1);
		// It was on the portal: the author reads that it was taken down, not that it never appeared.
		expect(last).toMatchObject({ to: w.author.email, subject: 'Ihre Idee wurde aus dem Portal entfernt: Fahrradbügel am Bahnhof' });
		expect(last?.text).toContain('Bitte sachlich bleiben.');
		expect(last?.text).toContain('Die Moderation hat sie wieder entfernt.');
	});

	it('tells the author of a pending idea that it was not published', async () => {
		const w = await world();
		const idea = await submit(w);
		await rejectIdea(w.member, w.network.id, idea.id, { reason: 'Betrifft ein Privatgrundstück.' });
		const last = (await db().select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map((j) => j.payload as { to: string; subject: string; text: string }).at(-1);
		expect(last).toMatchObject({ to: w.author.email, subject: 'Ihre Idee wurde nicht veröffentlicht: Fahrradbügel am Bahnhof' });
		expect(last?.text).not.toContain('entfernt');
	});

	it("sends followers of an idea taken down to the idea list, not to the idea's page (404 for them)", async () => {
		const w = await world();
		const idea = await published(w);
		await db().delete(jobs);
		await rejectIdea(w.member, w.network.id, idea.id, { reason: 'Doppelt eingereicht.' });
		const [notice] = (await db().select().from(jobs).where(eq(jobs.kind, 'participation.notify_followers'))).map((j) => j.payload as { path: string; what: string });
		expect(notice.path).toBe(`/${w.network.slug}/ideen`);
		expect(notice.what).toContain('nicht mehr öffentlich');
		// A move that keeps the idea public still links to it.
		const other = await published(w, { title: 'Andere Idee' });
		const target = await published(w, { title: 'Ziel' });
		await db().delete(jobs);
		await mergeIdea(w.member, w.network.id, other.id, { targetId: target.id });
		const [merged] = (await db().select().from(jobs).where(eq(jobs.kind, 'participation.notify_followers'))).map((j) => j.payload as { path: string });
		expect(merged.path).toBe(`/${w.network.slug}/ideen/${other.id}`);
	});

	it('refuses to reject an idea others were merged into, until the coordinator reopens them', async () => {
		const w = await world();
		const a = await published(w, { title: 'Idee A' });
		const b = await published(w, { title: 'Idee B' });
		await mergeIdea(w.member, w.network.id, a.id, { targetId: b.id });
		expect(await fieldErrors(rejectIdea(w.member, w.network.id, b.id, { reason: 'Doch nicht.' }))).toEqual({ _form: 'ideas.mod.rejectMergeTarget' });
		expect((await getIdea(VISITOR, w.network.id, b.id)).state).toBe('published');
		expect((await getIdea(VISITOR, w.network.id, a.id)).mergedInto).toEqual({ id: b.id, title: 'Idee B' });
		await reopenIdea(w.coordinator, w.network.id, a.id);
		expect((await rejectIdea(w.member, w.network.id, b.id, { reason: 'Doch nicht.' })).state).toBe('rejected');
	});

	it('merges into a published idea of the network, not into itself or a merged one, and re-points earlier merges', async () => {
		const w = await world();
		const a = await published(w, { title: 'Idee A' });
		const b = await published(w, { title: 'Idee B' });
		const c = await published(w, { title: 'Idee C' });
		await supportIdea(w.reader, w.network.id, a.id, ip);
		expect(await fieldErrors(mergeIdea(w.member, w.network.id, a.id, { targetId: a.id }))).toEqual({ targetId: 'ideas.mod.targetInvalid' });
		expect(await fieldErrors(mergeIdea(w.member, w.network.id, a.id, { targetId: '' }))).toEqual({ targetId: 'ideas.mod.targetRequired' });
		const merged = await mergeIdea(w.member, w.network.id, a.id, { targetId: b.id });
		expect(merged).toMatchObject({ state: 'merged', mergedIntoId: b.id, supportCount: 1 });
		// A merged idea is no target: no cycles.
		expect(await fieldErrors(mergeIdea(w.member, w.network.id, c.id, { targetId: a.id }))).toEqual({ targetId: 'ideas.mod.targetInvalid' });
		await mergeIdea(w.member, w.network.id, b.id, { targetId: c.id });
		const [aNow] = await db().select().from(ideas).where(eq(ideas.id, a.id));
		expect(aNow.mergedIntoId).toBe(c.id);
		const cPage = await getIdea(VISITOR, w.network.id, c.id);
		expect(cPage.mergedFrom.map((i) => i.title).sort()).toEqual(['Idee A', 'Idee B']);
		expect((await getIdea(VISITOR, w.network.id, a.id)).mergedInto).toEqual({ id: c.id, title: 'Idee C' });
		// Another network's idea is no target.
		const elsewhere = await measureWorld();
		const foreignAuthor = await citizen(elsewhere.network.id);
		const foreign = await submitIdea(foreignAuthor, elsewhere.network.id, input(elsewhere.town.id), null, ip);
		await publishIdea(elsewhere.member, elsewhere.network.id, foreign.id);
		expect(await fieldErrors(mergeIdea(w.member, w.network.id, c.id, { targetId: foreign.id }))).toEqual({ targetId: 'ideas.mod.targetInvalid' });
	});

	it('turns an idea into a new public measure, tells the author and shows the measure on the idea page', async () => {
		const w = await world();
		const idea = await published(w, { theme: 'energy' });
		await db().delete(jobs);
		const { idea: after, measureId } = await createMeasureFromIdea(w.member, w.network.id, idea.id, { conceptId: w.concept.id, code: 'B-1' });
		expect(after).toMatchObject({ state: 'measure', measureId });
		const m = await getMeasure(VISITOR, w.network.id, measureId);
		expect(m).toMatchObject({ title: idea.title, isPublic: true, status: 'idea', bodyId: w.town.id });
		expect(m.field?.id).toBe(w.energy.id);
		expect(m.description).toContain(`/ideen/${idea.id}`);
		const page = await getIdea(VISITOR, w.network.id, idea.id);
		expect(page.measure).toMatchObject({ id: measureId, title: idea.title, status: 'idea', progress: 0, isPublic: true });
		// The public measure page lists the idea it came from.
		expect((await getPublicMeasure(w.network.id, measureId)).title).toBe(idea.title);
		expect((await ideasOfMeasure(w.network.id, measureId)).map((i) => i.id)).toEqual([idea.id]);
		const mails = (await db().select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map((j) => j.payload as { to: string; subject: string; text: string });
		const mail = mails.find((x) => x.to === w.author.email);
		expect(mail?.subject).toBe('Aus Ihrer Idee ist eine Maßnahme geworden');
		expect(mail?.text).toContain(`/${w.network.slug}/ideen/${idea.id}`);
		// Followers hear about it through one queued job.
		expect(await db().select().from(jobs).where(eq(jobs.kind, 'participation.notify_followers'))).toHaveLength(1);
		expect(await publicIdeaCounts(w.network.id, w.town.id)).toEqual({ received: 1, measures: 1 });
	});

	it('creates one measure when "create measure" is sent twice at once', async () => {
		const w = await world();
		const idea = await published(w);
		// Two clicks (or two moderators) with different codes: the code's uniqueness can't save us.
		const results = await Promise.allSettled([
			createMeasureFromIdea(w.member, w.network.id, idea.id, { conceptId: w.concept.id, code: 'B-1' }),
			createMeasureFromIdea(w.coordinator, w.network.id, idea.id, { conceptId: w.concept.id, code: 'B-2' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(refused.reason).toBeInstanceOf(ValidationError);
		expect((refused.reason as ValidationError).fieldErrors).toEqual({ _form: 'ideas.mod.notAllowed' });
		const made = await db().select().from(measures).where(eq(measures.conceptId, w.concept.id));
		expect(made).toHaveLength(1);
		const [row] = await db().select().from(ideas).where(eq(ideas.id, idea.id));
		expect(row.measureId).toBe(made[0].id);
	});

	it('refuses a concept or measure of another town and a taken code', async () => {
		const w = await world();
		const idea = await published(w);
		expect(await fieldErrors(createMeasureFromIdea(w.member, w.network.id, idea.id, { conceptId: w.otherConcept.id, code: 'B-1' }))).toEqual({ conceptId: 'ideas.mod.conceptInvalid' });
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'B-1' });
		expect(await fieldErrors(createMeasureFromIdea(w.member, w.network.id, idea.id, { conceptId: w.concept.id, code: 'B-1' }))).toEqual({ code: 'measure.codeTaken' });
		const foreignMeasure = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1' });
		expect(await fieldErrors(linkIdeaToMeasure(w.member, w.network.id, idea.id, { measureId: foreignMeasure.id }))).toEqual({ measureId: 'ideas.mod.measureInvalid' });
		expect((await getIdea(w.member, w.network.id, idea.id)).state).toBe('published');
	});

	it('lets the district take up a town idea: its concepts for those who edit them, its measures for linking', async () => {
		const w = await world();
		const [district] = await db().insert(bodies).values({ networkId: w.network.id, ags: '15085', name: 'Landkreis Harz', kind: 'landkreis' }).returning();
		const districtConcept = await createConcept(w.coordinator, w.network.id, district.id, { title: 'Kreiskonzept', kind: 'integrated' });
		const idea = await published(w);
		const [row] = await db().select().from(ideas).where(eq(ideas.id, idea.id));
		expect((await measureOptions(w.coordinator, w.network.id, row)).concepts.map((c) => c.title)).toEqual(['Integriertes Klimaschutzkonzept', 'Kreiskonzept']);
		// A town member may not create district measures: the district's concept is not offered.
		expect((await measureOptions(w.member, w.network.id, row)).concepts.map((c) => c.title)).toEqual(['Integriertes Klimaschutzkonzept']);
		await expect(createMeasureFromIdea(w.member, w.network.id, idea.id, { conceptId: districtConcept.id, code: 'K-1' })).rejects.toThrow(ForbiddenError);
		const { measureId } = await createMeasureFromIdea(w.coordinator, w.network.id, idea.id, { conceptId: districtConcept.id, code: 'K-1' });
		expect((await getMeasure(w.coordinator, w.network.id, measureId)).bodyId).toBe(district.id);
	});

	it('links only public measures: internal ones are neither offered nor accepted, and their titles reach no mail', async () => {
		const w = await world();
		const idea = await published(w);
		const internal = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-7', title: 'Interne Planung' });
		const open = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-8', title: 'Radwege', isPublic: 'on' });
		const [row] = await db().select().from(ideas).where(eq(ideas.id, idea.id));
		expect((await measureOptions(w.member, w.network.id, row)).measures.map((m) => m.id)).toEqual([open.id]);
		await db().delete(jobs);
		expect(await fieldErrors(linkIdeaToMeasure(w.member, w.network.id, idea.id, { measureId: internal.id }))).toEqual({ measureId: 'ideas.mod.measureNotPublic' });
		expect((await getIdea(w.member, w.network.id, idea.id)).state).toBe('published');
		expect(await db().select().from(jobs)).toHaveLength(0);
		await linkIdeaToMeasure(w.member, w.network.id, idea.id, { measureId: open.id });
		const mail = (await db().select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map((j) => j.payload as { to: string; text: string }).find((m) => m.to === w.author.email);
		expect(mail?.text).toContain('Radwege');
	});

	it('an idea whose measure later became internal shows no details to visitors; a coordinator reopens', async () => {
		const w = await world();
		const idea = await published(w);
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-7', title: 'Interne Planung', isPublic: 'on' });
		await linkIdeaToMeasure(w.member, w.network.id, idea.id, { measureId: m.id });
		await updateMeasure(w.member, w.network.id, m.id, measureInput({ code: 'M-7', title: 'Interne Planung' }));
		const page = await getIdea(VISITOR, w.network.id, idea.id);
		expect(page.state).toBe('measure');
		// Not even its id: the page data would carry it to the browser.
		expect(page.measure).toEqual({ id: '', code: '', title: '', status: '', progress: 0, isPublic: false });
		expect((await getIdea(w.member, w.network.id, idea.id)).measure).toMatchObject({ id: m.id, title: 'Interne Planung' });
		expect(availableActions(w.member, await (async () => (await db().select().from(ideas).where(eq(ideas.id, idea.id)))[0])())).toEqual([]);
		expect(await fieldErrors(reopenIdea(w.member, w.network.id, idea.id))).toEqual({ _form: 'ideas.mod.notAllowed' });
		const reopened = await reopenIdea(w.coordinator, w.network.id, idea.id);
		expect(reopened).toMatchObject({ state: 'published', measureId: null });
	});
});

describe('moderation permissions', () => {
	const roles = ['coordinator', 'member', 'otherMember', 'partner', 'citizen', 'visitor'] as const;
	const may: Record<(typeof roles)[number], boolean> = { coordinator: true, member: true, otherMember: false, partner: false, citizen: false, visitor: false };
	const who = (w: World, r: (typeof roles)[number]) => (r === 'visitor' ? VISITOR : w[r]);

	it.each(roles)('%s publishes an idea of the town: as the table says', async (role) => {
		const w = await world();
		const idea = await submit(w);
		const p = publishIdea(who(w, role), w.network.id, idea.id);
		if (may[role]) await expect(p).resolves.toMatchObject({ state: 'published' });
		else await expect(p).rejects.toThrow(ForbiddenError);
	});

	it.each(roles)('%s sees the queue of the town: as the table says', async (role) => {
		const w = await world();
		await submit(w);
		const actor = who(w, role);
		if (role === 'otherMember') {
			// Has a queue, but only of their own town.
			expect((await listQueue(actor, w.network.id, { state: 'pending', bodyId: null })).total).toBe(0);
			expect((await queueCounts(actor, w.network.id)).pending).toBe(0);
		} else if (may[role]) {
			expect((await listQueue(actor, w.network.id, { state: 'pending', bodyId: null })).total).toBe(1);
			expect((await queueCounts(actor, w.network.id)).pending).toBe(1);
		} else {
			await expect(listQueue(actor, w.network.id, { state: 'pending', bodyId: null })).rejects.toThrow(ForbiddenError);
		}
	});

	it('a coordinator of another network cannot moderate (404: the idea is not in their network)', async () => {
		const w = await world();
		const idea = await submit(w);
		const elsewhere = await makeNetwork();
		const coord = await makeActor(elsewhere.id, 'coordinator');
		await expect(publishIdea(coord, elsewhere.id, idea.id)).rejects.toThrow(NotFoundError);
		await expect(publishIdea(coord, w.network.id, idea.id)).rejects.toThrow(ForbiddenError);
	});
});

describe('queue', () => {
	it('pages and filters by state and town', async () => {
		const w = await world();
		for (let i = 0; i < 3; i++) await submit(w, { title: `Idee ${i}` });
		const page1 = await listQueue(w.coordinator, w.network.id, { state: 'pending', bodyId: w.town.id }, { pageSize: 2 });
		expect(page1).toMatchObject({ total: 3, page: 1 });
		expect(page1.items).toHaveLength(2);
		expect((await listQueue(w.coordinator, w.network.id, { state: 'pending', bodyId: w.other.id })).total).toBe(0);
		expect((await listQueue(w.coordinator, w.network.id, { state: 'published', bodyId: null })).total).toBe(0);
	});
});
