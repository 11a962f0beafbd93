// Measure lists as spreadsheets: export any filtered list as .xlsx or CSV (German Excel), and
// re-import an edited file to update many measures at once. The import is two steps: the preview
// stores the planned changes (measure_imports), the confirmation applies exactly those in one
// transaction, refusing the whole file if a measure was edited in between.
//
// The column headers and the words "ja"/"nein" are the file format, not UI text: a file exported
// while the interface is in English must import the same way, so they are fixed German constants.
// Status, priority and term use the UI's German labels (messages/de/measures.json).
import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';
import { and, eq, inArray, lt } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, concepts, fieldsOfAction, measureImports, measures } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { sanitizeFilename } from '../files/service';
import { decodeText, headerSeparator, splitCsv, type CsvRecord } from '../files/csv';
import { asDate, CONTENT_TYPES, exportFilename as sharedFilename, FORMULA_START, NUM_FORMATS, writeSpreadsheet, type Cell, type ExportFormat } from '../files/spreadsheet-export';
import { translate, type Locale } from '$lib/i18n';
import { isUniqueViolation, isUuid, todayIso } from '../network/directory-shared';
import { canMeasure, canReadMeasure } from './permissions';
import { iterateMeasures, type MeasureFilter } from './list';
import { MEASURE_STATUSES, PRIORITIES, TERMS, measureAsForm, measureColumns, parseMeasure, type Measure, type MeasureInput } from './measures';
import { writeAutomaticUpdate } from './history';

// ---- the file format -------------------------------------------------------------------------

