import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { VISITOR, type Actor } from '../auth/actor';
import { ValidationError } from '../errors';
import { registerAllRecords } from '../records';
import { registerSearchSource, unregisterSearchSource, searchSources } from './registry';
import { parseSearchQuery, search, PAGE_SIZE, type SearchOptions } from './service';
import { addActivity, addIdea, addMeasure, addMeeting, addOffer, addPerson, addPost, addThread, searchWorld, type SearchWorld } from './testing';

useTestDb();
registerAllRecords();

let w: SearchWorld;
const ids: Record<string, string> = {};

beforeAll(async () => {
	w = await searchWorld();
	const n = w.network.id;
	// Stemming
	ids.forms = (await addMeasure(n, w.town.id, { title: 'Antrag gestellt', description: 'Wir haben Fördermitteln beantragt und die Höhe des Fördermittels geprüft.' })).id;
	ids.pump = (await addMeasure(n, w.town.id, { title: 'Wärmepumpe im Rathaus', isPublic: true })).id;
	// Visibility of measures
	ids.internalMeasure = (await addMeasure(n, w.other.id, { title: 'Geheimprojekt Zauberwort intern' })).id;
	ids.publicMeasure = (await addMeasure(n, w.other.id, { title: 'Zauberwort öffentlich', isPublic: true })).id;
	// Offers, meetings, activities
	ids.offer = (await addOffer(n, { title: 'Zauberwort-Beratung' })).id;
	ids.internalMeeting = (await addMeeting(n, { title: 'Zauberwort-Treffen intern', hostBodyId: w.town.id })).id;
	ids.publicMeeting = (await addMeeting(n, { title: 'Zauberwort-Treffen öffentlich', isPublic: true, hostBodyId: w.other.id, minutes: 'Nur im Protokoll: Schattenwort' })).id;
	ids.internalActivity = (await addActivity(n, { title: 'Zauberwort-Aktion intern', proposerBodyId: w.other.id, participantBodyIds: [w.town.id] })).id;
	ids.publicActivity = (await addActivity(n, { title: 'Zauberwort-Aktion öffentlich', isPublic: true })).id;
	// Ideas in every state
	for (const state of ['pending', 'published', 'rejected', 'merged', 'measure'] as const) {
		ids[`idea_${state}`] = (await addIdea(n, w.town.id, { title: `Zauberwort-Idee ${state}`, state })).id;
	}
	// People and bodies
	ids.person = (await addPerson(n, { name: 'Zauberwort Müller', functionNote: 'Klimaschutzmanagerin', bodyId: w.town.id })).id;
	// Exchange: visible, hidden thread, deleted and hidden posts
	const visible = await addThread(n, w.topic.id, { title: 'Zauberwort in der Diskussion', body: 'Erste Frage' });
	ids.thread = visible.thread.id;
	ids.post = (await addPost(n, visible.thread.id, { body: 'Antwort mit Zauberwort darin' })).id;
	ids.deletedPost = (await addPost(n, visible.thread.id, { body: 'Gelöschtes Zauberwort', deleted: true })).id;
	ids.hiddenPost = (await addPost(n, visible.thread.id, { body: 'Verborgenes Zauberwort', hidden: true })).id;
	const hidden = await addThread(n, w.topic.id, { title: 'Verborgene Zauberwort-Diskussion', body: 'Zauberwort im verborgenen Faden', hidden: true });
	ids.hiddenThread = hidden.thread.id;
	ids.postOfHiddenThread = hidden.opening.id;
	// Another network with the same words
	const f = w.foreign.id;
	await addMeasure(f, w.foreignTown.id, { title: 'Zauberwort fremd', isPublic: true });
	await addOffer(f, { title: 'Zauberwort fremd' });
	await addIdea(f, w.foreignTown.id, { title: 'Zauberwort fremd' });
	await addPerson(f, { name: 'Zauberwort Fremd' });
	const ft = await addThread(f, w.foreignTopic.id, { title: 'Zauberwort fremd', body: 'Zauberwort fremd' });
	ids.foreignThread = ft.thread.id;
});

