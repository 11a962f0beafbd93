// Demo data of the meeting work for the Harz demo network: the 2nd network meeting in Halberstadt
// (April 2026) and the 3rd in the Bunter Hof in Osterwieck (June 2026), both held, with agenda,
// minutes, decisions, follow-ups (some done, some open) and the participants' answers; and the
// next meeting in Quedlinburg (early 2027), planned, invitations not yet sent, its agenda pulling
// in the open follow-ups. Demo accounts with invented names ("(Demo)") answer for their towns.
// Entered through the services where they allow it (meetings, agenda, minutes, follow-ups); the
// answers to past meetings are written directly, as the service (rightly) refuses them now.
// Idempotent: skipped when the network has demo meetings.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, followUps, meetingParticipants, meetings, membershipBodies, memberships, partners, people, users } from '../db/schema';
import { loadActor, type Actor } from '../auth/actor';
import { createMeeting } from './meetings';
import { addAgendaItem, addFollowUpsToAgenda } from './agenda';
import { addDecision, createMeetingFollowUp, saveMinutes } from './minutes';
import { updateFollowUp, type FollowUp } from './follow-ups';
import { answerMeeting } from './answers';
import { berlinDateValue } from './time';
import { DEMO_MEMBERS } from '../network/demo/accounts';

type Answer = 'yes' | 'no' | 'maybe';

interface DemoPerson {
	actor: Actor;
	personId: string;
	bodyId: string | null;
}

async function demoPeople(networkId: string): Promise<Map<string, DemoPerson>> {
	const out = new Map<string, DemoPerson>();
	const bodyRows = await db().select({ id: bodies.id, ags: bodies.ags }).from(bodies).where(eq(bodies.networkId, networkId));
	const byAgs = new Map(bodyRows.map((b) => [b.ags, b.id]));
	const partnerRows = await db().select({ id: partners.id, name: partners.name }).from(partners).where(eq(partners.networkId, networkId));
	for (const d of DEMO_MEMBERS) {
		const bodyId = d.ags ? (byAgs.get(d.ags) ?? null) : null;
		if (d.ags && !bodyId) continue;
		const partnerId = d.partner ? (partnerRows.find((p) => p.name.includes(d.partner!))?.id ?? null) : null;
		let [u] = await db()
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.email, d.email), isNull(users.deletedAt)));
		if (!u) {
			u = { id: randomUUID() };
			await db().insert(users).values({ id: u.id, email: d.email, name: d.name, emailVerified: true });
		}
		const [m] = await db().insert(memberships).values({ networkId, userId: u.id, role: d.role }).onConflictDoNothing().returning();
		if (m && bodyId && d.role === 'member') await db().insert(membershipBodies).values({ membershipId: m.id, bodyId, networkId }).onConflictDoNothing();
		let [p] = await db()
			.select({ id: people.id })
			.from(people)
			.where(and(eq(people.networkId, networkId), eq(people.userId, u.id)));
		if (!p) [p] = await db().insert(people).values({ networkId, userId: u.id, name: d.name, bodyId, partnerId, function: d.role === 'member' ? 'klimaschutzmanager' : 'other' }).returning({ id: people.id });
		out.set(d.key, { actor: await loadActor(u.id), personId: p.id, bodyId });
	}
	return out;
}

/** A fixed Berlin date, moved back a year if it is not yet past (demo seeded early). */
function pastDate(iso: string, now: Date): string {
	return new Date(`${iso}T12:00:00Z`).getTime() < now.getTime() ? iso : `${Number(iso.slice(0, 4)) - 1}${iso.slice(4)}`;
}

/** Early February 2027, or two months ahead when that has passed. */
function upcomingDate(now: Date): string {
	const planned = '2027-02-09';
	return new Date(`${planned}T08:00:00Z`).getTime() > now.getTime() + 7 * 86_400_000 ? planned : berlinDateValue(new Date(now.getTime() + 60 * 86_400_000));
}