/** Fields a file may change. Everything else of a measure (description, people, partners) stays. */
export const IMPORT_FIELDS = [
	'code',
	'title',
	'fieldId',
	'status',
	'statusReason',
	'progress',
	'priority',
	'term',
	'plannedStart',
	'plannedEnd',
	'actualStart',
	'actualEnd',
	'costEstimate',
	'fundingSource',
	'savingsT',
	'isPublic'
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

type Kind = 'id' | 'version' | 'info' | 'text' | 'int' | 'decimal' | 'date' | 'status' | 'priority' | 'term' | 'field' | 'bool';

interface Column {
	header: string;
	kind: Kind;
	/** The measure field it edits; absent for ID, version and the informational columns. */
	field?: ImportField;
	/** A file without it is refused. Informational columns and the version may be left out. */
	required: boolean;
	width: number;
}

export const COLUMNS: readonly Column[] = [
	{ header: 'ID', kind: 'id', required: true, width: 38 },
	{ header: 'Version', kind: 'version', required: false, width: 9 },
	{ header: 'Kennung', kind: 'text', field: 'code', required: true, width: 12 },
	{ header: 'Kommune', kind: 'info', required: false, width: 22 },
	{ header: 'Konzept', kind: 'info', required: false, width: 28 },
	{ header: 'Titel', kind: 'text', field: 'title', required: true, width: 45 },
	{ header: 'Handlungsfeld', kind: 'field', field: 'fieldId', required: true, width: 24 },
	{ header: 'Status', kind: 'status', field: 'status', required: true, width: 16 },
	{ header: 'Begründung', kind: 'text', field: 'statusReason', required: true, width: 30 },
	{ header: 'Fortschritt %', kind: 'int', field: 'progress', required: true, width: 13 },
	{ header: 'Priorität', kind: 'priority', field: 'priority', required: true, width: 11 },
	{ header: 'Fristigkeit', kind: 'term', field: 'term', required: true, width: 26 },
	{ header: 'Geplanter Beginn', kind: 'date', field: 'plannedStart', required: true, width: 15 },
	{ header: 'Geplantes Ende', kind: 'date', field: 'plannedEnd', required: true, width: 15 },
	{ header: 'Tatsächlicher Beginn', kind: 'date', field: 'actualStart', required: true, width: 15 },
	{ header: 'Tatsächliches Ende', kind: 'date', field: 'actualEnd', required: true, width: 15 },
	{ header: 'Kosten (EUR)', kind: 'decimal', field: 'costEstimate', required: true, width: 14 },
	{ header: 'Finanzierung', kind: 'text', field: 'fundingSource', required: true, width: 30 },
	{ header: 'Einsparung (t CO2e/Jahr)', kind: 'decimal', field: 'savingsT', required: true, width: 14 },
	{ header: 'Öffentlich', kind: 'bool', field: 'isPublic', required: true, width: 11 }
];

const YES = 'ja';
const NO = 'nein';

/** The column that edits a field (for messages "Zeile 7, Fortschritt %: …"). */
export function columnOf(field: string): string | undefined {
	return COLUMNS.find((c) => c.field === field)?.header;
}

/** Header as typed by people: case, spaces, "CO₂" and a stray BOM do not matter. */
const normHeader = (s: string) =>
	s.replace(/^\ufeff/, '').replace(/₂/g, '2').replace(/\s+/g, ' ').trim().toLowerCase();

/** Labels compared loosely: "in umsetzung", "In  Umsetzung" and "implementation" all match. */
const normLabel = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

function choices(prefix: string, values: readonly string[]) {
	const label = (v: string) => translate('de', `${prefix}.${v}`);
	const lookup = new Map<string, string>();
	for (const v of values) {
		const l = label(v);
		lookup.set(normLabel(l), v);
		// "Kurzfristig (bis 3 Jahre)" may be shortened to "Kurzfristig".
		lookup.set(normLabel(l.replace(/\s*\(.*\)\s*$/, '')), v);
		lookup.set(v, v);
	}
	return { label, lookup, allowed: values.map(label).join(', ') };
}

const STATUS = choices('measure.status', MEASURE_STATUSES);
const PRIORITY = choices('measure.priority', PRIORITIES);
const TERM = choices('measure.term', TERMS);

// ---- export ----------------------------------------------------------------------------------

interface ExportMeasure extends Measure {
	bodyName: string;
	conceptTitle: string;
	fieldName: string | null;
}

function exportRow(m: ExportMeasure): Cell[] {
	return COLUMNS.map((c) => {
		switch (c.kind) {
			case 'id':
				return m.id;
			case 'version':
				return m.version;
			case 'info':
				return c.header === 'Kommune' ? m.bodyName : m.conceptTitle;
			case 'field':
				return m.fieldName ?? '';
			case 'status':
				return STATUS.label(m.status);
			case 'priority':
				return PRIORITY.label(m.priority);
			case 'term':
				return m.term ? TERM.label(m.term) : '';
			case 'bool':
				return m.isPublic ? YES : NO;
			case 'date':
				return asDate(m[c.field as 'plannedStart']);
			default: {
				const v = m[c.field as keyof Measure];
				return v === null || v === undefined ? (c.kind === 'text' ? '' : null) : (v as string | number);
			}
		}
	});
}

/** The full rows of a filtered list, in the list's order, fetched page by page. */
async function* exportMeasuresOf(actor: Actor, networkId: string, filter: MeasureFilter): AsyncGenerator<ExportMeasure> {
	let ids: string[] = [];
	const flush = async function* () {
		const rows = await db()
			.select({ ...measureColumns, bodyName: bodies.name, conceptTitle: concepts.title, fieldName: fieldsOfAction.name })
			.from(measures)
			.innerJoin(bodies, eq(bodies.id, measures.bodyId))
			.innerJoin(concepts, eq(concepts.id, measures.conceptId))
			.leftJoin(fieldsOfAction, eq(fieldsOfAction.id, measures.fieldId))
			.where(and(eq(measures.networkId, networkId), inArray(measures.id, ids)));
		const byId = new Map(rows.map((r) => [r.id, r]));
		for (const id of ids) {
			const r = byId.get(id);
			if (r) yield r;
		}
		ids = [];
	};
	for await (const item of iterateMeasures(actor, networkId, filter)) {
		ids.push(item.id);
		if (ids.length >= 500) yield* flush();
	}
	if (ids.length) yield* flush();
}

const NUM_FMT: Partial<Record<Kind, string>> = {
	date: NUM_FORMATS.date,
	decimal: NUM_FORMATS.decimal,
	int: NUM_FORMATS.int,
	version: NUM_FORMATS.int,
	// Text columns stay text when edited: Excel would turn a code "3.10" into a number or date.
	text: NUM_FORMATS.text,
	id: NUM_FORMATS.text,
	info: NUM_FORMATS.text,
	field: NUM_FORMATS.text
};

export { CONTENT_TYPES, type ExportFormat };

/** "massnahmen-harz-2026-05-01.xlsx": ASCII only, so every browser keeps it. */
export function exportFilename(networkSlug: string, format: ExportFormat, today = todayIso()): string {
	return sharedFilename('massnahmen', networkSlug, format, today);
}

/**
 * The filtered list as a file. Working area only (ForbiddenError otherwise). Strings are written
 * as plain strings in .xlsx (never formulas) and with a leading ' in CSV where Excel would compute them.
 */
export async function exportMeasures(actor: Actor, networkId: string, filter: MeasureFilter, format: ExportFormat): Promise<Uint8Array> {
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new ForbiddenError();
	async function* rows() {
		for await (const m of exportMeasuresOf(actor, networkId, filter)) yield exportRow(m);
	}
	return writeSpreadsheet(format, {
		sheetName: 'Maßnahmen',
		columns: COLUMNS.map((c) => ({ header: c.header, width: c.width, numFmt: NUM_FMT[c.kind] })),
		rows: rows(),
		extraSheets: addNotesSheet
	});
}

/** A second sheet saying what may be edited and which values are allowed. */
function addNotesSheet(wb: ExcelJS.Workbook) {
	const ws = wb.addWorksheet('Hinweise');
	ws.columns = [{ width: 26 }, { width: 90 }];
	const rows: [string, string][] = [
		['ID', translate('de', 'import.file.id')],
		['Version', translate('de', 'import.file.version')],
		['Kommune, Konzept', translate('de', 'import.file.info')],
		['Status', STATUS.allowed],
		['Priorität', PRIORITY.allowed],
		['Fristigkeit', TERM.allowed],
		['Öffentlich', `${YES}, ${NO}`],
		['Handlungsfeld', translate('de', 'import.file.field')]
	];
	for (const r of rows) ws.addRow(r).getCell(1).font = { bold: true };
}

// ---- reading files ---------------------------------------------------------------------------

/** Larger uploads are refused before anything reads them. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** A list of a district's measures has hundreds of rows; this bounds the work one file causes. */
const MAX_ROWS = 5000;
/** An .xlsx that unpacks to more than this is a zip bomb, not a measure list. */
const MAX_UNZIPPED = 64 * 1024 * 1024;
/** The preview shows this many errors; a wholly wrong file should not produce thousands. */
const MAX_ERRORS = 200;

export interface ImportIssue {
	/** Row in the spreadsheet (the header is row 1); null for the file as a whole. */
	row: number | null;
	/** Column header, or a field label for rules between fields. */
	column: string | null;
	/** Message key; params fill it. */
	key: string;
	params?: Record<string, string | number>;
}

class FileProblem extends Error {
	constructor(
		public readonly key: string,
		public readonly params?: Record<string, string | number>
	) {
		super(key);
	}
}

interface Table {
	/** .xlsx cells keep their Excel values (dates, numbers) until the column's kind is known. */
	xlsx: boolean;
	headers: string[];
	/** Row number in the file and its cells in header order (strings for CSV). */
	records: { row: number; values: unknown[] }[];
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
/** The old binary Excel format (OLE compound file): exceljs can't read it. */
const isOle = (b: Uint8Array) => b.length >= 8 && [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((x, i) => b[i] === x);

/**
 * Unpacked size of a zip, counted by really inflating every entry with a ceiling (the sizes a zip
 * declares about itself can lie, and the zip reader under exceljs inflates an entry completely
 * before it compares). 'tooLarge' as soon as the total passes `limit`; null when unreadable.
 */
export function zipUnpackedSize(b: Buffer, limit: number): number | 'tooLarge' | null {
	const min = Math.max(0, b.length - 65557);
	for (let i = b.length - 22; i >= min; i--) {
		if (b.readUInt32LE(i) !== 0x06054b50) continue;
		const count = b.readUInt16LE(i + 10);
		let p = b.readUInt32LE(i + 16);
		let total = 0;
		for (let k = 0; k < count; k++) {
			if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return null;
			const method = b.readUInt16LE(p + 10);
			const compressed = b.readUInt32LE(p + 20);
			const local = b.readUInt32LE(p + 42);
			if (local + 30 > b.length || b.readUInt32LE(local) !== 0x04034b50) return null;
			const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
			if (start + compressed > b.length) return null;
			const data = b.subarray(start, start + compressed);
			if (method === 0) total += data.length;
			else if (method === 8) {
				try {
					total += inflateRawSync(data, { maxOutputLength: Math.max(1, limit - total + 1) }).length;
				} catch (e) {
					if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return 'tooLarge';
					return null;
				}
			} else return null;
			if (total > limit) return 'tooLarge';
			p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
		}
		return total;
	}
	return null;
}

const extOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

async function readTable(filename: string, bytes: Buffer): Promise<Table> {
	if (bytes.length > IMPORT_MAX_BYTES) throw new FileProblem('import.tooLarge', { max: IMPORT_MAX_BYTES / 1024 / 1024 });
	if (bytes.length === 0) throw new FileProblem('import.empty');
	const ext = extOf(filename);
	if (isZip(bytes)) return readXlsx(bytes);
	if (isOle(bytes)) throw new FileProblem('import.oldExcel');
	// A PDF or a CSV called "liste.xlsx": say it is no Excel file rather than "unreadable".
	if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls') throw new FileProblem('import.notExcel');
	if (!looksLikeText(bytes)) throw new FileProblem('import.unknownType');
	return readCsv(bytes);
}

function looksLikeText(b: Buffer): boolean {
	const n = Math.min(b.length, 64 * 1024);
	for (let i = 0; i < n; i++) {
		const c = b[i];
		if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return false;
	}
	return true;
}

// .xlsx ------------------------------------------------------------------------------------------

/** A cell as the text the form would have received; dates as YYYY-MM-DD. */
function cellString(v: ExcelJS.CellValue, kind: Kind): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'boolean') return kind === 'bool' ? (v ? YES : NO) : String(v);
	if (typeof v === 'number') {
		// A date typed into a cell formatted as number arrives as Excel's day count.
		if (kind === 'date' && v > 0 && v < 80000) return new Date(Math.round((v - 25569) * 86400000)).toISOString().slice(0, 10);
		// Decimal comma, as the form would send it: "12.345" would read as twelve thousand.
		return kind === 'decimal' ? String(v).replace('.', ',') : String(v);
	}
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
	if ('richText' in v) return v.richText.map((r) => r.text).join('');
	if ('formula' in v || 'sharedFormula' in v) return cellString((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, kind);
	if ('error' in v) throw new CellProblem('import.cellError', { value: String(v.error) });
	if ('text' in v) return typeof v.text === 'string' ? v.text : cellString(v.text as ExcelJS.CellValue, kind);
	return '';
}

class CellProblem extends Error {
	constructor(
		public readonly key: string,
		public readonly params?: Record<string, string | number>
	) {
		super(key);
	}
}

async function readXlsx(bytes: Buffer): Promise<Table> {
	if (!bytes.includes('xl/workbook.xml')) throw new FileProblem('import.notExcel');
	const unpacked = zipUnpackedSize(bytes, MAX_UNZIPPED);
	if (unpacked === null) throw new FileProblem('import.unreadable');
	if (unpacked === 'tooLarge') throw new FileProblem('import.tooLarge', { max: IMPORT_MAX_BYTES / 1024 / 1024 });
	const wb = new ExcelJS.Workbook();
	try {
		await wb.xlsx.load(bytes as unknown as ArrayBuffer);
	} catch {
		throw new FileProblem('import.unreadable');
	}
	const ws = wb.getWorksheet('Maßnahmen') ?? wb.worksheets[0];
	if (!ws) throw new FileProblem('import.empty');
	if (ws.actualRowCount > MAX_ROWS + 1) throw new FileProblem('import.tooManyRows', { max: MAX_ROWS });
	const t: Table = { xlsx: true, headers: [], records: [] };
	ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const values = (row.values as ExcelJS.CellValue[]).slice(1);
		if (!t.headers.length && !t.records.length) {
			t.headers = values.map((v) => (v === null || v === undefined ? '' : cellString(v, 'text')));
			return;
		}
		t.records.push({ row: rowNumber, values });
	});
	return t;
}

