// Demo data of the offers module: six invented but realistic offers that reach the Harz towns, with
// assessments from several towns of the Harz demo: one offer whose benefit ratings disagree strongly
// (flagged for discussion), one partner assessment (shown apart), and one offer with an earlier,
// superseded assessment. Entered through the module's services where a person would enter them, so
// every rule and audit entry is as for real input; all marked as demo data.
import { and, eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, partners } from '../network/schema';
import type { Actor } from '../auth/actor';
import { recordChange } from '../audit/service';
import { offerAssessments, offers } from './schema';
import { createOffer, loadOffer } from './offers';
import { assessOffer } from './assessments';

interface DemoAssessment {
	town: string;
	effort: number;
	benefit: number;
	costEur?: string;
	recommend: 'yes' | 'no' | 'reservations';
	experience: string;
	assessedOn: string;
	/** An earlier assessment of the same town, superseded by this one. */
	earlier?: Omit<DemoAssessment, 'town' | 'earlier'>;
}

interface DemoOffer {
	input: Record<string, string | string[]>;
	assessments: DemoAssessment[];
	/** An assessment by a partner organisation of the demo, shown apart from the towns. */
	partner?: { name: string; effort: number; benefit: number; recommend: 'yes' | 'no' | 'reservations'; experience: string; assessedOn: string };
}

