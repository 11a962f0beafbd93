// Demo data of the exchange for the Harz demo network: the default topics and four discussions of
// the demo accounts the meetings demo creates (network/demo/accounts.ts: invented people, "(Demo)",
// @demo.klimanetz.example), entered through the services (so follows, mentions and counts are as
// for real input), backdated a few weeks, marked as demo data. One answer is marked as helpful, one
// reply mentions a colleague. No real person's words. Demo threads raise no notifications (see
// notifyPost), so loading the demo mails nobody. Idempotent: skipped when the network has threads.
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { db } from '../db/client';
import { memberships, users } from '../db/schema';
import { loadActor, type Actor } from '../auth/actor';
import { exchangeThreads, exchangeTopics } from './schema';
import { DEFAULT_TOPICS, seedDefaultTopics } from './topics';
import { createThread, markAnswer } from './threads';
import { replyToThread } from './posts';
import { DEMO_MEMBERS } from '../network/demo/accounts';

interface DemoThread {
	topic: string;
	title: string;
	/** Key of the asker ('coord': the demo coordinator). */
	by: string;
	body: string;
	/** Days before loading. */
	daysAgo: number;
	replies: { by: string; body: string; hoursLater: number }[];
	/** Index of the reply the asker marks as helpful. */
	answer?: number;
}

const NOTE = '\n\n_Beispieldaten der Demo-Installation._';

const THREADS: DemoThread[] = [
	{
		topic: 'Energie',
		title: 'Erfahrungen mit PV auf denkmalgeschützten Dächern?',
		by: 'qlb',
		daysAgo: 24,
		body:
			'In der Altstadt liegen mehrere unserer Verwaltungsgebäude im Denkmalbereich. Die Denkmalschutzbehörde hat bei einer ersten Anfrage Bedenken geäußert.\n\n' +
			'Hat jemand schon eine Genehmigung für PV auf einem denkmalgeschützten Dach bekommen? Mich interessiert vor allem, welche Unterlagen verlangt wurden (Sichtachsen, Modulfarbe, Montage).' +
			NOTE,
		replies: [
			{
				by: 'thale',
				hoursLater: 5,
				body:
					'Wir hatten das beim Bauhof. Genehmigt wurde es mit **roten Indach-Modulen** auf der Hofseite, nicht von der Straße aus sichtbar. Verlangt wurden eine Fotodokumentation, Visualisierungen aus drei Blickrichtungen und das Datenblatt der Module.\n\n' +
					'Tipp: vorher einen Ortstermin mit der Behörde vereinbaren, das hat viel abgekürzt.'
			},
			{ by: 'lena', hoursLater: 30, body: 'Das Land hat dazu eine Handreichung zu Solaranlagen an Denkmalen herausgegeben. Ich bringe sie zum nächsten Treffen mit und lade sie hier hoch.' },
			{ by: 'qlb', hoursLater: 52, body: 'Danke, das hilft sehr. Den Ortstermin haben wir jetzt angefragt.' }
		],
		answer: 0
	},
	{
		topic: 'Förderung',
		title: 'Wer hat schon einen Förderantrag für Klimaschutzmanagement-Anschlussvorhaben gestellt?',
		by: 'ow',
		daysAgo: 16,
		body:
			'Unser Erstvorhaben läuft im nächsten Jahr aus. Für das Anschlussvorhaben brauchen wir den Ratsbeschluss zum Konzept und eine Darstellung, was bisher umgesetzt wurde.\n\n' +
			'Wie ausführlich habt ihr den Umsetzungsstand beschrieben? Und wie lange hat die Bewilligung gedauert?' +
			NOTE,
		replies: [
			{
				by: 'hbs',
				hoursLater: 20,
				body: 'Wir haben eine Tabelle aller Maßnahmen mit Stand und nächsten Schritten beigelegt, etwa zehn Seiten. Die Bewilligung kam nach gut vier Monaten. Wichtig: den Antrag rechtzeitig vor Ende des Erstvorhabens stellen, damit keine Lücke bei der Stelle entsteht.'
			},
			{ by: 'lk', hoursLater: 26, body: 'Der Landkreis stellt gerade auch den Antrag. Gern stimmen wir uns bei den Zeitplänen ab.' }
		]
	},
	{
		topic: 'Gebäude und Wärme',
		title: 'Wärmeplanung: Ausschreibung gemeinsam mit Nachbarkommunen?',
		by: 'wr',
		daysAgo: 9,
		body:
			'Für die kommunale Wärmeplanung überlegen wir, mit zwei kleineren Nachbargemeinden gemeinsam auszuschreiben. Spricht aus eurer Sicht etwas dagegen?\n\n' +
			'Offen ist für uns vor allem, wie die Kosten aufgeteilt werden und wer die Vergabe führt.' +
			NOTE,
		replies: [
			{
				by: 'hbs',
				hoursLater: 8,
				body: 'Wir haben gemeinsam mit einer Nachbargemeinde ausgeschrieben, Kostenaufteilung nach Einwohnern. Die Vergabe lief über uns als größere Verwaltung. @Miriam Koch (Demo) hat dazu die Vereinbarung entworfen, vielleicht kann sie sie teilen?'
			},
			{ by: 'qlb', hoursLater: 27, body: 'Mache ich gern. Die Vereinbarung ist kurz: Federführung, Kostenschlüssel, Abstimmung der Zwischenergebnisse.' }
		]
	},
	{
		topic: 'Mobilität',
		title: 'Dienstfahrräder für die Verwaltung: Leasing oder Kauf?',
		by: 'coord',
		daysAgo: 3,
		body: 'Mehrere Kommunen haben nach Dienstfahrrädern gefragt. Wer hat Erfahrungen mit Leasing über den Arbeitgeber, wer hat gekauft, und wie wird die Wartung organisiert?' + NOTE,
		replies: [{ by: 'ow', hoursLater: 6, body: 'Wir haben zwei Pedelecs gekauft, die Wartung macht ein Fahrradhändler vor Ort im Rahmen eines Jahresvertrags.' }]
	}
];

