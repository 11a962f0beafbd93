// Writing lists as spreadsheets (.xlsx via exceljs, or CSV the way German Excel reads it), shared by
// the exports of measures, funding applications and later modules. Cells are written as values,
// never formulas: strings Excel would compute get a leading ' in CSV and stay strings in .xlsx.
import ExcelJS from 'exceljs';
import { todayIso } from '../network/directory-shared';

export type Cell = string | number | Date | null;
export type ExportFormat = 'xlsx' | 'csv';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	csv: 'text/csv; charset=utf-8'
};

/** ?format=csv → 'csv', anything else → 'xlsx'. */
export function exportFormatOf(url: URL): ExportFormat {
	return url.searchParams.get('format') === 'csv' ? 'csv' : 'xlsx';
}

/** Cells starting like this would be run as a formula by Excel or LibreOffice when a CSV is opened. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: dates as 01.06.2024, decimal commas, quoted where needed, formulas defused. */
export function csvCell(v: Cell): string {
	let s: string;
	if (v === null) s = '';
	else if (v instanceof Date) s = `${String(v.getUTCDate()).padStart(2, '0')}.${String(v.getUTCMonth() + 1).padStart(2, '0')}.${v.getUTCFullYear()}`;
	else if (typeof v === 'number') s = v.toLocaleString('de-DE', { useGrouping: false, maximumFractionDigits: 10 });
	else s = FORMULA_START.test(v) ? `'${v}` : v;
	return /[";\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Date column value (YYYY-MM-DD) → a Date at UTC midnight, which Excel shows as that day. */
export const asDate = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);

/** "massnahmen-harz-2026-05-01.xlsx": ASCII only, so every browser keeps it. */
export function exportFilename(prefix: string, networkSlug: string, format: ExportFormat, today = todayIso()): string {
	return `${prefix}-${networkSlug.replace(/[^a-z0-9-]/gi, '')}-${today}.${format}`;
}

/** Number formats of typical columns (.xlsx). */
export const NUM_FORMATS = {
	date: 'dd.mm.yyyy',
	decimal: '#,##0.##',
	int: '0',
	/** Text columns stay text when edited: Excel would turn a code "3.10" into a number or date. */
	text: '@'
} as const;

export interface SheetColumn {
	header: string;
	width: number;
	numFmt?: string;
}

export interface SheetSpec {
	/** Name of the first worksheet (.xlsx). */
	sheetName: string;
	columns: readonly SheetColumn[];
	rows: AsyncIterable<Cell[]> | Iterable<Cell[]>;
	/** Adds further worksheets after the data (.xlsx only), e.g. notes on the columns. */
	extraSheets?: (wb: ExcelJS.Workbook) => void;
}

/**
 * Writes one table: CSV with BOM, ';' and CRLF (what German Excel reads and writes itself), or
 * .xlsx with a bold, frozen header row and an autofilter.
 */
export async function writeSpreadsheet(format: ExportFormat, spec: SheetSpec): Promise<Uint8Array> {
	if (format === 'csv') {
		const lines = [spec.columns.map((c) => csvCell(c.header)).join(';')];
		for await (const r of spec.rows) lines.push(r.map(csvCell).join(';'));
		return new TextEncoder().encode('\ufeff' + lines.join('\r\n') + '\r\n');
	}
	const wb = new ExcelJS.Workbook();
	wb.creator = 'Klimanetz';
	wb.created = new Date();
	const ws = wb.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
	ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
	ws.getRow(1).font = { bold: true };
	let n = 0;
	for await (const r of spec.rows) {
		ws.addRow(r);
		n++;
	}
	ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, n + 1), column: spec.columns.length } };
	spec.extraSheets?.(wb);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}