const OFFERS: DemoOffer[] = [
	{
		input: {
			title: 'Energiesparberatung für kommunale Liegenschaften',
			provider: 'Energieberatung Mitteldeutschland GmbH (Beispiel)',
			kind: 'consultancy',
			priceModel: 'one_off',
			costMin: '4.000',
			costMax: '12.000',
			url: 'https://energieberatung.example/kommunen',
			themes: ['municipal', 'buildings'],
			description:
				'Begehung von Rathaus, Schulen, Kitas und Sporthallen, Auswertung der Verbrauchsdaten der letzten drei Jahre und ein **Maßnahmenplan mit Prioritäten** (geringinvestive Maßnahmen zuerst).\n\n- Bericht je Gebäude\n- Vorstellung im Bauausschuss\n- Hinweise auf passende Förderprogramme'
		},
		assessments: [
			{ town: 'Wernigerode', effort: 2, benefit: 4, costEur: '8.500', recommend: 'yes', assessedOn: '2024-04-18', experience: 'Gute Begehung, der Bericht war konkret. Die Heizungsregelung in zwei Schulen haben wir sofort angepasst.' },
			{ town: 'Halberstadt', effort: 3, benefit: 4, costEur: '11.200', recommend: 'yes', assessedOn: '2024-09-05', experience: 'Viele Gebäude, daher höhere Kosten. Der Maßnahmenplan ist die Grundlage unserer Haushaltsanmeldung.' },
			{ town: 'Thale', effort: 2, benefit: 3, costEur: '6.000', recommend: 'reservations', assessedOn: '2025-02-11', experience: 'Solide, aber vieles kannten wir schon aus dem eigenen Energiebericht.' }
		]
	},
	{
		input: {
			title: 'Software zur THG-Bilanzierung (Abonnement)',
			provider: 'Klimabilanz Software GmbH (Beispiel)',
			kind: 'software',
			priceModel: 'per_year',
			costMin: '1.200',
			costMax: '3.600',
			url: 'https://klimabilanz-software.example',
			themes: ['energy', 'municipal'],
			description: 'Webanwendung für die Treibhausgasbilanz nach BISKO mit Datenimport von Netzbetreibern und Schornsteinfegern. Preis nach Einwohnerzahl gestaffelt.'
		},
		assessments: [
			{ town: 'Wernigerode', effort: 4, benefit: 3, costEur: '2.400', recommend: 'reservations', assessedOn: '2024-11-20', experience: 'Die Datenbeschaffung bleibt die eigentliche Arbeit; die Software rechnet dann zuverlässig.' },
			{
				town: 'Quedlinburg',
				effort: 3,
				benefit: 4,
				costEur: '1.800',
				recommend: 'yes',
				assessedOn: '2025-06-02',
				experience: 'Nach dem zweiten Bilanzjahr deutlich weniger Aufwand, die Vorlagen sparen Zeit.',
				earlier: { effort: 4, benefit: 2, costEur: '1.800', recommend: 'reservations', assessedOn: '2024-03-14', experience: 'Erstes Jahr mühsam: Schnittstellen fehlten, viel Handarbeit.' }
			}
		],
		partner: { name: 'Landesenergieagentur Sachsen-Anhalt (LENA)', effort: 2, benefit: 4, recommend: 'yes', assessedOn: '2025-01-15', experience: 'Aus Sicht der Landesenergieagentur gut geeignet für Kommunen ohne eigene Bilanzierungserfahrung.' }
	},
	{
		input: {
			title: 'LED-Straßenbeleuchtung im Contracting',
			provider: 'Lichtcontracting Sachsen-Anhalt AG (Beispiel)',
			kind: 'product',
			priceModel: 'per_year',
			costMin: '15.000',
			costMax: '60.000',
			url: 'https://lichtcontracting.example/kommunen',
			themes: ['energy', 'municipal'],
			description: 'Austausch der Straßenleuchten gegen LED, Finanzierung über eine Contracting-Rate aus den eingesparten Stromkosten, Laufzeit 10 bis 15 Jahre, Wartung inklusive.'
		},
		assessments: [
			{ town: 'Blankenburg (Harz)', effort: 4, benefit: 1, costEur: '42.000', recommend: 'no', assessedOn: '2024-10-01', experience: 'Lange Vertragslaufzeit, die Rate frisst die Einsparung fast auf. Eigene Umrüstung mit Förderung wäre günstiger gewesen.' },
			{ town: 'Halberstadt', effort: 3, benefit: 4, costEur: '38.500', recommend: 'yes', assessedOn: '2025-03-20', experience: 'Ohne eigenes Personal für die Umrüstung für uns die einzige Möglichkeit; Stromverbrauch der Beleuchtung um gut 60 % gesunken.' }
		]
	},
	{
		input: {
			title: 'Energiesparmodelle an Schulen',
			provider: 'Bildungsinitiative Energiesparen e. V. (Beispiel)',
			kind: 'campaign',
			priceModel: 'per_year',
			costMin: '2.000',
			costMax: '5.000',
			url: 'https://energiesparen-schule.example',
			themes: ['participation', 'municipal'],
			description: 'Schülerinnen und Schüler werden Energiedetektive; die eingesparten Energiekosten teilen sich Schule und Schulträger (*fifty/fifty*). Begleitung durch Workshops und Messgeräte zum Ausleihen.'
		},
		assessments: [
			{ town: 'Quedlinburg', effort: 2, benefit: 4, costEur: '3.000', recommend: 'yes', assessedOn: '2024-07-10', experience: 'Zwei Grundschulen machen mit, die Einsparung ist messbar und die Kinder tragen es nach Hause.' },
			{ town: 'Ilsenburg (Harz)', effort: 3, benefit: 5, costEur: '2.500', recommend: 'yes', assessedOn: '2025-01-28', experience: 'Sehr engagierte Schule, der Hausmeister ist der wichtigste Partner.' }
		]
	},
	{
		input: {
			title: 'Schulung Energiemanagement für Mitarbeitende der Bauämter',
			provider: 'Akademie für kommunales Energiemanagement (Beispiel)',
			kind: 'training',
			priceModel: 'one_off',
			costMin: '450',
			costMax: '900',
			themes: ['municipal', 'buildings'],
			description: 'Zweitägige Schulung: Verbrauchserfassung, Kennwerte, Heizungsoptimierung, Einstieg in ein kommunales Energiemanagement nach Kommunalrichtlinie.'
		},
		assessments: [{ town: 'Osterwieck', effort: 1, benefit: 3, costEur: '600', recommend: 'yes', assessedOn: '2025-05-06', experience: 'Kompakt und praxisnah, für Einsteiger gut.' }]
	},
	{
		input: {
			title: 'Fördermittelberatung zur Kommunalrichtlinie',
			provider: 'Landesenergieagentur Sachsen-Anhalt (LENA)',
			kind: 'consultancy',
			priceModel: 'free',
			url: 'https://lena.sachsen-anhalt.de',
			themes: ['municipal', 'energy'],
			description: 'Kostenlose Erstberatung zu Förderprogrammen für kommunalen Klimaschutz, z. B. zur Kommunalrichtlinie (Klimaschutzmanagement, Energiemanagement).'
		},
		assessments: [{ town: 'Harzgerode', effort: 2, benefit: 5, costEur: '0', recommend: 'yes', assessedOn: '2024-12-03', experience: 'Schnelle, kompetente Beratung; der Antrag für das Klimaschutzmanagement ging im ersten Anlauf durch.' }]
	}
];

