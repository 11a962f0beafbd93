// Demo data of the funding module for the Harz demo network: the Kommunalrichtlinie 4.1.8 (real
// facts, seed.ts), two further programmes whose details are marked "bitte prüfen" and whose
// deadlines are invented, and applications of four towns, two of them linked to their demo
// measures. Entered through the module's services, so every rule and audit entry applies.
import { and, desc, eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, fundingApplications, fundingProgrammes, fundingWindows, measures } from '../db/schema';
import type { Actor } from '../auth/actor';
import { todayIso } from '../network/directory-shared';
import { linkRecords } from '../links/service';
import { recordType } from '../registry';
import { insertProgramme, insertWindow, parseProgramme, parseWindow } from './programmes';
import { createApplication } from './applications';
import { KRL_WINDOW, seedKommunalrichtlinie } from './seed';

const DEMO_NOTE = 'Beispieldaten der Demo-Installation: erfunden, gibt nicht die tatsächlichen Anträge der Kommune wieder.';

type DemoWindow = { opensOn: string; closesOn: string; note: string } | { days: [number, number]; note: string };

const PROGRAMMES: { key: string; input: Record<string, string>; windows: DemoWindow[] }[] = [
	{
		key: 'light',
		input: {
			title: 'Kommunalrichtlinie (NKI) – Sanierung der Außen- und Straßenbeleuchtung',
			funder: 'Zukunft – Umwelt – Gesellschaft (ZUG) gGmbH für das BMWK, Nationale Klimaschutzinitiative',
			measureNumber: '4.2.1',
			ratePercent: '25',
			rateWeakPercent: '',
			eligibleCosts: 'Austausch der Leuchten durch LED mit Regelungs- und Steuerungstechnik, Montage.',
			eligibility: '- Mindesteinsparung gegenüber dem Bestand nachweisen.\n- Antrag vor Beginn der Maßnahme stellen.',
			url: 'https://www.klimaschutz.de/de/foerderung/foerderprogramme/kommunalrichtlinie',
			sourceNote: 'Demo: Fördergegenstand, Fördersatz und Bedingungen bitte prüfen. Antragsfenster der Kommunalrichtlinie bis 31.12.2027.'
		},
		windows: [KRL_WINDOW]
	},
	{
		key: 'bike',
		input: {
			title: 'Sonderprogramm „Stadt und Land“ – Radverkehr',
			funder: 'Bund über die Länder (Landesstraßenbaubehörde Sachsen-Anhalt) – bitte prüfen',
			measureNumber: '',
			ratePercent: '75',
			rateWeakPercent: '90',
			eligibleCosts: 'Bau und Ausbau von Radwegen und Radverkehrsanlagen, Abstellanlagen, Planung im Rahmen der Baumaßnahme.',
			eligibility: '- Kommunen und Landkreise.\n- Maßnahmen außerhalb und innerhalb von Ortschaften.',
			url: '',
			sourceNote: 'Demo: Fördersätze, Laufzeit und Zuständigkeit bitte prüfen; die Stichtage sind erfunden.'
		},
		/** Opening and closing day, counted from today. */
		windows: [
			{ days: [-30, 45], note: 'Stichtag für Anträge beim Land (Demo)' },
			{ days: [150, 225], note: 'Zweiter Stichtag (Demo)' }
		]
	}
];

interface DemoApplication {
	ags: string;
	programme: 'krl' | 'light' | 'bike';
	/** Index into the programme's windows; null: not decided yet. */
	window: number | null;
	title: string;
	state: string;
	requested?: number;
	granted?: number;
	/** Days from today. */
	submitted?: number;
	decided?: number;
	note: string;
	/** Code of the body's demo measure to link. */
	measure?: string;
}

const APPLICATIONS: DemoApplication[] = [
	{
		ags: '15085370',
		programme: 'light',
		window: 0,
		title: 'LED-Straßenbeleuchtung, erster Bauabschnitt',
		state: 'approved',
		requested: 96000,
		granted: 92400,
		submitted: -300,
		decided: -190,
		note: 'Bescheid liegt vor; Umsetzung läuft.',
		measure: 'W-2.1'
	},
	{
		ags: '15085135',
		programme: 'light',
		window: 0,
		title: 'LED-Straßenbeleuchtung im Stadtgebiet',
		state: 'submitted',
		requested: 140000,
		submitted: -40,
		note: 'Eingangsbestätigung erhalten, Bescheid steht aus.',
		measure: 'H-3'
	},
	{
		ags: '15085235',
		programme: 'bike',
		window: 0,
		title: 'Radverbindung Quedlinburg–Thale',
		state: 'preparing',
		requested: 850000,
		note: 'Kostenschätzung des Planungsbüros liegt vor; Abstimmung mit Thale zur Trasse.',
		measure: 'Q-5'
	},
	{
		ags: '15085230',
		programme: 'krl',
		window: null,
		title: 'Erstvorhaben Klimaschutzkonzept und Klimaschutzmanagement',
		state: 'considering',
		note: 'Zu klären: Nimmt Osterwieck am Klimaschutzkonzept des Landkreises teil? Dann ist ein Erstvorhaben ausgeschlossen.'
	}
];

