// Demo data: the "Netzwerk Klimaschutzmanager" of Landkreis Harz with its 21 bodies (district,
// towns, municipalities; Gebietsstand 2021), the climate-protection managers named on the
// network's public page, and its partners. Real data is then maintained in the app.
import { and, eq, sql } from 'drizzle-orm';
import { db } from '../../db/client';
import { bodies, partners, people } from '../../db/schema';
import type { Actor } from '../../auth/actor';
import { createNetwork, getNetworkBySlug } from '../networks';
import { recordChange } from '../../audit/service';
import { NotFoundError, ValidationError } from '../../errors';

export const HARZ_SLUG = 'harz';

const NETWORK = {
	slug: HARZ_SLUG,
	name: 'Netzwerk Klimaschutzmanager Landkreis Harz',
	region: 'Landkreis Harz, Sachsen-Anhalt',
	description:
		'Im Netzwerk Klimaschutzmanager arbeiten der Landkreis Harz und seine 20 Städte und Gemeinden zusammen. ' +
		'Vertreten sind sie durch ihre Klimaschutzmanager:innen, Bürgermeister:innen oder Mitarbeitende der Bauämter. ' +
		'Das Netzwerk trifft sich reihum in den Kommunen, tauscht Erfahrungen aus, bewertet Angebote gemeinsam ' +
		'und bringt die Klimaschutzkonzepte der Kommunen in die Umsetzung.'
};

/** Climate-protection managers by AGS (from the network's public page). */
const MANAGERS: { ags: string; name: string; tenureFrom?: string }[] = [
	{ ags: '15085', name: 'Carola Kalks-Gebhardt' },
	{ ags: '15085145', name: 'Heidi Buchmann' },
	{ ags: '15085135', name: 'Sibo Schlicht' },
	{ ags: '15085230', name: 'Ina Hilbert' },
	{ ags: '15085235', name: 'Patrick Gerngroß' },
	{ ags: '15085330', name: 'Michael Hesse' },
	{ ags: '15085040', name: 'Steffen Reuß', tenureFrom: '2024-01-01' }
];

/** Wernigerode and Blankenburg have an adopted integrated concept (the date is not in the data). */
const ADOPTED = new Set(['15085370', '15085055']);

const PARTNERS = [
	{
		name: 'Landesenergieagentur Sachsen-Anhalt (LENA)',
		description: 'Die Energieagentur des Landes Sachsen-Anhalt.',
		url: 'https://lena.sachsen-anhalt.de'
	},
	{
		name: 'Erfolg Klima Go!',
		description:
			'Forschungsprojekt des Lehrstuhls für Politikwissenschaft (Nachhaltige Entwicklung) an der Otto-von-Guericke-Universität Magdeburg.',
		url: ''
	}
];

const KINDS = { Landkreis: 'landkreis', Stadt: 'stadt', Gemeinde: 'gemeinde' } as const;

/** The CSV ships with the module: Vite (server build, dev server, Vitest) inlines it; plain Node reads it from disk. */
async function readCsv(): Promise<string> {
	try {
		return (await import('./harz/municipalities.csv?raw')).default;
	} catch {
		const fs = await import('node:fs/promises');
		return fs.readFile(new URL('./harz/municipalities.csv', import.meta.url), 'utf8');
	}
}

export interface HarzRow {
	ags: string;
	name: string;
	kind: 'landkreis' | 'stadt' | 'gemeinde';
	verbandsgemeinde: string | null;
	population: number;
	populationYear: number;
	areaKm2: number;
	lat: number;
	lon: number;
}