const run = (actor: Actor, opts: Partial<SearchOptions> & { q: string }, network?: string) => search(actor, network ?? w.network.slug, opts);
const kindsOf = async (actor: Actor, q: string, opts: Omit<Partial<SearchOptions>, 'q'> = {}) => {
	const r = await run(actor, { q, ...opts });
	return r.hits.map((h) => `${h.kind}:${h.title}`).sort();
};
const idsOf = async (actor: Actor, q: string) => (await run(actor, { q })).hits.map((h) => h.id);

describe('query validation', () => {
	const message = (q: string | null) => {
		try {
			parseSearchQuery(q);
		} catch (e) {
			if (e instanceof ValidationError) return e.fieldErrors.q;
			throw e;
		}
		return null;
	};

	it.each([
		['', 'search.error.empty'],
		['   ', 'search.error.empty'],
		[null, 'search.error.empty'],
		['x'.repeat(2000), 'search.error.tooLong'],
		['&&&', 'search.error.noWord'],
		['a & b', 'search.error.noWord']
	])('%j → %s', (q, key) => {
		expect(message(q as string | null)).toBe(key);
	});

	it('turns words into German stem prefixes and drops every operator', () => {
		expect(parseSearchQuery(`'" OR 1=1 --`)).toBe('OR:*');
		expect(parseSearchQuery('Wärmepumpe & !Förderung | (x)')).toBe('Wärmepumpe:* & Förderung:*');
	});

	it('answers bad queries with their message, not an error, and queries nothing', async () => {
		for (const [q, key] of [
			['', 'search.error.empty'],
			['&&&', 'search.error.noWord'],
			['x'.repeat(2000), 'search.error.tooLong']
		]) {
			await expect(run(w.coordinator, { q })).rejects.toMatchObject({ fieldErrors: { q: key } });
		}
	});

	it("searches `'\" OR 1=1 --` as words: no error, nothing leaks", async () => {
		const r = await run(w.coordinator, { q: `'" OR 1=1 --` });
		expect(r.total).toBe(r.hits.length);
		expect(r.hits.every((h) => /\bor/i.test(h.title + h.snippetHtml))).toBe(true);
		// The tables are all still there.
		expect((await run(w.coordinator, { q: 'Zauberwort' })).total).toBeGreaterThan(5);
	});
});

describe('stemming (German configuration)', () => {
	it('"Fördermittel" finds "Fördermitteln" and "Fördermittels"', async () => {
		const r = await run(w.coordinator, { q: 'Fördermittel' });
		expect(r.hits.map((h) => h.id)).toContain(ids.forms);
		expect(r.hits.find((h) => h.id === ids.forms)!.snippetHtml).toMatch(/<mark>Fördermitteln<\/mark>.*<mark>Fördermittels<\/mark>/);
	});

	it('"Wärmepumpen" finds "Wärmepumpe", a word prefix finds the whole word', async () => {
		expect(await idsOf(w.coordinator, 'Wärmepumpen')).toContain(ids.pump);
		expect(await idsOf(w.coordinator, 'Wärmepu')).toContain(ids.pump);
		expect(await idsOf(w.coordinator, 'wärmepumpe rathaus')).toEqual([ids.pump]);
	});
});