const HALBERSTADT_MINUTES = `## Begrüßung
Die Stadt Halberstadt begrüßt das Netzwerk im Rathaus. Elf Teilnehmende aus acht Kommunen, dazu die Landesenergieagentur.

## Kommunale Wärmeplanung
- Halberstadt und Wernigerode haben die Wärmeplanung ausgeschrieben; die anderen Städte bereiten sie vor.
- Die Ausschreibungsunterlagen werden im Netzwerk geteilt, damit nicht jede Kommune von vorn beginnt.

## Förderung
Die Landesenergieagentur stellt die aktuellen Förderaufrufe vor (Kommunalrichtlinie, Landesprogramme). Wichtig: Anträge **vor** Beginn der Maßnahme stellen.

## Stadtradeln 2026
Der Landkreis schlägt eine gemeinsame Teilnahme aller Kommunen vor. Zustimmung im Grundsatz.

## Verschiedenes
Nächstes Treffen im Juni im Bunter Hof in Osterwieck.`;

const OSTERWIECK_MINUTES = `## Begrüßung und Rückblick
Die Stadt Osterwieck begrüßt im Bunter Hof. Die Aufgaben aus Halberstadt sind größtenteils erledigt; die Übersicht der Förderaufrufe steht noch aus.

## Sammelbeschaffung E-Lastenräder
Quedlinburg schlägt vor, E-Lastenräder für Bauhöfe und Verwaltung gemeinsam zu beschaffen. Vor einer Ausschreibung wird der Bedarf der Kommunen abgefragt.

## Energieberatung für Vereine
Osterwieck berichtet von guten Erfahrungen mit Beratungsabenden für Sportvereine. Weitere Kommunen wollen das im Herbst anbieten.

## PV auf kommunalen Dächern
Thale stellt die Potenzialanalyse seiner Dächer vor. Ein Vergleich der Ergebnisse aller Kommunen soll zeigen, wo gemeinsame Ausschreibungen lohnen.

## Nächstes Treffen
Anfang 2027 in Quedlinburg.`;

/**
 * Seeds the demo meetings as the demo coordinator. Skipped when the network already has demo
 * meetings. Returns the number of meetings created.
 */