/** Parses the reference CSV (comma-separated, no quoted fields, header in the first line). */
export function parseHarzCsv(csv: string): HarzRow[] {
	const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
	const header = lines[0].split(',');
	const col = (name: string) => {
		const i = header.indexOf(name);
		if (i < 0) throw new Error(`municipalities.csv: column ${name} missing`);
		return i;
	};
	const c = {
		ags: col('ags'), name: col('name'), kind: col('kind'), vg: col('verbandsgemeinde'), pop: col('population'),
		year: col('population_year'), area: col('area_km2'), lat: col('lat'), lon: col('lon')
	};
	return lines.slice(1).map((line, i) => {
		const f = line.split(',');
		const kind = KINDS[f[c.kind] as keyof typeof KINDS];
		const row: HarzRow = {
			ags: f[c.ags],
			name: f[c.name],
			kind,
			verbandsgemeinde: f[c.vg] || null,
			population: Number(f[c.pop]),
			populationYear: Number(f[c.year]),
			areaKm2: Number(f[c.area]),
			lat: Number(f[c.lat]),
			lon: Number(f[c.lon])
		};
		const numbersOk = [row.population, row.populationYear, row.areaKm2, row.lat, row.lon].every(Number.isFinite);
		if (!kind || !/^\d{5}(\d{3})?$/.test(row.ags) || !row.name || !numbersOk) {
			throw new Error(`municipalities.csv: line ${i + 2} is not valid`);
		}
		return row;
	});
}

async function findNetwork(slug: string) {
	try {
		return await getNetworkBySlug(slug);
	} catch (e) {
		if (e instanceof NotFoundError) return null;
		throw e;
	}
}

/**
 * Creates the Harz demo network with an operator actor. Idempotent: if the network exists, nothing
 * changes and its id is returned (a demo network left empty by an interrupted run is filled).
 */
export async function loadHarzDemo(actor: Actor): Promise<{ networkId: string }> {
	const existing = await findNetwork(HARZ_SLUG);
	if (existing) {
		if (existing.isDemo) await fill(actor, existing.id);
		return { networkId: existing.id };
	}
	let networkId: string;
	try {
		networkId = (await createNetwork(actor, NETWORK, { isDemo: true })).id;
	} catch (e) {
		// Another process created it at the same moment.
		if (e instanceof ValidationError && e.fieldErrors.slug === 'network.slugTaken') {
			const n = await findNetwork(HARZ_SLUG);
			if (n) return { networkId: n.id };
		}
		throw e;
	}
	await fill(actor, networkId);
	return { networkId };
}

/** Adds bodies, managers and partners to an empty demo network, in one transaction. */
async function fill(actor: Actor, networkId: string) {
	const rows = parseHarzCsv(await readCsv());
	await db().transaction(async (tx) => {
		// Lock against a concurrent fill, then re-check emptiness.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'klimanetz-demo-' + networkId}))`);
		const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(bodies).where(eq(bodies.networkId, networkId));
		if (n > 0) return;
		const byAgs = new Map<string, string>();
		for (const r of rows) {
			const district = r.kind === 'landkreis';
			const [b] = await tx
				.insert(bodies)
				.values({
					...r,
					networkId,
					conceptStatus: ADOPTED.has(r.ags) ? 'adopted' : district ? 'in_preparation' : 'none',
					// The district's NKI Erstvorhaben runs from 1 November 2023 for two years.
					managerFundedUntil: district ? '2025-10-31' : null
				})
				.returning();
			byAgs.set(b.ags, b.id);
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'body', recordId: b.id, after: b });
		}
		for (const m of MANAGERS) {
			const bodyId = byAgs.get(m.ags);
			if (!bodyId) throw new Error(`demo: no body with AGS ${m.ags}`);
			const [p] = await tx
				.insert(people)
				.values({ networkId, bodyId, name: m.name, function: 'klimaschutzmanager', tenureFrom: m.tenureFrom ?? null })
				.returning();
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'person', recordId: p.id, after: p });
		}
		for (const partner of PARTNERS) {
			const [existing] = await tx
				.select({ id: partners.id })
				.from(partners)
				.where(and(eq(partners.networkId, networkId), eq(partners.name, partner.name)));
			if (existing) continue;
			const [p] = await tx.insert(partners).values({ ...partner, networkId }).returning();
			await recordChange(tx, actor, { networkId, action: 'create', recordType: 'partner', recordId: p.id, after: p });
		}
	});
}
