// The Kommunalrichtlinie 4.1.8 (climate-protection concept and management), the programme nearly
// every municipality meets first. Facts from the guideline as of 10.10.2024 (design/DOMAIN.md);
// what is not in DOMAIN.md is marked "bitte prüfen" in the source note.
import { and, eq, sql } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { fundingProgrammes } from '../db/schema';
import type { Actor } from '../auth/actor';
import { insertProgramme, insertWindow, parseProgramme, parseWindow } from './programmes';

export const KRL_TITLE = 'Kommunalrichtlinie (NKI) – Klimaschutzkonzept und Klimaschutzmanagement';
export const KRL_MEASURE_NUMBER = '4.1.8';

/** The form input of the programme (validated like a coordinator's input). */
export const KRL_PROGRAMME = {
	title: KRL_TITLE,
	funder: 'Zukunft – Umwelt – Gesellschaft (ZUG) gGmbH für das BMWK, Nationale Klimaschutzinitiative',
	measureNumber: KRL_MEASURE_NUMBER,
	ratePercent: '70',
	rateWeakPercent: '90',
	eligibleCosts:
		'Personal für das Klimaschutzmanagement sowie Sach- und Dienstleistungen für die Erstellung des Klimaschutzkonzepts (Erstvorhaben) und die Begleitung seiner Umsetzung (Anschlussvorhaben). Einzelheiten in der Richtlinie – bitte prüfen.',
	eligibility: [
		'- **Erstvorhaben:** 24 Monate; erstellt wird ein integriertes Klimaschutzkonzept, begleitet von einem Klimaschutzmanagement.',
		'- **Anschlussvorhaben:** bis zu 3 Jahre Umsetzung des beschlossenen Konzepts.',
		'- **Ausschluss:** Kein Erstvorhaben, wenn die Kommune am Konzept einer höheren Ebene teilnimmt (z. B. dem des Landkreises).',
		'- **Fördersatz:** 70 %, für finanzschwache Kommunen 90 %.',
		'',
		'Ein Konzept enthält: Ist-Analyse mit BISKO-Bilanz, Potenziale und Szenarien, Ziele, Beteiligung der Akteure, einen Maßnahmenkatalog (kurzfristig bis 3 Jahre, mittelfristig 3–7 Jahre, langfristig über 7 Jahre), ein Verstetigungskonzept, ein Controlling-Konzept, eine Kommunikationsstrategie und einen Ratsbeschluss.'
	].join('\n'),
	url: 'https://www.klimaschutz.de/de/foerderung/foerderprogramme/kommunalrichtlinie',
	sourceNote: 'Kommunalrichtlinie, Fassung vom 10.10.2024; Antragsfenster bis 31.12.2027. Fördermittelgeber (Ministerium) und Link bitte prüfen.'
};

export const KRL_WINDOW = { opensOn: '', closesOn: '2027-12-31', note: 'Antragsfenster der Kommunalrichtlinie (Fassung vom 10.10.2024)' };

/**
 * Adds the Kommunalrichtlinie 4.1.8 with its application window to a network, unless a programme
 * with that measure number and title is there already (also when archived: a coordinator who
 * archived it meant it). No permission check: called by the installation (demo, new networks).
 * Runs in the caller's transaction when given one.
 */
export async function seedKommunalrichtlinie(
	actor: Actor,
	networkId: string,
	opts: { isDemo?: boolean; tx?: Tx } = {}
): Promise<{ created: boolean; programmeId: string }> {
	const run = async (tx: Tx) => {
		// Two seeds at once (two instances starting) must not add it twice.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'klimanetz-krl-' + networkId}))`);
		const [existing] = await tx
			.select({ id: fundingProgrammes.id })
			.from(fundingProgrammes)
			.where(and(eq(fundingProgrammes.networkId, networkId), eq(fundingProgrammes.measureNumber, KRL_MEASURE_NUMBER), eq(fundingProgrammes.title, KRL_TITLE)));
		if (existing) return { created: false, programmeId: existing.id };
		const p = await insertProgramme(tx, actor, networkId, parseProgramme(KRL_PROGRAMME), { isDemo: opts.isDemo });
		await insertWindow(tx, actor, networkId, p.id, parseWindow(KRL_WINDOW));
		return { created: true, programmeId: p.id };
	};
	return opts.tx ? run(opts.tx) : db().transaction(run);
}
