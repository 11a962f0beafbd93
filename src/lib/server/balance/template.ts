// The balance spreadsheet format: the German names of sectors and carriers a file uses (with the
// synonyms balancing tools and people write), the column headers, and the downloadable template.
//
// Names and headers are the file format, not UI text: a file must import the same way whatever
// the interface language, so they are fixed German constants (English names are accepted too).
import ExcelJS from 'exceljs';
import { CARRIERS as FILE_CARRIERS, QUALITIES as FILE_QUALITIES, SECTORS as FILE_SECTORS, type Carrier, type Sector } from './compute';

/** The names the template writes (and the app shows). */
export const SECTOR_NAMES: Record<Sector, string> = {
	households: 'Private Haushalte',
	commerce: 'Gewerbe, Handel, Dienstleistungen',
	industry: 'Industrie',
	municipal: 'Kommunale Einrichtungen',
	transport: 'Verkehr'
};

export const CARRIER_NAMES: Record<Carrier, string> = {
	electricity: 'Strom',
	natural_gas: 'Erdgas',
	heating_oil: 'Heizöl',
	liquid_gas: 'Flüssiggas',
	district_heating: 'Fernwärme',
	biomass: 'Biomasse (Holz)',
	coal: 'Kohle',
	solar_thermal: 'Solarthermie',
	environmental_heat: 'Umweltwärme',
	petrol: 'Benzin',
	diesel: 'Diesel',
	other: 'Sonstige'
};

/** Other ways files name them: abbreviations, tool wording ("Stromverbrauch Haushalte"), English. */
const SECTOR_SYNONYMS: Record<Sector, string[]> = {
	households: ['Haushalte', 'Private Haushalte', 'Privathaushalte', 'PHH', 'HH', 'Wohnen', 'Wohngebäude', 'Households', 'Private households', 'Residential'],
	commerce: [
		'GHD',
		'Gewerbe',
		'Gewerbe, Handel, Dienstleistungen',
		'Gewerbe, Handel und Dienstleistungen',
		'Gewerbe/Handel/Dienstleistungen',
		'Gewerbe und Sonstiges',
		'GHD und Sonstiges',
		'Commerce',
		'Commerce and services',
		'Services',
		'Trade, commerce, services'
	],
	industry: ['Industrie', 'Verarbeitendes Gewerbe', 'Industrie und verarbeitendes Gewerbe', 'Wirtschaft', 'Industry', 'Manufacturing'],
	municipal: [
		'Kommunale Einrichtungen',
		'Kommunale Liegenschaften',
		'Kommunale Gebäude',
		'Kommune',
		'Kommunal',
		'Kommunale Verwaltung',
		'Öffentliche Einrichtungen',
		'Municipal',
		'Municipal facilities',
		'Municipal buildings'
	],
	transport: ['Verkehr', 'Mobilität', 'Straßenverkehr', 'Transport', 'Traffic', 'Mobility']
};

const CARRIER_SYNONYMS: Record<Carrier, string[]> = {
	electricity: ['Strom', 'Elektrizität', 'Elektrischer Strom', 'Strommix', 'Netzstrom', 'Electricity', 'Power'],
	natural_gas: ['Erdgas', 'Gas', 'Natural gas'],
	heating_oil: ['Heizöl', 'Öl', 'Heizöl EL', 'Heating oil', 'Oil', 'Fuel oil'],
	liquid_gas: ['Flüssiggas', 'LPG', 'Autogas', 'Liquid gas', 'Liquefied petroleum gas'],
	district_heating: ['Fernwärme', 'Nahwärme', 'Nah-/Fernwärme', 'Nah- und Fernwärme', 'Wärmenetz', 'District heating', 'Heat network'],
	biomass: ['Biomasse', 'Holz', 'Holzpellets', 'Pellets', 'Scheitholz', 'Hackschnitzel', 'Brennholz', 'Biogas', 'Biomass', 'Wood'],
	coal: ['Kohle', 'Braunkohle', 'Steinkohle', 'Coal', 'Lignite', 'Hard coal'],
	solar_thermal: ['Solarthermie', 'Solarwärme', 'Solar thermal', 'Solar heat'],
	environmental_heat: ['Umweltwärme', 'Wärmepumpe', 'Wärmepumpen', 'Erdwärme', 'Geothermie', 'Environmental heat', 'Ambient heat', 'Heat pump', 'Heat pumps'],
	petrol: ['Benzin', 'Ottokraftstoff', 'Ottokraftstoffe', 'Petrol', 'Gasoline'],
	diesel: ['Diesel', 'Dieselkraftstoff', 'Diesel fuel'],
	other: ['Sonstige', 'Sonstiges', 'Sonstige Energieträger', 'Sonstige fossile', 'Other', 'Others']
};