export interface ExchangeDemoSummary {
	skipped: boolean;
	topics: number;
	threads: number;
	replies: number;
}

/** The demo accounts that are in the network's working area, by key. */
async function demoActors(networkId: string): Promise<Map<string, Actor>> {
	const rows = await db()
		.select({ id: users.id, email: users.email })
		.from(users)
		.innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.networkId, networkId)))
		.where(and(inArray(users.email, DEMO_MEMBERS.map((d) => d.email)), isNull(users.deletedAt)));
	const out = new Map<string, Actor>();
	for (const { key, email } of DEMO_MEMBERS) {
		const row = rows.find((r) => r.email === email);
		if (row) out.set(key, await loadActor(row.id));
	}
	return out;
}

/**
 * Seeds the default topics (if the network has none) and the demo discussions, as the demo accounts
 * (the coordinator stands in for an account that is missing). Skipped when the network has threads.
 */
export async function seedExchangeDemo(coordinator: Actor, networkId: string, now: Date = new Date()): Promise<ExchangeDemoSummary> {
	const topics = await db().transaction((tx) => seedDefaultTopics(tx, coordinator, networkId));
	const [{ n }] = await db().select({ n: count() }).from(exchangeThreads).where(eq(exchangeThreads.networkId, networkId));
	if (Number(n) > 0) return { skipped: true, topics, threads: 0, replies: 0 };
	const people = await demoActors(networkId);
	const who = (key: string) => (key === 'coord' ? coordinator : (people.get(key) ?? coordinator));
	const topicRows = await db().select({ id: exchangeTopics.id, title: exchangeTopics.title }).from(exchangeTopics).where(eq(exchangeTopics.networkId, networkId));
	let threads = 0;
	let replies = 0;
	for (const d of THREADS) {
		// A coordinator who renamed the default topics: the demo goes to the first one.
		const topic = topicRows.find((t) => t.title === d.topic) ?? topicRows.find((t) => DEFAULT_TOPICS.some((x) => x.title === t.title)) ?? topicRows[0];
		if (!topic) break;
		const start = new Date(now.getTime() - d.daysAgo * 86_400_000);
		const asker = who(d.by);
		const { thread } = await createThread(asker, networkId, { topicId: topic.id, title: d.title, body: d.body }, { isDemo: true, at: start });
		threads++;
		const ids: string[] = [];
		for (const r of d.replies) {
			const post = await replyToThread(who(r.by), networkId, thread.id, { body: r.body }, { at: new Date(start.getTime() + r.hoursLater * 3_600_000) });
			ids.push(post.id);
			replies++;
		}
		if (d.answer !== undefined) await markAnswer(asker, networkId, thread.id, ids[d.answer]);
	}
	return { skipped: false, topics, threads, replies };
}