describe('visibility', () => {
	const all = [
		'activity:Zauberwort-Aktion intern',
		'activity:Zauberwort-Aktion öffentlich',
		'idea:Zauberwort-Idee measure',
		'idea:Zauberwort-Idee merged',
		'idea:Zauberwort-Idee published',
		'measure:Geheimprojekt Zauberwort intern',
		'measure:Zauberwort öffentlich',
		'meeting:Zauberwort-Treffen intern',
		'meeting:Zauberwort-Treffen öffentlich',
		'offer:Zauberwort-Beratung',
		'person:Zauberwort Müller',
		'post:Zauberwort in der Diskussion',
		'thread:Zauberwort in der Diskussion'
	];
	const publicOnly = [
		'activity:Zauberwort-Aktion öffentlich',
		'idea:Zauberwort-Idee measure',
		'idea:Zauberwort-Idee merged',
		'idea:Zauberwort-Idee published',
		'measure:Zauberwort öffentlich',
		'meeting:Zauberwort-Treffen öffentlich'
	];

	it.each([
		['coordinator', all],
		['member', all],
		['partner', all],
		['citizen', publicOnly],
		['visitor', publicOnly],
		['coordinator of another network', publicOnly]
	])('%s sees exactly what they may open', async (who, expected) => {
		const actor = { coordinator: w.coordinator, member: w.member, partner: w.partner, citizen: w.citizen, visitor: VISITOR, 'coordinator of another network': w.foreignCoordinator }[who]!;
		expect(await kindsOf(actor, 'Zauberwort')).toEqual(expected);
	});

	it('never finds hidden threads, posts of hidden threads, deleted or hidden posts – not even as coordinator', async () => {
		const found = await idsOf(w.coordinator, 'Zauberwort');
		for (const id of [ids.hiddenThread, ids.postOfHiddenThread, ids.deletedPost, ids.hiddenPost]) expect(found).not.toContain(id);
		expect(found).toContain(ids.thread);
		expect(found).toContain(ids.post);
	});

	it('never finds pending or rejected ideas', async () => {
		const found = await idsOf(w.coordinator, 'Zauberwort Idee');
		expect(found).not.toContain(ids.idea_pending);
		expect(found).not.toContain(ids.idea_rejected);
		expect(found).toContain(ids.idea_published);
	});

	it('counts only what the actor may see', async () => {
		const r = await run(VISITOR, { q: 'Zauberwort' });
		expect(r.total).toBe(publicOnly.length);
		expect(Object.fromEntries(r.counts.map((c) => [c.kind, c.count]))).toEqual({ measure: 1, meeting: 1, activity: 1, body: 0, idea: 3 });
		const c = await run(w.partner, { q: 'Zauberwort' });
		expect(Object.fromEntries(c.counts.map((x) => [x.kind, x.count]))).toMatchObject({ measure: 2, offer: 1, thread: 1, post: 1, person: 1, idea: 3 });
	});

	it('keeps the internal minutes of a public meeting out of the visitors\' search', async () => {
		expect(await idsOf(w.member, 'Schattenwort')).toEqual([ids.publicMeeting]);
		expect(await idsOf(VISITOR, 'Schattenwort')).toEqual([]);
		const visitorHit = (await run(VISITOR, { q: 'Zauberwort Treffen' })).hits[0];
		expect(visitorHit.snippetHtml).not.toContain('Protokoll');
	});

	it('isolates networks: the other network\'s rows never show, its own coordinator sees only its own', async () => {
		const mine = await run(w.coordinator, { q: 'fremd' });
		expect(mine.total).toBe(0);
		const theirs = await run(w.foreignCoordinator, { q: 'Zauberwort' }, w.foreign.slug);
		expect(theirs.hits.every((h) => /fremd/i.test(h.title))).toBe(true);
		expect(theirs.hits.map((h) => h.kind).sort()).toEqual(['idea', 'measure', 'offer', 'person', 'post', 'thread']);
		// Searching the foreign network by id as our coordinator: only its public rows.
		expect((await run(w.coordinator, { q: 'Zauberwort' }, w.foreign.id)).hits.map((h) => h.kind).sort()).toEqual(['idea', 'measure']);
	});

	it('links the working area for its people and the portal for everyone else', async () => {
		const slug = w.network.slug;
		const inside = (await run(w.member, { q: 'Zauberwort' })).hits;
		const href = (kind: string, hits = inside) => hits.find((h) => h.kind === kind)!.href;
		expect(href('post')).toBe(`/${slug}/intern/austausch/diskussionen/${ids.thread}?beitrag=${ids.post}#beitrag-${ids.post}`);
		expect(href('thread')).toBe(`/${slug}/intern/austausch/diskussionen/${ids.thread}`);
		expect(href('offer')).toBe(`/${slug}/intern/angebote/${ids.offer}`);
		expect(href('person')).toBe(`/${slug}/intern/personen/${ids.person}`);
		expect(inside.find((h) => h.id === ids.publicMeasure)!.href).toBe(`/${slug}/intern/massnahmen/${ids.publicMeasure}`);
		const outside = (await run(VISITOR, { q: 'Zauberwort' })).hits;
		expect(href('measure', outside)).toBe(`/${slug}/massnahmen/${ids.publicMeasure}`);
		expect(href('meeting', outside)).toBe(`/${slug}/treffen/${ids.publicMeeting}`);
		expect(href('activity', outside)).toBe(`/${slug}/aktivitaeten/${ids.publicActivity}`);
		expect(outside.find((h) => h.id === ids.idea_published)!.href).toBe(`/${slug}/ideen/${ids.idea_published}`);
		const body = (await run(VISITOR, { q: 'Wernigerode' })).hits.find((h) => h.kind === 'body')!;
		expect(body.href).toBe(`/${slug}/kommunen/${w.town.ags}`);
	});
});