/** Names compared loosely: case, umlaut spelling (ae/ä), spaces and punctuation do not matter. */
export function normName(s: string): string {
	return s
		.toLowerCase()
		.replace(/ä/g, 'ae')
		.replace(/ö/g, 'oe')
		.replace(/ü/g, 'ue')
		.replace(/ß/g, 'ss')
		.replace(/₂/g, '2')
		.replace(/[^a-z0-9]/g, '');
}

function lookup<K extends string>(synonyms: Record<K, string[]>, names: Record<K, string>): Map<string, K> {
	const m = new Map<string, K>();
	for (const [k, list] of Object.entries(synonyms) as [K, string[]][]) {
		for (const s of [k, names[k], ...list]) m.set(normName(s), k);
	}
	return m;
}

const SECTOR_LOOKUP = lookup(SECTOR_SYNONYMS, SECTOR_NAMES);
const CARRIER_LOOKUP = lookup(CARRIER_SYNONYMS, CARRIER_NAMES);

/** Tool wording wraps the name: "Stromverbrauch Haushalte", "Endenergie Verkehr", "Sektor: Industrie". */
const SECTOR_NOISE = /^(sektor|bereich|verbrauch|stromverbrauch|waermeverbrauch|energieverbrauch|endenergie|endenergieverbrauch)|(gesamt)$/g;

export function matchSector(s: string): Sector | null {
	const n = normName(s);
	if (!n) return null;
	return SECTOR_LOOKUP.get(n) ?? SECTOR_LOOKUP.get(n.replace(SECTOR_NOISE, '')) ?? null;
}