// CSV --------------------------------------------------------------------------------------------

/** RFC 4180 records; the separator is whichever of ; , or tab the header line uses. */
export const parseCsv = (text: string): CsvRecord[] => splitCsv(text, headerSeparator(text));

/** Our export writes a ' before cells Excel would compute; reading it back removes exactly that. */
const unescapeCsv = (s: string) => (s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s);

function readCsv(bytes: Buffer): Table {
	const records = parseCsv(decodeText(bytes).text).filter((r) => r.cells.some((c) => c.trim() !== ''));
	if (!records.length) throw new FileProblem('import.empty');
	if (records.length > MAX_ROWS + 1) throw new FileProblem('import.tooManyRows', { max: MAX_ROWS });
	const [head, ...rest] = records;
	return { xlsx: false, headers: head.cells, records: rest.map((r) => ({ row: r.row, values: r.cells.map(unescapeCsv) })) };
}

// ---- preview ---------------------------------------------------------------------------------

type Json = string | number | boolean | null;

export interface ImportChange {
	field: ImportField;
	column: string;
	/** Stored values; for the field of action its name, for display. */
	before: Json;
	after: Json;
}

export interface ImportRow {
	row: number;
	measureId: string;
	code: string;
	bodyName: string;
	changes: ImportChange[];
}

