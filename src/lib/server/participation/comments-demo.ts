// Demo comments of the Harz network: the demo residents (made by the ideas demo) talk about a few
// published ideas and public measures, with replies, and a visitor reports one comment so the
// report queue has something to show. Through the real services; each text says it is invented.
import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { measures, users } from '../db/schema';
import { loadActor, VISITOR, type Actor } from '../auth/actor';
import { rateLimits } from '../auth/schema';
import { citizenProfiles, comments, ideas } from './schema';
import { createComment, replyToComment } from './comments';
import { createReport } from './reports';

const NOTE = ' _(Beispiel aus der Demo)_';

interface Post {
	text: string;
	/** Start of the demo account's e-mail ("klasse4b"), where the text only fits that author. */
	by?: string;
}

interface Thread extends Post {
	replies: (string | Post)[];
}

const ON_IDEAS: Thread[][] = [
	[
		{ text: 'Das fände ich sehr gut. Ich fahre jeden Tag mit dem Rad zum Zug und finde oft keinen Platz.', replies: ['Geht mir genauso, besonders im Winter.'] },
		{ text: 'Wichtig wäre auch eine gute Beleuchtung, damit man abends sicher ist.', replies: [] }
	],
	[{ text: 'Gute Idee! Vielleicht kann man Schulen und Vereine mitnehmen.', replies: [{ text: 'Unsere Klasse würde gern mithelfen.', by: 'klasse4b' }] }],
	[{ text: 'Gibt es dazu schon eine Einschätzung der Gemeinde?', replies: [] }]
];

const ON_MEASURES: Thread[][] = [
	[{ text: 'Schön, dass es vorangeht. Wann ist mit dem Abschluss zu rechnen?', replies: ['Das würde mich auch interessieren.'] }],
	[{ text: 'Wird es dazu eine Informationsveranstaltung geben?', replies: [] }]
];

/** Loads the demo comments; skipped when the network has comments, or no demo residents exist. */
export async function seedCommentsDemo(networkId: string): Promise<void> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(comments).where(eq(comments.networkId, networkId));
	if (n > 0) return;
	const residents = await db()
		.select({ id: users.id, email: users.email })
		.from(users)
		.innerJoin(citizenProfiles, eq(citizenProfiles.userId, users.id))
		.where(like(users.email, '%@demo.klimanetz.example'))
		.orderBy(asc(users.email));
	if (residents.length < 2) return;
	const people: Actor[] = [];
	for (const r of residents) people.push(await loadActor(r.id));
	const named = (by: string | undefined) => (by ? people[residents.findIndex((r) => r.email.startsWith(by))] : undefined);

	const ideaRows = await db()
		.select({ id: ideas.id })
		.from(ideas)
		.where(and(eq(ideas.networkId, networkId), inArray(ideas.state, ['published', 'measure'])))
		.orderBy(asc(ideas.publishedAt), asc(ideas.id))
		.limit(ON_IDEAS.length);
	const measureRows = await db()
		.select({ id: measures.id })
		.from(measures)
		.where(and(eq(measures.networkId, networkId), eq(measures.isPublic, true)))
		.orderBy(asc(measures.code), asc(measures.id))
		.limit(ON_MEASURES.length);

	const ctx = { ip: 'demo-seed' };
	let turn = 0;
	const next = (by?: string) => named(by) ?? people[turn++ % people.length];
	let reported: string | null = null;
	const targets = [
		...ideaRows.map((r, i) => ({ type: 'idea' as const, id: r.id, threads: ON_IDEAS[i] })),
		...measureRows.map((r, i) => ({ type: 'measure' as const, id: r.id, threads: ON_MEASURES[i] }))
	];
	for (const t of targets) {
		for (const th of t.threads) {
			const c = await createComment(next(th.by), networkId, { targetType: t.type, targetId: t.id, body: th.text + NOTE }, ctx);
			reported ??= c.id;
			for (const r of th.replies) {
				const post = typeof r === 'string' ? { text: r } : r;
				await replyToComment(next(post.by), networkId, { targetType: t.type, targetId: t.id, parentId: c.id, body: post.text + NOTE }, ctx);
			}
		}
	}
	if (reported) {
		await createReport(VISITOR, networkId, { typ: 'comment', id: reported, reason: 'other', note: 'Testmeldung aus der Demo: bitte prüfen.' }, ctx);
	}
	// The seed's own posts must not count against anybody's hourly limit.
	const keys = ['comment', 'report'].flatMap((k) => [`post:${k}:ip:${ctx.ip}`, ...people.map((p) => `post:${k}:user:${p.userId}`)]);
	await db().delete(rateLimits).where(inArray(rateLimits.key, keys));
}