export function matchCarrier(s: string): Carrier | null {
	const n = normName(s);
	if (!n) return null;
	// "Erdgas (MWh)", "Strom [MWh/a]": the unit in a wide table's header is not part of the name.
	const bare = normName(s.replace(/[([].*$/, ''));
	return CARRIER_LOOKUP.get(n) ?? CARRIER_LOOKUP.get(bare) ?? CARRIER_LOOKUP.get(bare.replace(/^(verbrauch)/, '')) ?? null;
}

/** "Summe", "Gesamt" rows and columns of tool exports: totals the app computes itself. */
export function isTotal(s: string): boolean {
	return /^(summe|gesamt|insgesamt|total|sum|gesamtsumme|summegesamt)/.test(normName(s));
}

/** „Private Haushalte“, „Gewerbe, Handel, Dienstleistungen“, …: quoted, as names contain commas. */
export const knownSectorNames = () => FILE_SECTORS.map((s) => `„${SECTOR_NAMES[s]}“`).join(', ');
export const knownCarrierNames = () => FILE_CARRIERS.map((c) => `„${CARRIER_NAMES[c]}“`).join(', ');

/** Column headers of the long layout, one row per sector × carrier. */
export const HEADERS = {
	sector: 'Sektor',
	carrier: 'Energieträger',
	mwh: 'Endenergie (MWh)',
	t: 'Emissionen (t CO2e)',
	quality: 'Datenqualität (A–D)'
} as const;
export type Field = keyof typeof HEADERS;
export const FIELDS = Object.keys(HEADERS) as Field[];

// ---- the template ----------------------------------------------------------------------------

export type TemplateFormat = 'xlsx' | 'csv';

export const TEMPLATE_TYPES: Record<TemplateFormat, string> = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	csv: 'text/csv; charset=utf-8'
};

export const templateFilename = (format: TemplateFormat) => `bilanz-vorlage.${format}`;

/** The explanation, the same in the second sheet and (as # lines) at the end of the CSV. */
export const EXPLANATION: [string, string][] = [
	['Aufbau', 'Eine Zeile je Sektor und Energieträger. Jahr und Einwohnerzahl wählen Sie beim Hochladen, nicht in der Datei.'],
	[
		HEADERS.sector,
		`Einer von: ${FILE_SECTORS.map((s) => SECTOR_NAMES[s]).join('; ')}. „${SECTOR_NAMES.commerce}“ ohne die kommunalen Einrichtungen: Diese tragen Sie nur unter „${SECTOR_NAMES.municipal}“ ein, sonst zählen sie doppelt. Zeilen wie „davon kommunale Einrichtungen“ werden übergangen.`
	],
	[HEADERS.carrier, `Einer von: ${FILE_CARRIERS.map((c) => CARRIER_NAMES[c]).join('; ')}.`],
	[HEADERS.mwh, 'Endenergie im Bilanzjahr in Megawattstunden, Zahl mit Dezimalkomma (z. B. 1.234,5). Leer lassen, wenn es keinen Verbrauch gibt.'],
	[
		HEADERS.t,
		'Nur ausfüllen, wenn Sie keine Endenergie kennen, sondern nur die Emissionen (Tonnen CO2-Äquivalente). Sonst berechnet Klimanetz die Emissionen aus den Emissionsfaktoren des Jahres. Stehen beide Werte in einer Zeile, gelten die Emissionen der Datei.'
	],
	[HEADERS.quality, 'A: regionale Primärdaten, B: Primärdaten und Hochrechnung, C: regionale Kennwerte und Statistiken, D: bundesweite Kennzahlen. Darf leer bleiben.'],
	['Leere Zeilen', 'Zeilen ohne Endenergie und ohne Emissionen werden übergangen. Die eingelesene Tabelle ersetzt die Bilanz des gewählten Jahres vollständig.'],
	[
		'Andere Tabellen',
		'Exporte aus Bilanzierungswerkzeugen mit Sektoren als Zeilen und Energieträgern als Spalten (Werte in MWh) werden ebenfalls erkannt. Beim Hochladen ordnen Sie die Spalten zu.'
	]
];

/** Every sector × carrier once, in the app's order. */
function templateRows(): [string, string][] {
	return FILE_SECTORS.flatMap((s) => FILE_CARRIERS.map((c): [string, string] => [SECTOR_NAMES[s], CARRIER_NAMES[c]]));
}

const csvField = (s: string) => (/[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The empty template. CSV for German Excel (UTF-8 with BOM, ';', CRLF, decimal comma); the
 * explanation follows the table after an empty line, as lines starting with '#', which the import skips.
 */
export async function balanceTemplate(format: TemplateFormat): Promise<Uint8Array> {
	const header = FIELDS.map((f) => HEADERS[f]);
	if (format === 'csv') {
		const lines = [header, ...templateRows().map((r) => [...r, '', '', ''])].map((l) => l.map(csvField).join(';'));
		lines.push('', ...EXPLANATION.map(([k, v]) => csvField(`# ${k}: ${v}`)));
		return new TextEncoder().encode('\ufeff' + lines.join('\r\n') + '\r\n');
	}
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Klimanetz';
	wb.created = new Date();
	const ws = wb.addWorksheet('Bilanz', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
	ws.columns = [
		{ header: header[0], width: 34, style: { numFmt: '@' } },
		{ header: header[1], width: 22, style: { numFmt: '@' } },
		{ header: header[2], width: 18, style: { numFmt: '#,##0.0##' } },
		{ header: header[3], width: 20, style: { numFmt: '#,##0.0##' } },
		{ header: header[4], width: 20, style: { numFmt: '@' } }
	];
	ws.getRow(1).font = { bold: true };
	for (const r of templateRows()) ws.addRow([...r, null, null, null]);
	// Quality as a drop-down list, so Excel users cannot type an unknown class.
	for (let r = 2; r <= ws.rowCount; r++) {
		ws.getCell(r, 5).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${FILE_QUALITIES.join(',')}"`] };
	}
	const notes = wb.addWorksheet('Erläuterung');
	notes.columns = [{ width: 26 }, { width: 100 }];
	for (const r of EXPLANATION) {
		const row = notes.addRow(r);
		row.getCell(1).font = { bold: true };
		row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
	}
	return new Uint8Array(await wb.xlsx.writeBuffer());
}