describe('ranking, pagination and filters', () => {
	it('puts a title match above a body match', async () => {
		const n = w.network.id;
		const { thread } = await addThread(n, w.topic.id, { title: 'Balkonkraftwerk im Mietshaus', body: 'Frage' });
		const { thread: t2 } = await addThread(n, w.topic.id, { title: 'Sonstiges', body: 'Frage' });
		const answer = await addPost(n, t2.id, { body: 'Ein Balkonkraftwerk, noch ein Balkonkraftwerk und ein drittes Balkonkraftwerk.', createdAt: new Date() });
		const hits = (await run(w.member, { q: 'Balkonkraftwerk' })).hits.map((h) => h.id);
		expect(hits).toEqual([thread.id, answer.id]);
	});

	it('pages by 20 without repeating or skipping, with the total and per-kind counts', async () => {
		const n = w.network.id;
		const { thread } = await addThread(n, w.topic.id, { title: 'Seitenzahl', body: 'Frage' });
		const made = new Set<string>();
		for (let i = 0; i < 45; i++) made.add((await addPost(n, thread.id, { body: `Beitrag Nummer ${i} über Blätterwerk`, createdAt: new Date(Date.UTC(2024, 0, 1, 0, i)) })).id);
		const seen: string[] = [];
		for (const page of [1, 2, 3]) {
			const r = await run(w.member, { q: 'Blätterwerk', page });
			expect(r.total).toBe(45);
			expect(r.pageSize).toBe(PAGE_SIZE);
			expect(r.counts.find((c) => c.kind === 'post')!.count).toBe(45);
			expect(r.hits.length).toBe(page < 3 ? 20 : 5);
			seen.push(...r.hits.map((h) => h.id));
		}
		expect(new Set(seen)).toEqual(made);
		// Equal rank: newer first.
		const first = (await run(w.member, { q: 'Blätterwerk' })).hits[0];
		expect(first.snippetHtml).toContain('Nummer 44');
		// Beyond the last page: no rows, the total still right.
		expect(await run(w.member, { q: 'Blätterwerk', page: 9 })).toMatchObject({ hits: [], total: 45 });
	});

	it('filters by kind; the counts still show every kind', async () => {
		const r = await run(w.member, { q: 'Zauberwort', kinds: ['meeting', 'activity', 'nonsense'] });
		expect(r.kinds.sort()).toEqual(['activity', 'meeting']);
		expect(r.hits.map((h) => h.kind).sort()).toEqual(['activity', 'activity', 'meeting', 'meeting']);
		expect(r.total).toBe(4);
		expect(r.counts.find((c) => c.kind === 'offer')!.count).toBe(1);
		// Only unknown kinds: all kinds.
		expect((await run(w.member, { q: 'Zauberwort', kinds: ['nonsense'] })).total).toBe(13);
	});

	it('filters by municipality; kinds without one drop out and are named', async () => {
		const r = await run(w.member, { q: 'Zauberwort', bodyId: w.town.id });
		expect(r.hits.map((h) => `${h.kind}:${h.title}`).sort()).toEqual([
			// Activities: the proposer or a participating town.
			'activity:Zauberwort-Aktion intern',
			'idea:Zauberwort-Idee measure',
			'idea:Zauberwort-Idee merged',
			'idea:Zauberwort-Idee published',
			'meeting:Zauberwort-Treffen intern',
			'person:Zauberwort Müller'
		]);
		expect(r.hits.every((h) => h.bodyId === w.town.id || h.kind === 'activity')).toBe(true);
		expect(r.hits.find((h) => h.kind === 'meeting')!.bodyName).toBe('Wernigerode');
		expect(r.withoutBody.map((k) => k.kind).sort()).toEqual(['offer', 'post', 'thread']);
		expect(r.counts.map((c) => c.kind)).not.toContain('offer');
		// A visitor is not told about kinds they could not see anyway.
		expect((await run(VISITOR, { q: 'Zauberwort', bodyId: w.town.id })).withoutBody).toEqual([]);
		// Another network's municipality finds nothing here; a malformed id is ignored.
		expect((await run(w.member, { q: 'Zauberwort', bodyId: w.foreignTown.id })).total).toBe(0);
		expect((await run(w.member, { q: 'Zauberwort', bodyId: 'x; drop table bodies' })).total).toBe(13);
	});

	it('finds municipalities by name (also for visitors)', async () => {
		const r = await run(VISITOR, { q: 'Halberstadt' });
		expect(r.hits.map((h) => [h.kind, h.id])).toEqual([['body', w.other.id]]);
	});
});