export interface OffersDemoSummary {
	skipped: boolean;
	offers: number;
	assessments: number;
}

const form = (a: Omit<DemoAssessment, 'town' | 'earlier'>, extra: Record<string, string>) => ({
	effort: String(a.effort),
	benefit: String(a.benefit),
	costEur: a.costEur ?? '',
	recommend: a.recommend,
	experience: a.experience,
	assessedOn: a.assessedOn,
	...extra
});

/** Seeds the demo offers as the given coordinator; skipped when the network has offers. */
export async function seedOffersDemo(actor: Actor, networkId: string): Promise<OffersDemoSummary> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(offers).where(eq(offers.networkId, networkId));
	if (n > 0) return { skipped: true, offers: 0, assessments: 0 };
	const bodyByName = new Map(
		(await db().select({ id: bodies.id, name: bodies.name }).from(bodies).where(eq(bodies.networkId, networkId))).map((b) => [b.name, b.id])
	);
	let count = 0;
	let assessments = 0;
	// Entered in the order of their dates, so "zuletzt bewertet" and the history read naturally.
	const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
	for (const o of OFFERS) {
		const offer = await createOffer(actor, networkId, o.input, { isDemo: true });
		count++;
		for (const a of o.assessments) {
			const bodyId = bodyByName.get(a.town);
			if (!bodyId) continue;
			let replaces = '';
			if (a.earlier) {
				const earlier = await assessOffer(actor, networkId, offer.id, form(a.earlier, { bodyId, replaces: '' }), { isDemo: true, createdAt: at(a.earlier.assessedOn) });
				replaces = earlier.id;
				assessments++;
			}
			await assessOffer(actor, networkId, offer.id, form(a, { bodyId, replaces }), { isDemo: true, createdAt: at(a.assessedOn) });
			assessments++;
		}
		if (o.partner && (await seedPartnerAssessment(actor, networkId, offer.id, o.partner))) assessments++;
	}
	return { skipped: false, offers: count, assessments };
}

/**
 * The demo has no partner accounts, so the partner organisation's assessment is written directly
 * (in one transaction with its audit entry), as the partner would through assessOffer.
 */
async function seedPartnerAssessment(actor: Actor, networkId: string, offerId: string, p: NonNullable<DemoOffer['partner']>): Promise<boolean> {
	const [partner] = await db()
		.select({ id: partners.id })
		.from(partners)
		.where(and(eq(partners.networkId, networkId), eq(partners.name, p.name)));
	if (!partner) return false;
	await db().transaction(async (tx) => {
		await loadOffer(tx, networkId, offerId, true);
		const [row] = await tx
			.insert(offerAssessments)
			.values({
				networkId,
				offerId,
				partnerId: partner.id,
				effort: p.effort,
				benefit: p.benefit,
				recommend: p.recommend,
				experience: p.experience,
				assessedOn: p.assessedOn,
				isDemo: true,
				// Nobody of the partner organisation has an account in the demo: no person is named.
				createdBy: null,
				createdAt: new Date(`${p.assessedOn}T10:00:00Z`)
			})
			.returning();
		const { id: _id, networkId: _n, createdBy: _c, createdAt: _ca, ...after } = row;
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'offer_assessment', recordId: row.id, after: { ...after, assessor: p.name } });
	});
	return true;
}