export async function seedMeetingsDemo(actor: Actor, networkId: string, now: Date = new Date()): Promise<number> {
	const [existing] = await db()
		.select({ id: meetings.id })
		.from(meetings)
		.where(and(eq(meetings.networkId, networkId), eq(meetings.isDemo, true)))
		.limit(1);
	if (existing) return 0;
	const bodyRows = await db().select({ id: bodies.id, ags: bodies.ags }).from(bodies).where(eq(bodies.networkId, networkId));
	const body = (ags: string) => bodyRows.find((b) => b.ags === ags)?.id ?? '';
	const demo = await demoPeople(networkId);
	const person = (key: string) => demo.get(key)?.personId ?? '';
	const opts = { isDemo: true, now };

	const meeting = (input: Record<string, string>) =>
		createMeeting(actor, networkId, { onlineUrl: '', description: '', isPublic: '', reminderDays: '3', ...input }, opts);
	const agenda = async (meetingId: string, items: Record<string, string>[]) => {
		for (const item of items) await addAgendaItem(actor, networkId, meetingId, { presenter: '', presenterText: '', durationMinutes: '', notes: '', refAddress: '', ...item }, { now });
	};
	const answers = async (meetingId: string, list: [string | 'coordinator', Answer, string][]) => {
		const [m] = await db().select({ s: meetings.startsAt, sequence: meetings.sequence }).from(meetings).where(eq(meetings.id, meetingId));
		const when = new Date(m.s.getTime() - 7 * 86_400_000);
		for (const [key, answer, comment] of list) {
			const userId = key === 'coordinator' ? actor.userId : demo.get(key)?.actor.userId;
			if (!userId) continue;
			await db()
				.insert(meetingParticipants)
				.values({ meetingId, userId, networkId, invitedAt: new Date(when.getTime() - 14 * 86_400_000), invitedSequence: m.sequence, answer, comment, answeredAt: when })
				.onConflictDoNothing();
		}
	};
	const followUp = (meetingId: string, input: Record<string, string>) => createMeetingFollowUp(actor, networkId, meetingId, { note: '', ownerPersonId: '', ownerBodyId: '', dueOn: '', ...input }, opts);
	const finish = async (f: FollowUp, state: 'done' | 'in_progress' | 'dropped', note: string) => {
		const after = await updateFollowUp(actor, networkId, f.id, { ...f, dueOn: f.dueOn ?? '', ownerPersonId: f.ownerPersonId ?? '', ownerBodyId: f.ownerBodyId ?? '', state, note, version: String(f.version) });
		// Done back then, a few days before it was due – not on the day the demo was loaded.
		if (state === 'done' && f.dueOn) {
			await db().update(followUps).set({ doneAt: new Date(Date.parse(`${f.dueOn}T10:00:00Z`) - 3 * 86_400_000) }).where(eq(followUps.id, f.id));
		}
		return after;
	};

	// ---- 2. Netzwerktreffen, Halberstadt, April ----
	const april = await meeting({
		title: '2. Netzwerktreffen',
		date: pastDate('2026-04-14', now),
		startTime: '09:30',
		endTime: '13:00',
		hostBodyId: body('15085135'),
		venueName: 'Rathaus Halberstadt, Ratssaal',
		venueAddress: 'Holzmarkt 1, 38820 Halberstadt',
		description: 'Zweites Treffen des Netzwerks: Wärmeplanung, Förderung und eine gemeinsame Aktion zum Stadtradeln.',
		status: 'held'
	});
	await agenda(april.id, [
		{ title: 'Begrüßung durch die Stadt Halberstadt', presenter: `body:${body('15085135')}`, durationMinutes: '15' },
		{ title: 'Kommunale Wärmeplanung: Stand in den Kommunen', presenterText: 'Runde der Kommunen', durationMinutes: '60' },
		{ title: 'Förderaufrufe 2026', presenter: person('lena') ? `person:${person('lena')}` : '', durationMinutes: '45' },
		{ title: 'Stadtradeln 2026 – gemeinsam antreten?', presenter: `body:${body('15085')}`, durationMinutes: '30' },
		{ title: 'Verschiedenes, nächster Termin', durationMinutes: '15' }
	]);
	await saveMinutes(actor, networkId, april.id, { minutes: HALBERSTADT_MINUTES, minutesStamp: '' }, { now });
	for (const text of [
		'Das nächste Netzwerktreffen findet im Juni im Bunter Hof in Osterwieck statt.',
		'Die Kommunen teilen ihre Ausschreibungsunterlagen zur kommunalen Wärmeplanung über Klimanetz.',
		'Die Kommunen des Landkreises melden sich gemeinsam zum Stadtradeln 2026 an.'
	]) {
		await addDecision(actor, networkId, april.id, { text }, { now });
	}
	const tender = await followUp(april.id, { title: 'Ausschreibungsunterlagen Wärmeplanung im Netzwerk teilen', ownerPersonId: person('hbs'), ownerBodyId: body('15085135'), dueOn: pastDate('2026-05-15', now) });
	await finish(tender, 'done', 'Unterlagen aus Halberstadt und Wernigerode per E-Mail an alle Kommunen verschickt.');
	const venue = await followUp(april.id, { title: 'Termin und Raum im Bunter Hof festmachen', ownerBodyId: body('15085230'), dueOn: pastDate('2026-05-01', now) });
	await finish(venue, 'done', '16. Juni, 10 Uhr, Bunter Hof.');
	const bike = await followUp(april.id, { title: 'Gemeinsame Stadtradeln-Anmeldung vorbereiten', ownerPersonId: person('lk'), ownerBodyId: body('15085'), dueOn: pastDate('2026-05-31', now) });
	await finish(bike, 'done', '');
	const funding = await followUp(april.id, { title: 'Übersicht der Förderaufrufe für alle Kommunen zusammenstellen', ownerPersonId: person('lena'), dueOn: pastDate('2026-06-30', now) });
	await answers(april.id, [
		['coordinator', 'yes', ''],
		['hbs', 'yes', 'Wir sind Gastgeber.'],
		['ow', 'yes', ''],
		['qlb', 'maybe', 'Ratssitzung am selben Tag, ich versuche es.'],
		['thale', 'no', 'Urlaub'],
		['wr', 'yes', ''],
		['lk', 'yes', ''],
		['lena', 'yes', 'Mit Vortrag zu den Förderaufrufen']
	]);

	// ---- 3. Netzwerktreffen, Osterwieck, Bunter Hof, June ----
	const june = await meeting({
		title: '3. Netzwerktreffen',
		date: pastDate('2026-06-16', now),
		startTime: '10:00',
		endTime: '14:00',
		hostBodyId: body('15085230'),
		venueName: 'Bunter Hof',
		venueAddress: 'Osterwieck',
		description: 'Drittes Treffen: E-Lastenräder gemeinsam beschaffen, Energieberatung für Vereine, PV auf kommunalen Dächern.',
		status: 'held'
	});
	await agenda(june.id, [
		{ title: 'Begrüßung durch die Stadt Osterwieck', presenter: `body:${body('15085230')}`, durationMinutes: '15' },
		{ title: 'Rückblick: Aufgaben aus Halberstadt', durationMinutes: '20' },
		{ title: 'Sammelbeschaffung E-Lastenräder', presenter: `body:${body('15085235')}`, durationMinutes: '45' },
		{ title: 'Energieberatung für Vereine', presenter: `body:${body('15085230')}`, durationMinutes: '40' },
		{ title: 'PV-Potenzialanalyse der kommunalen Dächer', presenter: `body:${body('15085330')}`, durationMinutes: '45' }
	]);
	await saveMinutes(actor, networkId, june.id, { minutes: OSTERWIECK_MINUTES, minutesStamp: '' }, { now });
	for (const text of [
		'Vor einer gemeinsamen Ausschreibung von E-Lastenrädern fragt Quedlinburg den Bedarf aller Kommunen ab.',
		'Das nächste Netzwerktreffen findet Anfang 2027 in Quedlinburg statt.'
	]) {
		await addDecision(actor, networkId, june.id, { text }, { now });
	}
	const cargo = await followUp(june.id, { title: 'Bedarf an E-Lastenrädern in den Kommunen abfragen', ownerPersonId: person('qlb'), ownerBodyId: body('15085235'), dueOn: pastDate('2026-09-30', now) });
	await finish(cargo, 'in_progress', 'Rückmeldungen aus fünf Kommunen liegen vor.');
	await followUp(june.id, { title: 'Beratungsabende für Vereine im Herbst anbieten', ownerBodyId: body('15085230'), dueOn: '2027-03-31' });
	await followUp(june.id, { title: 'Ergebnisse der PV-Potenzialanalysen vergleichen', ownerPersonId: person('thale'), ownerBodyId: body('15085330') });
	const minutesMail = await followUp(june.id, { title: 'Protokoll an die Bürgermeisterinnen und Bürgermeister schicken', dueOn: pastDate('2026-06-30', now) });
	await finish(minutesMail, 'done', '');
	await answers(june.id, [
		['coordinator', 'yes', ''],
		['hbs', 'yes', ''],
		['ow', 'yes', 'Wir sind Gastgeber.'],
		['qlb', 'yes', 'Ich stelle die Lastenrad-Idee vor.'],
		['thale', 'yes', ''],
		['wr', 'no', 'Terminüberschneidung mit dem Stadtrat'],
		['lk', 'maybe', ''],
		['lena', 'no', '']
	]);

	// ---- 4. Netzwerktreffen, Quedlinburg, early 2027: planned, invitations not sent ----
	const next = await meeting({
		title: '4. Netzwerktreffen',
		date: upcomingDate(now),
		startTime: '10:00',
		endTime: '14:00',
		hostBodyId: body('15085235'),
		venueName: 'Rathaus Quedlinburg',
		venueAddress: 'Markt 1, 06484 Quedlinburg',
		onlineUrl: 'https://meet.example.org/harz-netzwerktreffen',
		description: 'Viertes Treffen, vor Ort und online: Rückblick auf die offenen Aufgaben, Wärmeplanung, E-Lastenräder.',
		status: 'planned'
	});
	await agenda(next.id, [{ title: 'Begrüßung durch die Stadt Quedlinburg', presenter: `body:${body('15085235')}`, durationMinutes: '15' }]);
	// The open follow-ups come onto the next agenda.
	await addFollowUpsToAgenda(actor, networkId, next.id, [funding.id, cargo.id]);
	await agenda(next.id, [
		{ title: 'Kommunale Wärmeplanung: Zwischenstand', presenterText: 'Runde der Kommunen', durationMinutes: '60' },
		{ title: 'Verschiedenes, nächster Termin', durationMinutes: '15' }
	]);
	for (const [key, answer, comment] of [
		['qlb', 'yes', 'Wir sind Gastgeber.'],
		['hbs', 'yes', ''],
		['lena', 'maybe', 'Online']
	] as [string, Answer, string][]) {
		const a = demo.get(key)?.actor;
		if (a) await answerMeeting(a, networkId, next.id, { answer, comment }, { now });
	}
	return 3;
}