function dayFrom(today: string, offset: number): string {
	const d = new Date(`${today}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + offset);
	return d.toISOString().slice(0, 10);
}

export interface FundingDemoSummary {
	skipped: boolean;
	programmes: number;
	applications: number;
	links: number;
}

/**
 * Loads the funding demo into the Harz demo network, acting as its coordinator. Does nothing when
 * the network has applications already (a second start, or real data entered).
 */
export async function seedFundingDemo(actor: Actor, networkId: string, opts: { today?: string } = {}): Promise<FundingDemoSummary> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(fundingApplications).where(eq(fundingApplications.networkId, networkId));
	if (n > 0) return { skipped: true, programmes: 0, applications: 0, links: 0 };
	const today = opts.today ?? todayIso();
	// The Kommunalrichtlinie's facts are real (DOMAIN.md): not flagged as demo.
	const krl = await seedKommunalrichtlinie(actor, networkId);
	const windowsOf = new Map<string, string[]>();
	const programmeIds = new Map<string, string>([['krl', krl.programmeId]]);
	const krlWindows = await db()
		.select({ id: fundingWindows.id })
		.from(fundingWindows)
		.where(eq(fundingWindows.programmeId, krl.programmeId))
		.orderBy(desc(fundingWindows.closesOn))
		.limit(1);
	windowsOf.set('krl', krlWindows.map((w) => w.id));
	let programmes = krl.created ? 1 : 0;

	await db().transaction(async (tx) => {
		for (const p of PROGRAMMES) {
			const [existing] = await tx
				.select({ id: fundingProgrammes.id })
				.from(fundingProgrammes)
				.where(and(eq(fundingProgrammes.networkId, networkId), eq(fundingProgrammes.title, p.input.title)));
			if (existing) {
				programmeIds.set(p.key, existing.id);
				continue;
			}
			const row = await insertProgramme(tx, actor, networkId, parseProgramme(p.input), { isDemo: true });
			programmes++;
			programmeIds.set(p.key, row.id);
			const ids: string[] = [];
			for (const w of p.windows) {
				const input = 'days' in w ? { opensOn: dayFrom(today, w.days[0]), closesOn: dayFrom(today, w.days[1]), note: w.note } : w;
				ids.push((await insertWindow(tx, actor, networkId, row.id, parseWindow(input))).id);
			}
			windowsOf.set(p.key, ids);
		}
	});

	const bodyByAgs = new Map(
		(await db().select({ id: bodies.id, ags: bodies.ags }).from(bodies).where(eq(bodies.networkId, networkId))).map((b) => [b.ags, b.id])
	);
	let applications = 0;
	let links = 0;
	for (const a of APPLICATIONS) {
		const bodyId = bodyByAgs.get(a.ags);
		const programmeId = programmeIds.get(a.programme);
		if (!bodyId || !programmeId) continue;
		const created = await createApplication(
			actor,
			networkId,
			{
				programmeId,
				bodyId,
				title: a.title,
				state: a.state,
				windowId: a.window === null ? '' : (windowsOf.get(a.programme)?.[a.window] ?? ''),
				requestedEur: a.requested === undefined ? '' : String(a.requested),
				grantedEur: a.granted === undefined ? '' : String(a.granted),
				submittedOn: a.submitted === undefined ? '' : dayFrom(today, a.submitted),
				decidedOn: a.decided === undefined ? '' : dayFrom(today, a.decided),
				contactPersonId: '',
				note: `${a.note}\n\n${DEMO_NOTE}`
			},
			{ isDemo: true }
		);
		applications++;
		if (a.measure && recordType('measure') && recordType('funding_application')) {
			const [m] = await db()
				.select({ id: measures.id })
				.from(measures)
				.where(and(eq(measures.networkId, networkId), eq(measures.bodyId, bodyId), eq(measures.code, a.measure)));
			if (m) {
				await linkRecords(actor, { type: 'funding_application', id: created.id }, { type: 'measure', id: m.id }, 'Förderantrag für diese Maßnahme');
				links++;
			}
		}
	}
	return { skipped: false, programmes, applications, links };
}
