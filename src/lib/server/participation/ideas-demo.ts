// Demo ideas of the Harz network: residents and a school class write about several towns; the demo
// coordinator moderates them into every state (one becomes Halberstadt's existing bicycle-parking
// measure H-5); some residents support them. Everything goes through the module's services, so the
// rules, audit entries and mails are the real ones. Each text says it is invented demo data.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, measures, users } from '../db/schema';
import { loadActor, type Actor } from '../auth/actor';
import { rateLimits } from '../auth/schema';
import { citizenProfiles, ideas } from './schema';
import { CONSENT_TEXT, CONSENT_VERSION } from './profiles';
import { submitIdea } from './ideas';
import { linkIdeaToMeasure, mergeIdea, publishIdea, rejectIdea } from './moderation';
import { supportIdea } from './supports';

const DEMO_NOTE = '_Beispiel aus der Demo-Installation: Diese Idee ist erfunden._';

interface DemoAuthor {
	key: string;
	email: string;
	name: string;
	kind?: 'person' | 'group';
	organisation?: string;
	groupSize?: number;
}

const AUTHORS: DemoAuthor[] = [
	{ key: 'anna', email: 'anna.schulz@demo.klimanetz.example', name: 'Anna Schulz' },
	{ key: 'horst', email: 'horst.krueger@demo.klimanetz.example', name: 'Horst Krüger' },
	{ key: 'leyla', email: 'leyla.yilmaz@demo.klimanetz.example', name: 'Leyla Yilmaz' },
	{ key: 'klasse', email: 'klasse4b.thale@demo.klimanetz.example', name: 'Klasse 4b', kind: 'group', organisation: 'Grundschule Thale (Demo)', groupSize: 23 }
];

type State = 'pending' | 'published' | 'rejected' | 'merged' | 'measure';

interface DemoIdea {
	key: string;
	author: string;
	ags: string;
	theme: string;
	title: string;
	body: string;
	place?: string;
	point?: [number, number];
	state: State;
	reason?: string;
	mergeInto?: string;
	/** Code of an existing measure of the same town. */
	measure?: string;
	supporters?: string[];
}

const IDEAS: DemoIdea[] = [
	{
		key: 'fahrrad',
		author: 'horst',
		ags: '15085135',
		theme: 'mobility',
		title: 'Überdachte Fahrradbügel am Bahnhof Halberstadt',
		body: 'Am Bahnhof stehen die Räder an Laternen und Zäunen. Überdachte Bügel, an denen man den Rahmen anschließen kann, würden mehr Menschen aufs Rad bringen – ich pendle täglich nach Magdeburg.',
		place: 'Bahnhofsvorplatz Halberstadt',
		point: [51.8975, 11.0653],
		state: 'measure',
		measure: 'H-5',
		supporters: ['anna', 'leyla']
	},
	{
		key: 'schulhof',
		author: 'klasse',
		ags: '15085235',
		theme: 'adaptation',
		title: 'Mehr Bäume und Schatten auf unserem Schulhof',
		body: 'Im Sommer ist es auf dem Schulhof sehr heiß. Wir wünschen uns Bäume, eine Wasserstelle und ein Sonnensegel über dem Sandkasten. Wir helfen gern beim Pflanzen und Gießen!',
		place: 'Schulhof der Grundschule',
		state: 'published',
		supporters: ['anna', 'horst', 'leyla']
	},
	{
		key: 'repair',
		author: 'leyla',
		ags: '15085370',
		theme: 'economy',
		title: 'Repair-Café in der Stadtbibliothek',
		body: 'Einmal im Monat reparieren Freiwillige mit Besucherinnen und Besuchern Toaster, Lampen und Fahrräder. Das spart Geld und Abfall. Die Bibliothek hätte samstags einen Raum frei.',
		place: 'Stadtbibliothek Wernigerode',
		state: 'published',
		supporters: ['horst']
	},
	{
		key: 'bank',
		author: 'anna',
		ags: '15085370',
		theme: 'mobility',
		title: 'Mitfahrbank am Ortsausgang Richtung Ilsenburg',
		body: 'Eine Mitfahrbank, auf der man zeigt, wohin man möchte. So kommen Ältere ohne Auto in den nächsten Ort, und die Autos fahren nicht halb leer.',
		place: 'Ortsausgang Wernigerode, Ilsenburger Straße',
		point: [51.8441, 10.7606],
		state: 'published'
	},
	{
		key: 'bank2',
		author: 'horst',
		ags: '15085370',
		theme: 'mobility',
		title: 'Mitfahrbänke für Wernigerode',
		body: 'Wie in Osterwieck könnten auch bei uns Mitfahrbänke an den Ortsausgängen stehen.',
		state: 'merged',
		mergeInto: 'bank'
	},
	{
		key: 'solar',
		author: 'anna',
		ags: '15085055',
		theme: 'energy',
		title: 'Solaranlage auf dem Dach der Turnhalle',
		body: 'Das große Dach der Turnhalle liegt nach Süden. Eine Solaranlage könnte Strom für Schule und Halle liefern. Vielleicht auch als Bürgerprojekt mit Anteilen für Anwohner?',
		place: 'Turnhalle Blankenburg',
		state: 'pending'
	},
	{
		key: 'licht',
		author: 'leyla',
		ags: '15085',
		theme: 'municipal',
		title: 'Nachts weniger Licht an Kreisstraßen',
		body: 'Viele Straßenlaternen an Kreisstraßen brennen die ganze Nacht, auch wo niemand unterwegs ist. Eine Abschaltung zwischen 1 und 4 Uhr oder Bewegungsmelder sparen Strom und schützen Insekten.',
		state: 'pending'
	},
	{
		key: 'parkplatz',
		author: 'horst',
		ags: '15085235',
		theme: 'other',
		title: 'Kostenlose Parkplätze in der ganzen Altstadt',
		body: 'Die Parkgebühren in der Altstadt sind zu hoch. Alle Parkplätze sollten kostenlos sein.',
		state: 'rejected',
		reason: 'Danke für Ihren Vorschlag. Mehr Autoverkehr in der Altstadt passt nicht zu den Zielen des Klimaschutzkonzepts. Ideen für Bus, Rad und Fußwege nehmen wir gern auf.'
	},
	{
		key: 'klasse-rad',
		author: 'klasse',
		ags: '15085235',
		theme: 'participation',
		title: 'Fahrradprüfung mit echtem Verkehrsgarten',
		body: 'Wir üben für die Fahrradprüfung nur auf dem Schulhof. Ein Verkehrsgarten mit Ampel und Zebrastreifen wäre toll, auch für andere Schulen aus dem Harz.',
		state: 'published',
		supporters: ['leyla']
	}
];

