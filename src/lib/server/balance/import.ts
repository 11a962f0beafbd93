// Importing a town's balance of one year from a spreadsheet (CSV or .xlsx). Three steps:
// 1. upload: the file is read (encoding, separator, decimal separator, header row and layout are
//    detected), its cells are stored with a guessed column mapping in balance_imports (24 hours);
// 2. mapping and preview: the user corrects the mapping in a plain form; the preview shows the
//    resulting sector × carrier table, what changes against a stored balance of that year, and
//    German messages per row. Any error: nothing can be applied;
// 3. apply: the whole table replaces that year's balance in one transaction (saveBalance), or nothing.
//
// Two layouts: the long table of our template (one row per sector × carrier) and the wide one
// balancing tools export (rows = sectors, columns = carriers, values in MWh).
import ExcelJS from 'exceljs';
import { and, eq, lt } from 'drizzle-orm';
import { db } from '../db/client';
import { balanceEntries, balanceImports, balances } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { sanitizeFilename } from '../files/service';
import { zipUnpackedSize } from '../measures/spreadsheet';
import { decodeText, detectSeparator, looksLikeText, splitCsv, type Encoding, type Separator } from '../files/csv';
import { isUuid } from '../ids';
import { formatNumber, translate, type Locale } from '$lib/i18n';
import { canBalance } from './permissions';
import { FIRST_YEAR, lastYear, loadBody } from './fields';
import { CARRIERS, SECTORS, type Carrier, type Quality, type Sector } from './compute';
import { CARRIER_NAMES, FIELDS, HEADERS, SECTOR_NAMES, isTotal, knownCarrierNames, knownSectorNames, matchCarrier, matchSector, normName, type Field } from './template';
import { MAX_MWH, MAX_T, cellField, saveBalance } from './service';

/** Larger uploads are refused before anything reads them. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
/** A balance has at most 60 cells; tool exports add titles and totals. This bounds the work. */
const MAX_ROWS = 1000;
const MAX_COLUMNS = 60;
const MAX_UNZIPPED = 32 * 1024 * 1024;
const MAX_ISSUES = 100;
/**
 * Longest text a cell may hold: names and numbers are short. Longer cells are cut when reading
 * (and reported in the rows that use them), so no later check ever looks at megabytes of one cell.
 */
export const MAX_CELL = 200;
/** How long a preview may be confirmed. */
export const IMPORT_TTL_MS = 24 * 60 * 60 * 1000;

// ---- reading the file ------------------------------------------------------------------------

export type { Encoding, Separator } from '../files/csv';
export type Decimal = 'comma' | 'point';
export type Layout = 'long' | 'wide';
type CellValue = string | number | null;

export interface Sheet {
	format: 'csv' | 'xlsx';
	encoding: Encoding | null;
	separator: Separator | null;
	/** Non-empty rows with their row number in the file (1-based). */
	rows: { row: number; cells: CellValue[] }[];
	/** Cells longer than MAX_CELL as "row:column" (column 0-based); stored cut, reported where used. */
	longCells: string[];
}