export interface ImportPreview {
	/** Null when nothing is to be applied: errors, or no changes. */
	importId: string | null;
	filename: string;
	rows: ImportRow[];
	errors: ImportIssue[];
	/** Errors beyond those listed. */
	moreErrors: number;
}

/** The stored plan: what measure_imports.changes holds. */
interface PlannedMeasure {
	measureId: string;
	version: number;
	row: number;
	changes: Partial<Record<ImportField, [Json, Json]>>;
}

interface RawRow {
	row: number;
	id: string;
	version: string;
	/** Raw cells of the editable columns present in the file. */
	cells: Partial<Record<ImportField, string>>;
	cellErrors: ImportIssue[];
}

function headerIssues(headers: string[]): { issues: ImportIssue[]; index: Map<Column, number> } {
	const index = new Map<Column, number>();
	const unknown: string[] = [];
	const duplicate: string[] = [];
	headers.forEach((h, i) => {
		if (normHeader(h) === '') return;
		const col = COLUMNS.find((c) => normHeader(c.header) === normHeader(h));
		if (!col) unknown.push(h.trim());
		else if (index.has(col)) duplicate.push(col.header);
		else index.set(col, i);
	});
	const missing = COLUMNS.filter((c) => c.required && !index.has(c)).map((c) => c.header);
	const issues: ImportIssue[] = [];
	const list = (l: string[]) => l.map((s) => `„${s}“`).join(', ');
	if (missing.length) issues.push({ row: null, column: null, key: 'import.columnsMissing', params: { columns: list(missing) } });
	if (unknown.length) issues.push({ row: null, column: null, key: 'import.columnsUnknown', params: { columns: list(unknown) } });
	if (duplicate.length) issues.push({ row: null, column: null, key: 'import.columnsDuplicate', params: { columns: list(duplicate) } });
	return { issues, index };
}

