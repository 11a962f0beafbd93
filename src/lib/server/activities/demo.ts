// Demo data of the activities module: two joint activities of Harz towns, entered through the
// module's services as the demo coordinator (so every rule and audit entry is as for real input),
// marked as demo data: a shared procurement of LED street lighting being planned by three towns
// (internal), and a regional climate day under way (public, in the portal). Due dates are relative
// to the day of loading, so the demo always has one overdue, one upcoming and one done task.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, people } from '../network/schema';
import type { Actor } from '../auth/actor';
import { todayIso } from '../network/directory-shared';
import { activities } from './schema';
import { createActivity, joinActivity, setActivityStatus, START_STATUSES, type ActivityStatus } from './activities';
import { addActivityTask, setActivityTaskDone } from './tasks';

interface DemoTask {
	title: string;
	/** Days from the day of loading. */
	due: number | null;
	/** AGS of the town responsible; its climate manager (if the directory has one) owns the task. */
	owner?: string;
	done?: boolean;
}

interface DemoActivity {
	input: Record<string, string>;
	/** AGS of the proposer (joins automatically); null: the coordination. */
	proposer: string | null;
	joining: string[];
	tasks: DemoTask[];
}

const NOTE = '\n\n_Beispieldaten der Demo-Installation: Die Aktivität ist für die Vorführung erfunden._';

const DEMO: DemoActivity[] = [
	{
		input: {
			title: 'Gemeinsame Beschaffung von LED-Straßenbeleuchtung',
			status: 'planning',
			description:
				'Halberstadt, Osterwieck und Quedlinburg stellen ihre Straßenbeleuchtung auf LED um und schreiben **gemeinsam** aus: größere Stückzahlen, ein Leistungsverzeichnis, eine Wertung.\n\n' +
				'- Bestand je Kommune erheben (Leuchtentypen, Masten, Schaltzeiten)\n' +
				'- Förderung über die Kommunalrichtlinie prüfen (Außen- und Straßenbeleuchtung)\n' +
				'- Vereinbarung über die gemeinsame Vergabe, Federführung Halberstadt\n\n' +
				'Erwartet: rund 60 % weniger Strom für die Beleuchtung.' +
				NOTE
		},
		proposer: '15085135',
		joining: ['15085230', '15085235'],
		tasks: [
			{ title: 'Leuchtenbestand in den drei Städten erheben', due: -10, owner: '15085135', done: true },
			{ title: 'Fördervoraussetzungen der Kommunalrichtlinie klären', due: -3, owner: '15085235' },
			{ title: 'Entwurf der Vereinbarung zur gemeinsamen Vergabe abstimmen', due: 21, owner: '15085135' },
			{ title: 'Haushaltsmittel für 2026 anmelden', due: 45, owner: '15085230' }
		]
	},
	{
		input: {
			title: 'Regionaler Klimaschutztag im Harz',
			status: 'running',
			isPublic: 'on',
			description:
				'Ein Tag für alle im Landkreis: Stände der Stadtwerke und Energieberatung, ein Markt für Balkonkraftwerke, Führungen durch sanierte Gebäude und eine Radtour zwischen Thale und Quedlinburg.\n\n' +
				'Die teilnehmenden Kommunen laden gemeinsam ein und teilen sich Plakate, Pressearbeit und Versicherung.' +
				NOTE
		},
		proposer: '15085',
		joining: ['15085330', '15085235', '15085055'],
		tasks: [
			{ title: 'Termin und Veranstaltungsort festlegen', due: -20, owner: '15085', done: true },
			{ title: 'Stände bei Stadtwerken und Verbraucherzentrale anfragen', due: 14, owner: '15085330' },
			{ title: 'Gemeinsame Pressemitteilung vorbereiten', due: 30, owner: '15085' },
			{ title: 'Radtour-Route mit dem ADFC abstimmen', due: null, owner: '15085235' }
		]
	}
];

export interface ActivitiesDemoSummary {
	skipped: boolean;
	activities: number;
	tasks: number;
}

function addDays(iso: string, days: number): string {
	const d = new Date(`${iso}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** Seeds the demo activities as the given coordinator; skipped when the network has demo activities. */
export async function seedActivitiesDemo(actor: Actor, networkId: string, today: string = todayIso()): Promise<ActivitiesDemoSummary> {
	const [{ n }] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(activities)
		.where(and(eq(activities.networkId, networkId), eq(activities.isDemo, true)));
	if (n > 0) return { skipped: true, activities: 0, tasks: 0 };
	const agsList = [...new Set(DEMO.flatMap((a) => [a.proposer, ...a.joining, ...a.tasks.map((t) => t.owner)]).filter((x): x is string => !!x))];
	const bodyRows = await db()
		.select({ id: bodies.id, ags: bodies.ags })
		.from(bodies)
		.where(and(eq(bodies.networkId, networkId), inArray(bodies.ags, agsList)));
	const bodyByAgs = new Map(bodyRows.map((b) => [b.ags, b.id]));
	const managers = bodyRows.length
		? await db()
				.select({ id: people.id, bodyId: people.bodyId })
				.from(people)
				.where(and(eq(people.networkId, networkId), eq(people.function, 'klimaschutzmanager'), inArray(people.bodyId, bodyRows.map((b) => b.id))))
				.orderBy(people.name)
		: [];
	const managerOf = new Map<string, string>();
	for (const m of managers) if (m.bodyId && !managerOf.has(m.bodyId)) managerOf.set(m.bodyId, m.id);

	let count = 0;
	let tasks = 0;
	for (const d of DEMO) {
		const proposerBodyId = d.proposer ? (bodyByAgs.get(d.proposer) ?? '') : '';
		// A new activity starts as an idea or in planning; a demo one further along moves on at once.
		const { status, ...input } = d.input;
		const startsAs = START_STATUSES.includes(status as ActivityStatus) ? status : 'planning';
		const a = await createActivity(actor, networkId, { ...input, status: startsAs, proposerBodyId }, { isDemo: true });
		if (status !== startsAs) await setActivityStatus(actor, networkId, a.id, { status, version: String(a.version) });
		count++;
		for (const ags of d.joining) {
			const bodyId = bodyByAgs.get(ags);
			if (bodyId) await joinActivity(actor, networkId, a.id, bodyId);
		}
		for (const t of d.tasks) {
			const ownerBodyId = t.owner ? (bodyByAgs.get(t.owner) ?? '') : '';
			const ownerPersonId = ownerBodyId ? (managerOf.get(ownerBodyId) ?? '') : '';
			const task = await addActivityTask(actor, networkId, a.id, { title: t.title, ownerBodyId, ownerPersonId, dueOn: t.due === null ? '' : addDays(today, t.due) });
			if (t.done) await setActivityTaskDone(actor, networkId, a.id, task.id, true);
			tasks++;
		}
	}
	return { skipped: false, activities: count, tasks };
}