describe('snippets', () => {
	it('escapes the text and marks only the hit', async () => {
		const { thread } = await addThread(w.network.id, w.topic.id, { title: 'Sicherheit', body: 'Frage' });
		await addPost(w.network.id, thread.id, { body: 'Vorsicht <script>alert(1)</script> & "Tom" <3 beim Knallfrosch-Test <b>fett</b>' });
		const [hit] = (await run(w.member, { q: 'Knallfrosch' })).hits;
		expect(hit.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
		expect(hit.snippetHtml).toContain('&amp;');
		expect(hit.snippetHtml).toContain('&quot;Tom&quot;');
		expect(hit.snippetHtml).toContain('&lt;3');
		expect(hit.snippetHtml.match(/<mark>[^<]*<\/mark>/g)).toEqual(['<mark>Knallfrosch</mark>']);
	});

	it('cannot be given marks by the text itself', async () => {
		const { thread } = await addThread(w.network.id, w.topic.id, { title: 'Marker', body: 'Frage' });
		await addPost(w.network.id, thread.id, { body: 'Ein \u0001Trick\u0002 mit Steuerzeichen und Murmeltier' });
		const [hit] = (await run(w.member, { q: 'Murmeltier' })).hits;
		expect(hit.snippetHtml).toBe('Ein Trick mit Steuerzeichen und <mark>Murmeltier</mark>');
	});

	it('reads Markdown as text', async () => {
		await addMeasure(w.network.id, w.town.id, { title: 'Markdown', description: '## Ziel\n\n**Fett** und [ein Link](https://example.org) zum _Gründach_.' });
		const hit = (await run(w.member, { q: 'Gründach' })).hits[0];
		expect(hit.snippetHtml).toBe('Ziel Fett und ein Link zum <mark>Gründach</mark>');
	});
});

describe('registry', () => {
	afterAll(() => unregisterSearchSource('test-note'));

	it('takes a new source without touching the service', async () => {
		registerSearchSource({
			kind: 'test-note',
			labelKey: 'search.kind.post',
			byBody: false,
			select: ({ query, networkId }) => ({
				columns: {
					id: sql`'11111111-2222-4333-8444-555555555555'`,
					title: sql`'Testnotiz'`,
					text: sql`'Eine Notiz über Seeadler'`,
					rank: sql`ts_rank_cd(to_tsvector('german', 'Seeadler'), ${query})`,
					bodyId: null,
					at: sql`now()`
				},
				from: sql`from (select 1) x where to_tsvector('german', 'Seeadler') @@ ${query} and ${networkId}::uuid is not null`
			}),
			href: ({ id }, { slug }) => `/${slug}/notiz/${id}`
		});
		expect(searchSources().map((s) => s.kind)).toContain('test-note');
		const r = await run(w.member, { q: 'Seeadler' });
		expect(r.hits).toEqual([
			expect.objectContaining({ kind: 'test-note', title: 'Testnotiz', href: `/${w.network.slug}/notiz/11111111-2222-4333-8444-555555555555`, snippetHtml: 'Eine Notiz über <mark>Seeadler</mark>' })
		]);
		expect(r.counts.find((c) => c.kind === 'test-note')!.count).toBe(1);
	});

});