function rawRows(table: Table, index: Map<Column, number>): RawRow[] {
	const out: RawRow[] = [];
	for (const r of table.records) {
		const raw: RawRow = { row: r.row, id: '', version: '', cells: {}, cellErrors: [] };
		let empty = true;
		for (const [col, i] of index) {
			let s = '';
			try {
				s = table.xlsx ? cellString(r.values[i] as ExcelJS.CellValue, col.kind) : String(r.values[i] ?? '');
			} catch (e) {
				if (!(e instanceof CellProblem)) throw e;
				raw.cellErrors.push({ row: r.row, column: col.header, key: e.key, params: e.params });
				empty = false;
				continue;
			}
			if (s.trim() !== '') empty = false;
			if (col.kind === 'id') raw.id = s.trim();
			else if (col.kind === 'version') raw.version = s.trim();
			else if (col.field) raw.cells[col.field] = s;
		}
		if (!empty) out.push(raw);
	}
	return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

async function loadMeasures(networkId: string, ids: string[]) {
	const out: (Measure & { bodyName: string })[] = [];
	for (let i = 0; i < ids.length; i += 1000) {
		const chunk = ids.slice(i, i + 1000);
		out.push(
			...(await db()
				.select({ ...measureColumns, bodyName: bodies.name })
				.from(measures)
				.innerJoin(bodies, eq(bodies.id, measures.bodyId))
				.where(and(eq(measures.networkId, networkId), inArray(measures.id, chunk))))
		);
	}
	return out;
}

async function fieldsOf(conceptIds: string[]) {
	if (!conceptIds.length) return [];
	return db()
		.select({ id: fieldsOfAction.id, name: fieldsOfAction.name, conceptId: fieldsOfAction.conceptId })
		.from(fieldsOfAction)
		.where(inArray(fieldsOfAction.conceptId, conceptIds));
}

/**
 * One row: the stored measure's values overlaid with the file's cells (labels turned into values),
 * checked by the edit form's rules (parseMeasure), and which of the file's fields really change.
 */
function planRow(r: RawRow, m: Measure, fields: { id: string; name: string; conceptId: string }[]) {
	const issues: ImportIssue[] = [];
	const issue = (column: string, key: string, params?: ImportIssue['params']) => issues.push({ row: r.row, column, key, params });
	const values = measureAsForm(m);
	for (const [field, cell] of Object.entries(r.cells) as [ImportField, string][]) {
		const col = columnOf(field)!;
		const v = cell.trim();
		const kind = COLUMNS.find((c) => c.field === field)!.kind;
		const pickFrom = (c: typeof STATUS, optional: boolean) => {
			if (v === '' && optional) return '';
			const found = c.lookup.get(normLabel(v));
			if (found) return found;
			issue(col, 'import.choice', { allowed: c.allowed });
			return values[field];
		};
		if (kind === 'status') values.status = pickFrom(STATUS, false);
		else if (kind === 'priority') values.priority = pickFrom(PRIORITY, false);
		else if (kind === 'term') values.term = pickFrom(TERM, true);
		else if (kind === 'bool') {
			const b = normLabel(v);
			if (['ja', 'j', 'yes', 'true', 'wahr', '1', 'x'].includes(b)) values.isPublic = 'on';
			else if (['nein', 'n', 'no', 'false', 'falsch', '0', ''].includes(b)) values.isPublic = '';
			else issue(col, 'import.yesNo');
		} else if (kind === 'field') {
			const own = fields.filter((x) => x.conceptId === m.conceptId);
			const f = own.find((x) => normLabel(x.name) === normLabel(v));
			if (v === '') values.fieldId = '';
			else if (f) values.fieldId = f.id;
			else issue(col, own.length ? 'import.fieldUnknown' : 'import.fieldNone', { allowed: own.map((x) => x.name).join(', ') });
		} else values[field] = cell;
	}
	let data: MeasureInput | null = null;
	try {
		data = parseMeasure(values);
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		for (const [field, key] of Object.entries(e.fieldErrors)) issue(columnOf(field) ?? translate('de', `measure.field.${field}`), key);
	}
	const changed = data ? IMPORT_FIELDS.filter((f) => f in r.cells && !same(data[f], m[f])) : [];
	return { issues: [...r.cellErrors, ...issues], data, changed };
}

/**
 * Reads an uploaded file and works out what it would change. Nothing changes yet: the plan is stored
 * for applyImport when every row is valid and something changes; otherwise importId is null and
 * `errors` says why, row by row. Needs the working area; rows the actor may not edit are errors.
 */
export async function previewImport(actor: Actor, networkId: string, file: { filename: string; bytes: Uint8Array }): Promise<ImportPreview> {
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new ForbiddenError();
	const filename = sanitizeFilename(file.filename);
	const result = (errors: ImportIssue[], rows: ImportRow[] = [], importId: string | null = null): ImportPreview => ({
		importId,
		filename,
		rows,
		errors: errors.slice(0, MAX_ERRORS),
		moreErrors: Math.max(0, errors.length - MAX_ERRORS)
	});
	// Size first: an oversized upload is never parsed.
	if (file.bytes.length > IMPORT_MAX_BYTES) return result([{ row: null, column: null, key: 'import.tooLarge', params: { max: IMPORT_MAX_BYTES / 1024 / 1024 } }]);
	let table: Table;
	try {
		table = await readTable(filename, Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
	} catch (e) {
		if (e instanceof FileProblem) return result([{ row: null, column: null, key: e.key, params: e.params }]);
		throw e;
	}
	const { issues: headerErrors, index } = headerIssues(table.headers);
	if (headerErrors.length) return result(headerErrors);

	const raws = rawRows(table, index);
	if (!raws.length) return result([{ row: null, column: null, key: 'import.noRows' }]);
	const errors: ImportIssue[] = [];
	const rowError = (row: number, column: string | null, key: string, params?: ImportIssue['params']) => errors.push({ row, column, key, params });

	// Identify rows: a well-formed ID, once in the file, of a measure of this network the actor may edit.
	const firstRowOf = new Map<string, number>();
	const identified: RawRow[] = [];
	for (const r of raws) {
		const id = r.id.toLowerCase();
		if (!id) rowError(r.row, 'ID', 'import.idMissing');
		else if (!isUuid(id)) rowError(r.row, 'ID', 'import.idInvalid');
		else if (firstRowOf.has(id)) rowError(r.row, 'ID', 'import.idDuplicate', { row: firstRowOf.get(id)! });
		else {
			firstRowOf.set(id, r.row);
			identified.push({ ...r, id });
		}
	}
	const stored = new Map((await loadMeasures(networkId, identified.map((r) => r.id))).map((m) => [m.id, m]));
	const fields = await fieldsOf([...new Set([...stored.values()].map((m) => m.conceptId))]);
	const fieldName = new Map(fields.map((f) => [f.id, f.name]));

	const plans: { raw: RawRow; m: Measure & { bodyName: string }; data: MeasureInput; changed: ImportField[] }[] = [];
	for (const r of identified) {
		const m = stored.get(r.id);
		// Another network's measure looks exactly like an unknown one: ids must not reveal anything.
		if (!m || !canReadMeasure(actor, m)) {
			rowError(r.row, 'ID', 'import.idUnknown');
			continue;
		}
		const { issues, data, changed } = planRow(r, m, fields);
		// A member exports the whole network's list: other towns' rows are fine as long as they are left alone.
		if (!canMeasure(actor, 'measure.edit', { networkId, bodyId: m.bodyId })) {
			if (issues.length || changed.length) rowError(r.row, 'ID', 'import.notAllowed', { code: m.code, body: m.bodyName });
			continue;
		}
		if (issues.length) {
			errors.push(...issues);
			continue;
		}
		if (!changed.length) continue;
		// The file's other cells are as old as the export: applying them would undo a colleague's edit.
		if (r.version !== '' && r.version !== String(m.version)) {
			rowError(r.row, 'Version', 'import.changedSinceExport', { code: m.code });
			continue;
		}
		plans.push({ raw: r, m, data: data!, changed });
	}

	// Codes stay unique per concept: against the stored measures and among the file's own rows.
	const recoded = plans.filter((p) => p.changed.includes('code'));
	if (recoded.length) {
		const conceptIds = [...new Set(recoded.map((p) => p.m.conceptId))];
		const finalCode = new Map<string, { conceptId: string; code: string }>();
		for (const c of await db()
			.select({ id: measures.id, conceptId: measures.conceptId, code: measures.code })
			.from(measures)
			.where(and(eq(measures.networkId, networkId), inArray(measures.conceptId, conceptIds))))
			finalCode.set(c.id, { conceptId: c.conceptId, code: c.code });
		for (const p of plans) if (finalCode.has(p.m.id)) finalCode.set(p.m.id, { conceptId: p.m.conceptId, code: p.data.code });
		const holders = new Map<string, number>();
		for (const v of finalCode.values()) holders.set(`${v.conceptId}\n${v.code}`, (holders.get(`${v.conceptId}\n${v.code}`) ?? 0) + 1);
		for (const p of recoded) {
			if ((holders.get(`${p.m.conceptId}\n${p.data.code}`) ?? 0) > 1) rowError(p.raw.row, 'Kennung', 'measure.codeTaken');
		}
	}

	errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
	if (errors.length) return result(errors);
	if (!plans.length) return result([]);

	const planned: PlannedMeasure[] = plans.map((p) => ({
		measureId: p.m.id,
		version: p.m.version,
		row: p.raw.row,
		changes: Object.fromEntries(p.changed.map((f) => [f, [p.m[f] ?? null, p.data[f] ?? null]]))
	}));
	const [saved] = await db()
		.insert(measureImports)
		.values({ networkId, userId: actor.userId!, filename, changes: planned })
		.returning({ id: measureImports.id });
	const rows = plans.map((p, i) => describeRow(planned[i], p.m.code, p.m.bodyName, fieldName));
	return result([], rows, saved.id);
}

function describeRow(p: PlannedMeasure, code: string, bodyName: string, fieldName: Map<string, string>): ImportRow {
	const show = (f: ImportField, v: Json) => (f === 'fieldId' && typeof v === 'string' ? (fieldName.get(v) ?? '') : v);
	return {
		row: p.row,
		measureId: p.measureId,
		code,
		bodyName,
		// In the file's column order: jsonb does not keep the order of object keys.
		changes: IMPORT_FIELDS.filter((f) => p.changes[f]).map((field) => ({
			field,
			column: columnOf(field)!,
			before: show(field, p.changes[field]![0]),
			after: show(field, p.changes[field]![1])
		}))
	};
}

/** How long a preview may be confirmed. */
const IMPORT_TTL_MS = 24 * 60 * 60 * 1000;

async function loadImport(actor: Actor, networkId: string, importId: string) {
	if (!isUuid(importId)) throw new NotFoundError();
	const [imp] = await db()
		.select()
		.from(measureImports)
		.where(and(eq(measureImports.id, importId), eq(measureImports.networkId, networkId)));
	if (!imp) throw new NotFoundError();
	// The plan was made with the previewer's permissions and shown to them only.
	if (imp.userId !== actor.userId) throw new ForbiddenError();
	return imp;
}

export interface StoredImport {
	id: string;
	filename: string;
	createdAt: Date;
	appliedAt: Date | null;
	expired: boolean;
	rows: ImportRow[];
}

/** A stored preview again (the page after the upload redirect). Only for the user who made it. */
export async function getImport(actor: Actor, networkId: string, importId: string, now = new Date()): Promise<StoredImport> {
	const imp = await loadImport(actor, networkId, importId);
	const planned = imp.changes as PlannedMeasure[];
	const current = new Map((await loadMeasures(networkId, planned.map((p) => p.measureId))).map((m) => [m.id, m]));
	const fieldIds = planned.flatMap((p): Json[] => p.changes.fieldId ?? []).filter((v): v is string => typeof v === 'string');
	const names = fieldIds.length
		? await db().select({ id: fieldsOfAction.id, name: fieldsOfAction.name }).from(fieldsOfAction).where(inArray(fieldsOfAction.id, fieldIds))
		: [];
	const fieldName = new Map(names.map((f) => [f.id, f.name]));
	return {
		id: imp.id,
		filename: imp.filename,
		createdAt: imp.createdAt,
		appliedAt: imp.appliedAt,
		expired: now.getTime() - imp.createdAt.getTime() > IMPORT_TTL_MS,
		rows: planned.map((p) => {
			const m = current.get(p.measureId);
			return describeRow(p, m?.code ?? '', m?.bodyName ?? '', fieldName);
		})
	};
}

/** Foreign-key violations (a field of action deleted since the preview), on both drivers. */
function isForeignKeyViolation(e: unknown): boolean {
	let cur: unknown = e;
	for (let i = 0; i < 4 && cur; i++) {
		if (typeof cur === 'object' && (cur as { code?: unknown }).code === '23503') return true;
		cur = (cur as { cause?: unknown }).cause;
	}
	return false;
}

/**
 * Applies a previewed import in one transaction: every measure must still have the version the
 * preview saw, or nothing changes. Writes a history entry where status or completion changed and
 * one audit entry per measure. Only the previewing user, within 24 hours, once.
 */
export async function applyImport(actor: Actor, networkId: string, importId: string, now = new Date()): Promise<{ updated: number }> {
	await loadImport(actor, networkId, importId);
	try {
		return await db().transaction(async (tx) => {
			// Locking the import row makes a double submit wait and then see appliedAt.
			const [imp] = await tx.select().from(measureImports).where(eq(measureImports.id, importId)).for('update');
			if (imp.appliedAt) throw new ValidationError({ _form: 'import.alreadyApplied' });
			if (now.getTime() - imp.createdAt.getTime() > IMPORT_TTL_MS) throw new ValidationError({ _form: 'import.expired' });
			// A fixed lock order keeps two imports touching the same measures from deadlocking.
			const planned = [...(imp.changes as PlannedMeasure[])].sort((a, b) => a.measureId.localeCompare(b.measureId));
			const befores = new Map<string, Measure>();
			for (const p of planned) {
				const [m] = await tx
					.select(measureColumns)
					.from(measures)
					.where(and(eq(measures.id, p.measureId), eq(measures.networkId, networkId)))
					.for('update');
				if (!m || m.version !== p.version) throw new ValidationError({ _form: 'import.editedMeanwhile' });
				if (!canMeasure(actor, 'measure.edit', { networkId, bodyId: m.bodyId })) throw new ForbiddenError();
				befores.set(m.id, m);
			}
			// Codes may be swapped between rows (M-1 ↔ M-2): park them first so no step breaks uniqueness.
			for (const p of planned) {
				if (p.changes.code) await tx.update(measures).set({ code: `\u2060import-${p.measureId}` }).where(eq(measures.id, p.measureId));
			}
			for (const p of planned) {
				const before = befores.get(p.measureId)!;
				const set = Object.fromEntries(Object.entries(p.changes).map(([f, [, after]]) => [f, after])) as Partial<typeof measures.$inferInsert>;
				const [after] = await tx
					.update(measures)
					.set({ ...set, version: before.version + 1, updatedAt: new Date() })
					.where(eq(measures.id, p.measureId))
					.returning(measureColumns);
				if (before.status !== after.status || before.progress !== after.progress) {
					await writeAutomaticUpdate(tx, actor, after, { kind: 'import', before });
				}
				await recordChange(tx, actor, { networkId, action: 'update', recordType: 'measure', recordId: p.measureId, before, after: { ...after, importId } });
			}
			await tx.update(measureImports).set({ appliedAt: new Date() }).where(eq(measureImports.id, importId));
			return { updated: planned.length };
		});
	} catch (e) {
		// Another measure took a code, or a field of action was deleted, after the preview.
		if (isUniqueViolation(e) || isForeignKeyViolation(e)) throw new ValidationError({ _form: 'import.editedMeanwhile' });
		throw e;
	}
}

// ---- messages --------------------------------------------------------------------------------

/** "Zeile 7, Fortschritt %: Bitte geben Sie …" in the given language. */
export function describeIssue(locale: Locale, issue: ImportIssue): string {
	const message = translate(locale, issue.key, issue.params);
	if (issue.row === null) return message;
	return issue.column
		? translate(locale, 'import.issue.rowColumn', { row: issue.row, column: issue.column, message })
		: translate(locale, 'import.issue.row', { row: issue.row, message });
}

/** Housekeeping job: import previews older than their lifetime are no use any more. */
export async function purgeExpiredImports(now: Date = new Date()): Promise<number> {
	const rows = await db()
		.delete(measureImports)
		.where(lt(measureImports.createdAt, new Date(now.getTime() - IMPORT_TTL_MS)))
		.returning({ id: measureImports.id });
	return rows.length;
}