async function demoCitizen(a: DemoAuthor): Promise<Actor> {
	let [u] = await db()
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.email, a.email), isNull(users.deletedAt)));
	if (!u) {
		const id = randomUUID();
		await db().insert(users).values({ id, email: a.email, name: a.name, emailVerified: true });
		u = { id };
	}
	await db()
		.insert(citizenProfiles)
		.values({
			userId: u.id,
			kind: a.kind ?? 'person',
			organisation: a.organisation ?? '',
			groupSize: a.groupSize ?? null,
			consentVersion: CONSENT_VERSION,
			consentText: CONSENT_TEXT,
			consentedAt: new Date()
		})
		.onConflictDoNothing();
	return loadActor(u.id);
}

/** Loads the demo ideas into a network; skipped when the network has ideas already. */
export async function seedIdeasDemo(actor: Actor, networkId: string): Promise<void> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(ideas).where(eq(ideas.networkId, networkId));
	if (n > 0) return;
	const bodyRows = await db().select({ id: bodies.id, ags: bodies.ags }).from(bodies).where(eq(bodies.networkId, networkId));
	const bodyId = new Map(bodyRows.map((b) => [b.ags, b.id]));
	const people = new Map<string, Actor>();
	for (const a of AUTHORS) people.set(a.key, await demoCitizen(a));
	const ip = { ip: 'demo-seed' };
	const made = new Map<string, string>();

	for (const d of IDEAS) {
		const body = bodyId.get(d.ags);
		if (!body) continue;
		const author = people.get(d.author)!;
		const idea = await submitIdea(
			author,
			networkId,
			{
				title: d.title,
				body: `${d.body}\n\n${DEMO_NOTE}`,
				theme: d.theme,
				bodyId: body,
				locationText: d.place ?? '',
				lat: d.point ? String(d.point[0]) : '',
				lng: d.point ? String(d.point[1]) : ''
			},
			null,
			ip
		);
		made.set(d.key, idea.id);
		if (d.state === 'pending') continue;
		if (d.state === 'rejected') {
			await rejectIdea(actor, networkId, idea.id, { reason: d.reason });
			continue;
		}
		await publishIdea(actor, networkId, idea.id);
		for (const s of d.supporters ?? []) await supportIdea(people.get(s)!, networkId, idea.id, ip);
		if (d.state === 'merged' && d.mergeInto && made.has(d.mergeInto)) {
			await mergeIdea(actor, networkId, idea.id, { targetId: made.get(d.mergeInto) });
		}
		if (d.state === 'measure' && d.measure) {
			const [m] = await db()
				.select({ id: measures.id })
				.from(measures)
				.where(and(eq(measures.networkId, networkId), eq(measures.bodyId, body), eq(measures.code, d.measure)));
			if (m) await linkIdeaToMeasure(actor, networkId, idea.id, { measureId: m.id });
		}
	}
	// The seed's own posts must not count against anybody's hourly limit.
	const keys = ['idea', 'support'].flatMap((k) => [`post:${k}:ip:${ip.ip}`, ...[...people.values()].map((p) => `post:${k}:user:${p.userId}`)]);
	await db().delete(rateLimits).where(inArray(rateLimits.key, keys));
}