/** A file problem: a message key without parameters (it goes into a form field error). */
class FileProblem extends Error {}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b.length >= 8 && [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((x, i) => b[i] === x);

const blank = (v: CellValue) => v === null || (typeof v === 'string' && v.trim() === '');

function finish(rows: { row: number; cells: CellValue[] }[]): Pick<Sheet, 'rows' | 'longCells'> {
	const kept = rows.filter((r) => r.cells.some((c) => !blank(c)));
	if (!kept.length) throw new FileProblem('bimport.file.empty');
	if (kept.length > MAX_ROWS) throw new FileProblem('bimport.file.tooManyRows');
	const longCells: string[] = [];
	const cut = (c: CellValue, row: number, i: number): CellValue => {
		if (typeof c !== 'string' || c.length <= MAX_CELL) return c;
		longCells.push(`${row}:${i}`);
		return c.slice(0, MAX_CELL) + '…';
	};
	return { rows: kept.map((r) => ({ row: r.row, cells: r.cells.slice(0, MAX_COLUMNS).map((c, i) => cut(c, r.row, i)) })), longCells };
}

function readCsv(bytes: Uint8Array): Sheet {
	const { text, encoding } = decodeText(bytes);
	if (!looksLikeText(text)) throw new FileProblem('bimport.file.unknownType');
	const separator = detectSeparator(text);
	// Lines starting with '#' are the template's explanation.
	const rows = splitCsv(text, separator).filter((r) => !(r.cells[0] ?? '').startsWith('#'));
	return { format: 'csv', encoding, separator, ...finish(rows.map((r) => ({ row: r.row, cells: r.cells.map((c) => c.trim()) }))) };
}

/** Excel cells as text or number; a formula as its last result, an error as its text ("#DIV/0!"). */
function cellValue(v: ExcelJS.CellValue): CellValue {
	if (v === null || v === undefined) return null;
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	if (typeof v === 'string') return v.trim();
	if (typeof v === 'boolean') return String(v);
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
	if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
	if ('formula' in v || 'sharedFormula' in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
	if ('error' in v) return String(v.error);
	if ('text' in v) return typeof v.text === 'string' ? v.text.trim() : null;
	return null;
}

async function readXlsx(bytes: Uint8Array): Promise<Sheet> {
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (!buf.includes('xl/workbook.xml')) throw new FileProblem('bimport.file.notSpreadsheet');
	const unpacked = zipUnpackedSize(buf, MAX_UNZIPPED);
	if (unpacked === null) throw new FileProblem('bimport.file.unreadable');
	if (unpacked === 'tooLarge') throw new FileProblem('bimport.file.tooLarge');
	const wb = new ExcelJS.Workbook();
	try {
		await wb.xlsx.load(buf as unknown as ArrayBuffer);
	} catch {
		throw new FileProblem('bimport.file.unreadable');
	}
	// The template's table sheet; a tool's export has its table on the first sheet.
	const ws = wb.getWorksheet('Bilanz') ?? wb.worksheets.find((w) => w.name !== 'Erläuterung') ?? wb.worksheets[0];
	if (!ws) throw new FileProblem('bimport.file.empty');
	if (ws.actualRowCount > MAX_ROWS) throw new FileProblem('bimport.file.tooManyRows');
	const rows: { row: number; cells: CellValue[] }[] = [];
	ws.eachRow({ includeEmpty: false }, (row, n) => {
		rows.push({ row: n, cells: (row.values as ExcelJS.CellValue[]).slice(1, MAX_COLUMNS + 1).map(cellValue) });
	});
	return { format: 'xlsx', encoding: null, separator: null, ...finish(rows) };
}

/** What the file is decided by its content, not its name: a zip is .xlsx, text is CSV. */
export async function readSheet(bytes: Uint8Array): Promise<Sheet> {
	if (bytes.length > IMPORT_MAX_BYTES) throw new FileProblem('bimport.file.tooLarge');
	if (bytes.length === 0) throw new FileProblem('bimport.file.empty');
	if (isZip(bytes)) return readXlsx(bytes);
	if (isOle(bytes)) throw new FileProblem('bimport.file.oldExcel');
	return readCsv(bytes);
}

// ---- numbers ---------------------------------------------------------------------------------

/**
 * Text that may be a number: digits with separators and spaces, at least one digit. Two plain
 * checks instead of one pattern with a digit in the middle: that pattern backtracks quadratically
 * on a long cell of separators (a minute for 200,000 characters).
 */
const numberish = (s: string) => /^[-−]?[\d.,\s\u00a0\u202f']+$/.test(s) && /\d/.test(s);

export interface DecimalGuess {
	decimal: Decimal;
	/** clear: the values decide; ambiguous: only values like "1.234" (thousands or decimals?); mixed: both kinds. */
	certainty: 'clear' | 'none' | 'ambiguous' | 'mixed';
	/** A value that made it unclear, to show in the explanation. */
	example: string | null;
}

/** Decides per file whether "," or "." separates decimals, from the text cells that look like numbers. */
export function detectDecimal(values: CellValue[]): DecimalGuess {
	let comma = 0;
	let point = 0;
	let ambiguous: string | null = null;
	let mixedExample: string | null = null;
	const vote = (k: Decimal, s: string) => {
		if (k === 'comma') comma++;
		else point++;
		if (comma && point && !mixedExample) mixedExample = s;
	};
	for (const v of values) {
		if (typeof v !== 'string' || v.length > MAX_CELL || !numberish(v.trim())) continue;
		const s = v.replace(/[\s\u00a0\u202f'−-]/g, '');
		const lastComma = s.lastIndexOf(',');
		const lastPoint = s.lastIndexOf('.');
		if (lastComma >= 0 && lastPoint >= 0) vote(lastComma > lastPoint ? 'comma' : 'point', v);
		else if (lastComma >= 0) {
			if (/^\d{1,3}(,\d{3}){2,}$/.test(s)) vote('point', v);
			else if (/^\d{1,3},\d{3}$/.test(s)) ambiguous ??= v;
			else vote('comma', v);
		} else if (lastPoint >= 0) {
			if (/^\d{1,3}(\.\d{3}){2,}$/.test(s)) vote('comma', v);
			else if (/^\d{1,3}\.\d{3}$/.test(s)) ambiguous ??= v;
			else vote('point', v);
		}
	}
	if (comma && point) return { decimal: comma >= point ? 'comma' : 'point', certainty: 'mixed', example: mixedExample };
	if (comma) return { decimal: 'comma', certainty: 'clear', example: null };
	if (point) return { decimal: 'point', certainty: 'clear', example: null };
	// German files are the rule: "1.234" is then one thousand two hundred thirty-four.
	return { decimal: 'comma', certainty: ambiguous ? 'ambiguous' : 'none', example: ambiguous };
}

/** A cell as a number: null when empty (or "-"), 'bad' when it cannot be read with that decimal separator. */
export function readNumber(v: CellValue, decimal: Decimal): number | null | 'bad' {
	if (v === null) return null;
	if (typeof v === 'number') return v;
	let s = v.replace(/[\s\u00a0\u202f']/g, '').replace(/^−/, '-');
	if (s === '' || /^[-–—]$/.test(s)) return null;
	const negative = s.startsWith('-');
	if (negative) s = s.slice(1);
	const [group, dec] = decimal === 'comma' ? ['.', ','] : [',', '.'];
	const g = group === '.' ? '\\.' : ',';
	const d = dec === '.' ? '\\.' : ',';
	const ok = new RegExp(`^(\\d{1,3}(${g}\\d{3})+|\\d+)(${d}\\d+)?$`).test(s) || new RegExp(`^${d}\\d+$`).test(s);
	if (!ok) return 'bad';
	const n = Number(s.split(group).join('').replace(dec, '.'));
	if (!Number.isFinite(n)) return 'bad';
	return negative ? -n : n;
}

/**
 * A number the way the balance form takes it: German, without grouping ("1234,5"), with every
 * digit JavaScript needs to give back the same number (also 0,000000000001 and 0,30000000000000004
 * from an Excel formula): the import stores exactly what the preview showed.
 */
export function formNumber(n: number | null): string {
	if (n === null) return '';
	const [mantissa, exp] = String(Math.abs(n)).split('e');
	let digits = mantissa.replace('.', '');
	let point = (mantissa.indexOf('.') + 1 || mantissa.length + 1) - 1 + Number(exp ?? 0);
	if (point <= 0) {
		digits = '0'.repeat(1 - point) + digits;
		point = 1;
	} else if (point > digits.length) digits += '0'.repeat(point - digits.length);
	const int = digits.slice(0, point);
	const frac = digits.slice(point).replace(/0+$/, '');
	return (n < 0 ? '-' : '') + int + (frac ? ',' + frac : '');
}

// ---- header, layout and mapping --------------------------------------------------------------

/** Which field a long table's column header names (German, English and tool wording). */
export function headerField(h: string): Field | null {
	const n = normName(h);
	if (!n) return null;
	if (/qualitaet|quality|guete|datenguete/.test(n)) return 'quality';
	if (/emission|co2|thg|ghg|treibhaus/.test(n)) return 't';
	if (/sektor|sector|verbrauchergruppe|bereich/.test(n)) return 'sector';
	if (/traeger|carrier|brennstoff|fuel|energiequelle/.test(n)) return 'carrier';
	if (/mwh|kwh|gwh|endenergie|energie|energy|verbrauch|consumption/.test(n)) return 'mwh';
	return null;
}

const text = (v: CellValue) => (v === null ? '' : String(v).trim());

/** The first of the first rows that names at least two known columns or carriers; else the first row. */
export function findHeaderRow(rows: Sheet['rows']): number {
	for (let i = 0; i < Math.min(rows.length, 20); i++) {
		const cells = rows[i].cells.map(text).filter(Boolean);
		const known = cells.filter((c) => headerField(c) || matchCarrier(c)).length;
		if (known >= 2) return i;
	}
	return 0;
}

export interface Mapping {
	layout: Layout;
	decimal: Decimal;
	/** Long: the column of each field (null: not in the file). Wide: sector is the row label column. */
	sector: number | null;
	carrier: number | null;
	mwh: number | null;
	t: number | null;
	quality: number | null;
	/** Wide: the carrier of each column (null: ignored). */
	columns: (Carrier | null)[];
}

/** Which columns mostly hold sector (or carrier) names: a file without a header still maps. */
function columnByValues(rows: CellValue[][], width: number, match: (s: string) => unknown, skip: (number | null)[]): number | null {
	for (let i = 0; i < width; i++) {
		if (skip.includes(i)) continue;
		const vals = rows.map((r) => text(r[i] ?? null)).filter(Boolean);
		if (vals.length && vals.filter((v) => match(v)).length * 2 >= vals.length) return i;
	}
	return null;
}

export function guessMapping(headers: string[], rows: CellValue[][], decimal: Decimal): Mapping {
	const width = Math.max(headers.length, ...rows.map((r) => r.length));
	const carrierHeaders = headers.filter((h) => matchCarrier(h)).length;
	const byHeader: Partial<Record<Field, number>> = {};
	headers.forEach((h, i) => {
		const f = headerField(h);
		if (f && byHeader[f] === undefined) byHeader[f] = i;
	});
	const layout: Layout = carrierHeaders >= 2 && byHeader.carrier === undefined ? 'wide' : 'long';
	const m: Mapping = { layout, decimal, sector: null, carrier: null, mwh: null, t: null, quality: null, columns: [] };
	if (layout === 'wide') {
		m.sector = byHeader.sector ?? columnByValues(rows, width, matchSector, []) ?? 0;
		m.columns = Array.from({ length: width }, (_, i) => (i === m.sector || isTotal(headers[i] ?? '') ? null : matchCarrier(headers[i] ?? '')));
		return m;
	}
	for (const f of FIELDS) m[f] = byHeader[f] ?? null;
	m.sector ??= columnByValues(rows, width, matchSector, [m.carrier]);
	m.carrier ??= columnByValues(rows, width, matchCarrier, [m.sector]);
	return m;
}

// ---- the table the file describes -------------------------------------------------------------

export interface Issue {
	/** Row in the file; null for the file as a whole. */
	row: number | null;
	/** Column header as in the file, where one cell is meant. */
	column: string | null;
	key: string;
	params?: Record<string, string | number>;
}

export interface ImportCell {
	sector: Sector;
	carrier: Carrier;
	energyMwh: number | null;
	emissionsT: number | null;
	quality: Quality | null;
	row: number;
}

interface Stored {
	/** Header cells as text and the rows under the header. */
	headers: string[];
	rows: { row: number; cells: CellValue[] }[];
	/** Cells cut when reading, as "row:column" (missing in imports stored before the cut existed). */
	longCells?: string[];
}

/** "davon kommunale Einrichtungen": a part of the row above, already counted in it. */
const isPart = (s: string) => normName(s).startsWith('davon');

const readQuality = (v: CellValue): Quality | null | 'bad' => {
	const s = text(v).toUpperCase();
	if (!s) return null;
	const m = /^([A-D])(\b|$)/.exec(s);
	return m ? (m[1] as Quality) : 'bad';
};

/** The sector × carrier cells of the file under a mapping, and every problem, row by row. */
export function buildTable(src: Stored, m: Mapping): { cells: ImportCell[]; issues: Issue[]; warnings: Issue[]; totalsSkipped: number } {
	const issues: Issue[] = [];
	const warnings: Issue[] = [];
	const long = new Set(src.longCells ?? []);
	const cells: ImportCell[] = [];
	const firstRow = new Map<string, number>();
	let totalsSkipped = 0;
	const head = (i: number | null, fallback: string) => (i !== null && src.headers[i] ? src.headers[i] : fallback);
	const add = (row: number, sector: Sector, carrier: Carrier, energyMwh: number | null, emissionsT: number | null, quality: Quality | null, column: string | null) => {
		const key = `${sector}/${carrier}`;
		const seen = firstRow.get(key);
		if (seen !== undefined) {
			issues.push({ row, column, key: 'bimport.row.duplicate', params: { sector: SECTOR_NAMES[sector], carrier: CARRIER_NAMES[carrier], first: seen } });
			return;
		}
		firstRow.set(key, row);
		cells.push({ sector, carrier, energyMwh, emissionsT, quality, row });
	};
	/** Whether any of the used cells (column, header to name it) was too long; pushes an issue for each. */
	const tooLong = (row: number, used: [number | null, string][]) => {
		const found = used.filter(([i]) => i !== null && long.has(`${row}:${i}`));
		for (const [i, fallback] of found) issues.push({ row, column: head(i, fallback), key: 'bimport.row.cellTooLong', params: { max: MAX_CELL } });
		return found.length > 0;
	};
	/** A part row ("davon …") is left out: its amounts are already in the row it belongs to. */
	const skipPart = (row: number, label: string) => warnings.push({ row, column: null, key: 'bimport.warn.partSkipped', params: { value: label } });
	/** A number cell: null when empty; pushes its issue and returns undefined when wrong. */
	const amount = (row: number, v: CellValue, column: string, max: number): number | null | undefined => {
		const n = readNumber(v, m.decimal);
		if (n === 'bad') {
			issues.push({ row, column, key: 'bimport.row.numberBad', params: { value: text(v) } });
			return undefined;
		}
		if (n !== null && n < 0) {
			issues.push({ row, column, key: 'bimport.row.negative', params: { value: text(v) } });
			return undefined;
		}
		// The balance form's limit, checked here too: the preview must not promise what saving refuses.
		if (n !== null && n > max) {
			issues.push({ row, column, key: 'bimport.row.tooLarge', params: { value: typeof v === 'number' ? formatNumber(v, 3, 'de') : text(v), max: formatNumber(max, 0, 'de') } });
			return undefined;
		}
		return n;
	};

	if (m.layout === 'long') {
		if (m.sector === null) issues.push({ row: null, column: null, key: 'bimport.map.sectorMissing' });
		if (m.carrier === null) issues.push({ row: null, column: null, key: 'bimport.map.carrierMissing' });
		if (m.mwh === null && m.t === null) issues.push({ row: null, column: null, key: 'bimport.map.valuesMissing' });
		if (issues.length) return { cells, issues, warnings, totalsSkipped };
		const used = [m.sector, m.carrier, m.mwh, m.t, m.quality].filter((i): i is number => i !== null);
		for (const r of src.rows) {
			const at = (i: number | null) => (i === null ? null : (r.cells[i] ?? null));
			if (used.every((i) => blank(at(i)))) continue;
			if (tooLong(r.row, FIELDS.map((f) => [m[f], HEADERS[f]]))) continue;
			const sectorText = text(at(m.sector));
			const carrierText = text(at(m.carrier));
			if (isTotal(sectorText) || isTotal(carrierText)) {
				totalsSkipped++;
				continue;
			}
			if (isPart(sectorText) || isPart(carrierText)) {
				skipPart(r.row, isPart(sectorText) ? sectorText : carrierText);
				continue;
			}
			const before = issues.length;
			const sector = matchSector(sectorText);
			const carrier = matchCarrier(carrierText);
			if (!sectorText) issues.push({ row: r.row, column: head(m.sector, HEADERS.sector), key: 'bimport.row.sectorEmpty' });
			else if (!sector) issues.push({ row: r.row, column: head(m.sector, HEADERS.sector), key: 'bimport.row.sectorUnknown', params: { value: sectorText, known: knownSectorNames() } });
			if (!carrierText) issues.push({ row: r.row, column: head(m.carrier, HEADERS.carrier), key: 'bimport.row.carrierEmpty' });
			else if (!carrier)
				issues.push({ row: r.row, column: head(m.carrier, HEADERS.carrier), key: 'bimport.row.carrierUnknown', params: { value: carrierText, known: knownCarrierNames() } });
			const mwh = m.mwh === null ? null : amount(r.row, at(m.mwh), head(m.mwh, HEADERS.mwh), MAX_MWH);
			const t = m.t === null ? null : amount(r.row, at(m.t), head(m.t, HEADERS.t), MAX_T);
			const q = readQuality(at(m.quality));
			if (q === 'bad') issues.push({ row: r.row, column: head(m.quality, HEADERS.quality), key: 'bimport.row.qualityBad', params: { value: text(at(m.quality)) } });
			if (issues.length > before || !sector || !carrier || mwh === undefined || t === undefined || q === 'bad') continue;
			// A template row left empty: no entry for that cell.
			if (mwh === null && t === null) continue;
			add(r.row, sector, carrier, mwh, t, q, null);
		}
	} else {
		if (m.sector === null) issues.push({ row: null, column: null, key: 'bimport.map.sectorMissing' });
		if (!m.columns.some(Boolean)) issues.push({ row: null, column: null, key: 'bimport.map.carrierColumnsMissing' });
		if (issues.length) return { cells, issues, warnings, totalsSkipped };
		const seenCarrier = new Map<Carrier, number>();
		m.columns.forEach((c, i) => {
			if (!c) return;
			if (seenCarrier.has(c)) issues.push({ row: null, column: null, key: 'bimport.map.carrierTwice', params: { carrier: CARRIER_NAMES[c] } });
			else seenCarrier.set(c, i);
		});
		if (issues.length) return { cells, issues, warnings, totalsSkipped };
		for (const r of src.rows) {
			const label = text(r.cells[m.sector!] ?? null);
			const valueCells = m.columns.map((c, i) => (c ? (r.cells[i] ?? null) : null));
			if (!label && valueCells.every(blank)) continue;
			const used = m.columns.map((c, i): [number | null, string] => [c ? i : null, c ? CARRIER_NAMES[c] : '']);
			if (tooLong(r.row, [[m.sector, HEADERS.sector], ...used])) continue;
			if (isTotal(label)) {
				totalsSkipped++;
				continue;
			}
			if (isPart(label)) {
				skipPart(r.row, label);
				continue;
			}
			const sector = matchSector(label);
			if (!label) {
				issues.push({ row: r.row, column: head(m.sector, HEADERS.sector), key: 'bimport.row.sectorEmpty' });
				continue;
			}
			if (!sector) {
				issues.push({ row: r.row, column: head(m.sector, HEADERS.sector), key: 'bimport.row.sectorUnknown', params: { value: label, known: knownSectorNames() } });
				continue;
			}
			m.columns.forEach((carrier, i) => {
				if (!carrier) return;
				const mwh = amount(r.row, r.cells[i] ?? null, head(i, CARRIER_NAMES[carrier]), MAX_MWH);
				if (mwh === undefined || mwh === null) return;
				add(r.row, sector, carrier, mwh, null, null, head(i, CARRIER_NAMES[carrier]));
			});
		}
	}
	if (!issues.length && !cells.length) issues.push({ row: null, column: null, key: 'bimport.noValues' });
	issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
	// Balancing tools often list GHD with the municipal facilities in it and a "davon kommunale
	// Einrichtungen" row below; Klimanetz counts them apart, so the user has to split them.
	if (warnings.length && cells.some((c) => c.sector === 'commerce')) warnings.unshift({ row: null, column: null, key: 'bimport.warn.commerceParts' });
	return { cells, issues, warnings, totalsSkipped };
}

// ---- the stored import -----------------------------------------------------------------------

interface Plan extends Stored {
	year: number;
	inhabitants: number | null;
	format: Sheet['format'];
	encoding: Encoding | null;
	separator: Separator | null;
	/** Row number of the header in the file. */
	headerRow: number;
	decimalGuess: DecimalGuess;
	detectedLayout: Layout;
	mapping: Mapping;
	/** The stored balance's version at upload (null: none): applying refuses if it changed since. */
	baseVersion: number | null;
	applied: boolean;
}

export interface UploadInput {
	year: string;
	inhabitants: string;
	filename: string;
	/** Null when the upload is larger than IMPORT_MAX_BYTES: the route does not read it at all. */
	bytes: Uint8Array | null;
}

function requireEdit(actor: Actor, networkId: string, bodyId: string) {
	if (!canBalance(actor, 'balance.edit', { networkId, bodyId })) throw new ForbiddenError();
}

function parseUploadFields(input: UploadInput): { year: number; inhabitants: number | null; errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	const y = input.year.trim();
	const year = /^\d{4}$/.test(y) ? Number(y) : NaN;
	if (!y) errors.jahr = 'validation.required';
	else if (!(year >= FIRST_YEAR && year <= lastYear())) errors.jahr = 'bimport.yearRange';
	const inh = input.inhabitants.replace(/[\s.\u00a0]/g, '');
	let inhabitants: number | null = null;
	if (inh !== '') {
		inhabitants = /^\d{1,9}$/.test(inh) ? Number(inh) : NaN;
		if (!Number.isInteger(inhabitants) || inhabitants! < 1) errors.einwohner = 'bimport.inhabitantsBad';
	}
	return { year, inhabitants, errors };
}

async function currentBalance(networkId: string, bodyId: string, year: number) {
	const [b] = await db()
		.select()
		.from(balances)
		.where(and(eq(balances.networkId, networkId), eq(balances.bodyId, bodyId), eq(balances.year, year)));
	if (!b) return null;
	const entries = await db()
		.select()
		.from(balanceEntries)
		.where(and(eq(balanceEntries.networkId, networkId), eq(balanceEntries.balanceId, b.id)));
	return { ...b, entries };
}

/**
 * Step 1: reads the file and stores it with a guessed mapping. Field errors (keys) under jahr,
 * einwohner, datei as a ValidationError; nothing is stored then. Returns the import's id.
 */
export async function uploadBalanceFile(actor: Actor, networkId: string, bodyId: string, input: UploadInput, now = new Date()): Promise<string> {
	requireEdit(actor, networkId, bodyId);
	await loadBody(db(), networkId, bodyId);
	const { year, inhabitants, errors } = parseUploadFields(input);
	let sheet: Sheet | null = null;
	if (input.bytes === null) errors.datei = 'bimport.file.tooLarge';
	else if (!input.bytes.length) errors.datei = 'bimport.file.required';
	else {
		try {
			sheet = await readSheet(input.bytes);
		} catch (e) {
			if (!(e instanceof FileProblem)) throw e;
			errors.datei = e.message;
		}
	}
	if (Object.keys(errors).length || !sheet) throw new ValidationError(errors);
	const h = findHeaderRow(sheet.rows);
	const headers = sheet.rows[h].cells.map(text);
	const rows = sheet.rows.slice(h + 1);
	const decimalGuess = detectDecimal(rows.flatMap((r) => r.cells));
	const mapping = guessMapping(headers, rows.map((r) => r.cells), decimalGuess.decimal);
	const existing = await currentBalance(networkId, bodyId, year);
	const plan: Plan = {
		year,
		inhabitants,
		format: sheet.format,
		encoding: sheet.encoding,
		separator: sheet.separator,
		headerRow: sheet.rows[h].row,
		headers,
		rows,
		longCells: sheet.longCells,
		decimalGuess,
		detectedLayout: mapping.layout,
		mapping,
		baseVersion: existing?.version ?? null,
		applied: false
	};
	const [saved] = await db()
		.insert(balanceImports)
		.values({ networkId, bodyId, createdBy: actor.userId, filename: sanitizeFilename(input.filename), plan, expiresAt: new Date(now.getTime() + IMPORT_TTL_MS) })
		.returning({ id: balanceImports.id });
	return saved.id;
}

async function loadImport(actor: Actor, networkId: string, bodyId: string, importId: string) {
	requireEdit(actor, networkId, bodyId);
	if (!isUuid(importId)) throw new NotFoundError();
	const [imp] = await db()
		.select()
		.from(balanceImports)
		.where(and(eq(balanceImports.id, importId), eq(balanceImports.networkId, networkId), eq(balanceImports.bodyId, bodyId)));
	// Someone else's preview looks like none: it was made and shown for its uploader only.
	if (!imp || imp.createdBy !== actor.userId) throw new NotFoundError();
	return { ...imp, plan: imp.plan as Plan };
}

export type CellChange = 'new' | 'changed' | 'same' | 'removed';

export interface PreviewRow {
	sector: Sector;
	carrier: Carrier;
	energyMwh: number | null;
	emissionsT: number | null;
	quality: Quality | null;
	before: { energyMwh: number | null; emissionsT: number | null; quality: Quality | null } | null;
	change: CellChange;
}

export interface ImportView {
	id: string;
	filename: string;
	year: number;
	inhabitants: number | null;
	format: Sheet['format'];
	encoding: Encoding | null;
	separator: Separator | null;
	headerRow: number;
	decimalGuess: DecimalGuess;
	detectedLayout: Layout;
	headers: string[];
	mapping: Mapping;
	/** The resulting table in the app's order, with removed cells of the stored balance. */
	rows: PreviewRow[];
	issues: Issue[];
	moreIssues: number;
	/** Things to check that do not stop the import (a "davon …" row left out). */
	warnings: Issue[];
	totalsSkipped: number;
	/** The stored balance of that year, if any. */
	existing: { version: number; entries: number } | null;
	/** The stored balance changed since the upload. */
	changedSince: boolean;
	expired: boolean;
	applied: boolean;
	canApply: boolean;
}

const order = (s: Sector, c: Carrier) => SECTORS.indexOf(s) * 100 + CARRIERS.indexOf(c);

function compare(cells: ImportCell[], existing: Awaited<ReturnType<typeof currentBalance>>): PreviewRow[] {
	const before = new Map((existing?.entries ?? []).map((e) => [`${e.sector}/${e.carrier}`, e]));
	const rows: PreviewRow[] = cells.map((c) => {
		const b = before.get(`${c.sector}/${c.carrier}`);
		before.delete(`${c.sector}/${c.carrier}`);
		const was = b ? { energyMwh: b.energyMwh, emissionsT: b.emissionsT, quality: b.quality } : null;
		const same = was && was.energyMwh === c.energyMwh && was.emissionsT === c.emissionsT && was.quality === c.quality;
		return { sector: c.sector, carrier: c.carrier, energyMwh: c.energyMwh, emissionsT: c.emissionsT, quality: c.quality, before: was, change: !existing ? 'new' : !was ? 'new' : same ? 'same' : 'changed' };
	});
	for (const b of before.values()) {
		if (b.energyMwh == null && b.emissionsT == null) continue;
		rows.push({ sector: b.sector, carrier: b.carrier, energyMwh: null, emissionsT: null, quality: null, before: { energyMwh: b.energyMwh, emissionsT: b.emissionsT, quality: b.quality }, change: 'removed' });
	}
	return rows.sort((a, b) => order(a.sector, a.carrier) - order(b.sector, b.carrier));
}

/** Step 2: the stored import under its current mapping: detection, mapping, resulting table, problems. */
export async function getBalanceImport(actor: Actor, networkId: string, bodyId: string, importId: string, now = new Date()): Promise<ImportView> {
	const imp = await loadImport(actor, networkId, bodyId, importId);
	const p = imp.plan;
	const { cells, issues, warnings, totalsSkipped } = buildTable(p, p.mapping);
	const existing = await currentBalance(networkId, bodyId, p.year);
	const changedSince = (existing?.version ?? null) !== p.baseVersion;
	const expired = now.getTime() > imp.expiresAt.getTime();
	return {
		id: imp.id,
		filename: imp.filename,
		year: p.year,
		inhabitants: p.inhabitants,
		format: p.format,
		encoding: p.encoding,
		separator: p.separator,
		headerRow: p.headerRow,
		decimalGuess: p.decimalGuess,
		detectedLayout: p.detectedLayout,
		headers: p.headers,
		mapping: p.mapping,
		rows: issues.length ? [] : compare(cells, existing),
		issues: issues.slice(0, MAX_ISSUES),
		moreIssues: Math.max(0, issues.length - MAX_ISSUES),
		warnings: warnings.slice(0, MAX_ISSUES),
		totalsSkipped,
		existing: existing ? { version: existing.version, entries: existing.entries.length } : null,
		changedSince,
		expired,
		applied: p.applied,
		canApply: !issues.length && !changedSince && !expired && !p.applied
	};
}

/** Form values of the mapping form: layout, dezimal, and a column number (or '') per field / per column. */
export function parseMapping(form: Record<string, string>, plan: Pick<Plan, 'headers' | 'rows' | 'mapping'>): Mapping {
	const width = Math.max(plan.headers.length, ...plan.rows.map((r) => r.cells.length));
	const col = (v: string | undefined): number | null => {
		const n = v !== undefined && /^\d{1,3}$/.test(v) ? Number(v) : NaN;
		return Number.isInteger(n) && n < width ? n : null;
	};
	const layout: Layout = form.layout === 'wide' ? 'wide' : form.layout === 'long' ? 'long' : plan.mapping.layout;
	const decimal: Decimal = form.dezimal === 'point' ? 'point' : form.dezimal === 'comma' ? 'comma' : plan.mapping.decimal;
	// Switching the layout starts from the guess for that layout: the other one's columns mean nothing there.
	if (layout !== plan.mapping.layout) {
		const guess = guessMapping(plan.headers, plan.rows.map((r) => r.cells), decimal);
		if (guess.layout === layout) return guess;
		return layout === 'wide'
			? { ...guess, layout, sector: guess.sector ?? 0, columns: plan.headers.map((h, i) => (i === (guess.sector ?? 0) || isTotal(h) ? null : matchCarrier(h))) }
			: { ...guess, layout, columns: [] };
	}
	const m: Mapping = { layout, decimal, sector: col(form.sector), carrier: null, mwh: null, t: null, quality: null, columns: [] };
	if (layout === 'long') for (const f of FIELDS) m[f] = col(form[f]);
	else m.columns = Array.from({ length: width }, (_, i) => (CARRIERS as readonly string[]).includes(form[`spalte${i}`]) ? (form[`spalte${i}`] as Carrier) : null);
	return m;
}

/** Saves a corrected mapping (the preview is computed from it on the next load). */
export async function setImportMapping(actor: Actor, networkId: string, bodyId: string, importId: string, form: Record<string, string>): Promise<void> {
	const imp = await loadImport(actor, networkId, bodyId, importId);
	if (imp.plan.applied) throw new ValidationError({ _form: 'bimport.alreadyApplied' });
	const plan: Plan = { ...imp.plan, mapping: parseMapping(form, imp.plan) };
	await db().update(balanceImports).set({ plan }).where(eq(balanceImports.id, imp.id));
}

/**
 * Step 3: replaces the year's balance by the file's table in one transaction, or changes nothing:
 * any problem in the file, a stored balance edited since the upload, an expired or applied
 * preview refuse the whole import. Keeps the stored balance's source, note and public mark.
 */
export async function applyBalanceImport(actor: Actor, networkId: string, bodyId: string, importId: string, now = new Date()): Promise<{ year: number }> {
	const view = await getBalanceImport(actor, networkId, bodyId, importId, now);
	if (view.applied) throw new ValidationError({ _form: 'bimport.alreadyApplied' });
	if (view.expired) throw new ValidationError({ _form: 'bimport.expired' });
	if (view.issues.length) throw new ValidationError({ _form: 'bimport.hasIssues' });
	if (view.changedSince) throw new ValidationError({ _form: 'bimport.changedSince' });
	const existing = await currentBalance(networkId, bodyId, view.year);
	const input: Record<string, string> = {
		year: String(view.year),
		inhabitants: view.inhabitants !== null ? String(view.inhabitants) : existing?.inhabitants != null ? String(existing.inhabitants) : '',
		source: existing?.source || translate('de', 'bimport.sourceDefault', { filename: view.filename }),
		note: existing?.note ?? '',
		isPublic: existing?.isPublic ? 'on' : '',
		// The version seen at upload: saveBalance refuses if someone saved that year since.
		id: existing?.id ?? '',
		version: view.existing ? String(view.existing.version) : ''
	};
	for (const r of view.rows) {
		if (r.change === 'removed') continue;
		input[cellField(r.sector, r.carrier, 'mwh')] = formNumber(r.energyMwh);
		input[cellField(r.sector, r.carrier, 't')] = formNumber(r.emissionsT);
		input[cellField(r.sector, r.carrier, 'q')] = r.quality ?? '';
	}
	await db().transaction(async (tx) => {
		// Locking the import makes a double submit wait and then see it applied.
		const [imp] = await tx.select().from(balanceImports).where(eq(balanceImports.id, importId)).for('update');
		const plan = imp.plan as Plan;
		if (plan.applied) throw new ValidationError({ _form: 'bimport.alreadyApplied' });
		const saved = await saveBalance(actor, networkId, bodyId, input, { tx });
		await tx
			.update(balanceImports)
			.set({ plan: { ...plan, applied: true } })
			.where(eq(balanceImports.id, importId));
		await recordChange(tx, actor, {
			networkId,
			action: 'import',
			recordType: 'balance',
			recordId: saved.id,
			after: { importId, filename: view.filename, year: view.year, entries: view.rows.filter((r) => r.change !== 'removed').length }
		});
	});
	return { year: view.year };
}

// ---- messages and housekeeping ---------------------------------------------------------------

/** "Zeile 7, Energieträger: …" in the given language. */
export function describeIssue(locale: Locale, issue: Issue): string {
	const message = translate(locale, issue.key, issue.params);
	if (issue.row === null) return message;
	return issue.column
		? translate(locale, 'bimport.issue.rowColumn', { row: issue.row, column: issue.column, message })
		: translate(locale, 'bimport.issue.row', { row: issue.row, message });
}

/** Housekeeping job: previews past their lifetime are no use any more. */
export async function purgeExpiredBalanceImports(now: Date = new Date()): Promise<number> {
	const rows = await db().delete(balanceImports).where(lt(balanceImports.expiresAt, now)).returning({ id: balanceImports.id });
	return rows.length;
}
