import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { auditLog, measureImports, measureUpdates } from '../db/schema';
import { ForbiddenError, ValidationError } from '../errors';
import { getMeasure, measureFormValues, updateMeasure } from './measures';
import { makeMeasure, measureWorld } from './testing';
import { COLUMNS, applyImport, describeIssue, exportMeasures, getImport, previewImport, purgeExpiredImports, type ImportPreview } from './spreadsheet';
import { deflateRawSync } from 'node:zlib';

useTestDb();

const col = (header: string) => COLUMNS.findIndex((c) => c.header === header) + 1;

async function readXlsx(bytes: Uint8Array) {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
	return wb;
}

async function xlsxBytes(wb: ExcelJS.Workbook) {
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** The row of a measure in an exported sheet, found by its ID cell. */
function rowOf(ws: ExcelJS.Worksheet, id: string): ExcelJS.Row {
	for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === id) return ws.getRow(r);
	throw new Error(`no row for ${id}`);
}

/** CSV text → cells (our export never quotes line breaks in these tests). */
const csvLines = (text: string) =>
	text
		.replace(/^\ufeff/, '')
		.split('\r\n')
		.filter(Boolean)
		.map((l) => l.split(';'));
const csvText = (lines: string[][]) => '\ufeff' + lines.map((l) => l.join(';')).join('\r\n') + '\r\n';
const utf8 = (s: string) => new TextEncoder().encode(s);

async function setup() {
	const w = await measureWorld();
	const m1 = await makeMeasure(w.member, w.network.id, w.concept.id, {
		code: 'M-1',
		title: 'PV auf dem Rathausdach',
		fieldId: w.energy.id,
		status: 'planned',
		plannedStart: '2026-01-01',
		plannedEnd: '2027-06-30',
		costEstimate: '12.500,50',
		savingsT: '3,5',
		term: 'short',
		priority: 'high'
	});
	const m2 = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2', title: 'Radwege ausbauen', fieldId: w.mobility.id, status: 'idea' });
	const h1 = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1', title: 'Solarkataster', status: 'idea' });
	return { ...w, m1, m2, h1 };
}

const keys = (p: ImportPreview) => p.errors.map((e) => [e.row, e.column, e.key]);

describe('spreadsheet export', () => {
	it('writes .xlsx with ID column, German headers and labels, real dates and numbers, frozen header and autofilter', async () => {
		const w = await setup();
		const wb = await readXlsx(await exportMeasures(w.member, w.network.id, {}, 'xlsx'));
		const ws = wb.getWorksheet('Maßnahmen')!;
		expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(COLUMNS.map((c) => c.header));
		expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(ws.autoFilter).toBeTruthy();
		expect(ws.rowCount).toBe(4);
		const r = rowOf(ws, w.m1.id);
		expect(r.getCell(col('Kennung')).value).toBe('M-1');
		expect(r.getCell(col('Kommune')).value).toBe('Wernigerode');
		expect(r.getCell(col('Handlungsfeld')).value).toBe('Energieversorgung');
		expect(r.getCell(col('Status')).value).toBe('Geplant');
		expect(r.getCell(col('Priorität')).value).toBe('Hoch');
		expect(r.getCell(col('Fristigkeit')).value).toBe('Kurzfristig (bis 3 Jahre)');
		expect(r.getCell(col('Geplantes Ende')).value).toEqual(new Date('2027-06-30T00:00:00Z'));
		expect(r.getCell(col('Kosten (EUR)')).value).toBe(12500.5);
		expect(r.getCell(col('Einsparung (t CO2e/Jahr)')).value).toBe(3.5);
		expect(r.getCell(col('Fortschritt %')).value).toBe(0);
		expect(r.getCell(col('Öffentlich')).value).toBe('nein');
	});

	it('exports only the filtered list, and only to the working area', async () => {
		const w = await setup();
		const csv = new TextDecoder().decode(await exportMeasures(w.partner, w.network.id, { ags: w.other.ags }, 'csv'));
		expect(csvLines(csv).map((l) => l[col('Kennung') - 1])).toEqual(['Kennung', 'H-1']);
		await expect(exportMeasures(w.citizen, w.network.id, {}, 'csv')).rejects.toBeInstanceOf(ForbiddenError);
		const foreign = await measureWorld();
		await expect(exportMeasures(foreign.coordinator, w.network.id, {}, 'xlsx')).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('writes CSV for German Excel: BOM, semicolons, CRLF, decimal comma, German dates, quoting', async () => {
		const w = await setup();
		await updateMeasure(w.member, w.network.id, w.m2.id, { ...(await measureFormValues(w.member, w.network.id, w.m2.id)).values, title: 'Radwege; "sicher" ausbauen' });
		const bytes = await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'csv');
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		expect(text).toContain('\r\n');
		expect(text.replace(/\r\n/g, '')).not.toContain('\n');
		expect(text).toContain(';12500,5;');
		expect(text).toContain(';3,5;');
		expect(text).toContain(';01.01.2026;30.06.2027;');
		expect(text).toContain(';"Radwege; ""sicher"" ausbauen";');
	});

	it('guards against formula injection: a leading quote in CSV, plain strings in .xlsx, and the round trip keeps the text', async () => {
		const w = await setup();
		const evil = await makeMeasure(w.member, w.network.id, w.concept.id, {
			code: '@SUM(1)',
			title: '=HYPERLINK("http://evil.example","Klick")',
			fundingSource: '+49 30 123',
			statusReason: '-1+1'
		});
		const csv = new TextDecoder().decode(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'csv'));
		const line = csvLines(csv).find((l) => l[0] === evil.id)!;
		expect(line[col('Kennung') - 1]).toBe("'@SUM(1)");
		expect(csv).toContain(`;"'=HYPERLINK(""http://evil.example"",""Klick"")";`);
		expect(line[col('Finanzierung') - 1]).toBe("'+49 30 123");
		expect(line[col('Begründung') - 1]).toBe("'-1+1");
		for (const l of csvLines(csv)) for (const cell of l) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
		// Re-importing the escaped file changes nothing: the quote is taken off again.
		expect(await previewImport(w.member, w.network.id, { filename: 'liste.csv', bytes: utf8(csv) })).toMatchObject({ importId: null, rows: [], errors: [] });

		const xlsx = await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'xlsx');
		const ws = (await readXlsx(xlsx)).getWorksheet('Maßnahmen')!;
		const cell = rowOf(ws, evil.id).getCell(col('Titel'));
		expect(cell.type).toBe(ExcelJS.ValueType.String);
		expect(cell.formula).toBeUndefined();
		expect(cell.value).toBe('=HYPERLINK("http://evil.example","Klick")');
		expect(Buffer.from(xlsx).includes('<f>')).toBe(false);
	});
});

describe('spreadsheet import', () => {
	it('round trip .xlsx: preview lists exactly the changes, apply changes them with history and audit entries', async () => {
		const w = await setup();
		const wb = await readXlsx(await exportMeasures(w.member, w.network.id, {}, 'xlsx'));
		const ws = wb.getWorksheet('Maßnahmen')!;
		const r = rowOf(ws, w.m1.id);
		r.getCell(col('Status')).value = 'In Umsetzung';
		r.getCell(col('Fortschritt %')).value = 40;
		r.getCell(col('Geplantes Ende')).value = new Date('2027-12-31T00:00:00Z');
		r.getCell(col('Kosten (EUR)')).value = 14000;
		r.getCell(col('Handlungsfeld')).value = 'mobilität';
		r.getCell(col('Öffentlich')).value = 'ja';
		// Informational columns are not applied.
		r.getCell(col('Kommune')).value = 'Irgendwo';
		rowOf(ws, w.m2.id).getCell(col('Titel')).value = 'Radwege ausbauen und beleuchten';

		const p = await previewImport(w.member, w.network.id, { filename: 'massnahmen.xlsx', bytes: await xlsxBytes(wb) });
		expect(p.errors).toEqual([]);
		expect(p.importId).toBeTruthy();
		const byCode = Object.fromEntries(p.rows.map((row) => [row.code, row.changes.map((c) => [c.column, c.before, c.after])]));
		expect(byCode).toEqual({
			'M-1': [
				['Handlungsfeld', 'Energieversorgung', 'Mobilität'],
				['Status', 'planned', 'implementation'],
				['Fortschritt %', 0, 40],
				['Geplantes Ende', '2027-06-30', '2027-12-31'],
				['Kosten (EUR)', 12500.5, 14000],
				['Öffentlich', false, true]
			],
			'M-2': [['Titel', 'Radwege ausbauen', 'Radwege ausbauen und beleuchten']]
		});
		expect(p.rows.find((row) => row.code === 'M-1')).toMatchObject({ bodyName: 'Wernigerode', row: r.number });
		// Nothing has changed before the confirmation.
		expect((await getMeasure(w.member, w.network.id, w.m1.id)).progress).toBe(0);
		expect((await getImport(w.member, w.network.id, p.importId!)).rows).toEqual(p.rows);

		expect(await applyImport(w.member, w.network.id, p.importId!)).toEqual({ updated: 2 });
		const m1 = await getMeasure(w.member, w.network.id, w.m1.id);
		expect(m1).toMatchObject({ status: 'implementation', progress: 40, plannedEnd: '2027-12-31', costEstimate: 14000, fieldId: w.mobility.id, isPublic: true, version: 2, bodyName: 'Wernigerode' });
		expect((await getMeasure(w.member, w.network.id, w.m2.id)).title).toBe('Radwege ausbauen und beleuchten');
		const history = await db().select().from(measureUpdates).where(eq(measureUpdates.measureId, w.m1.id));
		expect(history.map((u) => [u.kind, u.statusFrom, u.statusTo, u.progressFrom, u.progressTo])).toContainEqual(['import', 'planned', 'implementation', 0, 40]);
		// A title change alone writes no status entry.
		expect((await db().select().from(measureUpdates).where(eq(measureUpdates.measureId, w.m2.id))).map((u) => u.kind)).toEqual(['created']);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordId, w.m1.id), eq(auditLog.action, 'update')));
		expect(audit).toHaveLength(1);
		expect(audit[0].after).toMatchObject({ progress: 40, importId: p.importId });

		// Once only.
		await expect(applyImport(w.member, w.network.id, p.importId!)).rejects.toMatchObject({ fieldErrors: { _form: 'import.alreadyApplied' } });
	});

	it('round trip CSV: German labels, dates and decimal commas come back; an unchanged file changes nothing', async () => {
		const w = await setup();
		const csv = new TextDecoder().decode(await exportMeasures(w.coordinator, w.network.id, {}, 'csv'));
		expect(await previewImport(w.coordinator, w.network.id, { filename: 'liste.csv', bytes: utf8(csv) })).toMatchObject({ importId: null, rows: [], errors: [] });
		const lines = csvLines(csv);
		const l = lines.find((x) => x[0] === w.h1.id)!;
		l[col('Status') - 1] = 'zurückgestellt';
		l[col('Begründung') - 1] = 'Kein Personal';
		l[col('Fortschritt %') - 1] = '15';
		l[col('Einsparung (t CO2e/Jahr)') - 1] = '12,75';
		l[col('Kosten (EUR)') - 1] = '1.250.000,00';
		l[col('Tatsächlicher Beginn') - 1] = '1.3.2026';
		l[col('Fristigkeit') - 1] = 'Langfristig';
		l[col('Priorität') - 1] = 'low';
		const p = await previewImport(w.coordinator, w.network.id, { filename: 'liste.csv', bytes: utf8(csvText(lines)) });
		expect(p.errors).toEqual([]);
		expect(p.rows).toHaveLength(1);
		expect(p.rows[0].changes.map((c) => [c.field, c.after])).toEqual([
			['status', 'on_hold'],
			['statusReason', 'Kein Personal'],
			['progress', 15],
			['priority', 'low'],
			['term', 'long'],
			['actualStart', '2026-03-01'],
			['costEstimate', 1250000],
			['savingsT', 12.75]
		]);
		await applyImport(w.coordinator, w.network.id, p.importId!);
		expect(await getMeasure(w.coordinator, w.network.id, w.h1.id)).toMatchObject({ status: 'on_hold', statusReason: 'Kein Personal', savingsT: 12.75, costEstimate: 1250000 });
		const [u] = await db().select().from(measureUpdates).where(and(eq(measureUpdates.measureId, w.h1.id), eq(measureUpdates.kind, 'import')));
		expect(u).toMatchObject({ statusTo: 'on_hold', text: 'Kein Personal' });
	});

	it('all or nothing: one invalid row and nothing is stored or changed; errors are German, row by row', async () => {
		const w = await setup();
		const wb = await readXlsx(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'xlsx'));
		const ws = wb.getWorksheet('Maßnahmen')!;
		rowOf(ws, w.m1.id).getCell(col('Titel')).value = 'Neuer Titel';
		const bad = rowOf(ws, w.m2.id);
		bad.getCell(col('Fortschritt %')).value = 150;
		const p = await previewImport(w.member, w.network.id, { filename: 'x.xlsx', bytes: await xlsxBytes(wb) });
		expect(p.importId).toBeNull();
		expect(keys(p)).toEqual([[bad.number, 'Fortschritt %', 'measure.progress']]);
		expect(describeIssue('de', p.errors[0])).toBe(`Zeile ${bad.number}, Fortschritt %: Bitte geben Sie eine ganze Zahl von 0 bis 100 ein.`);
		expect(await db().select().from(measureImports).where(eq(measureImports.networkId, w.network.id))).toHaveLength(0);
		expect((await getMeasure(w.member, w.network.id, w.m1.id)).title).toBe('PV auf dem Rathausdach');
	});

	it('wrong or missing columns: one file-level message naming them', async () => {
		const w = await setup();
		const lines = csvLines(new TextDecoder().decode(await exportMeasures(w.member, w.network.id, {}, 'csv')));
		const i = col('Fortschritt %') - 1;
		const cut = lines.map((l) => [...l.slice(0, i), ...l.slice(i + 1), l[0] === 'ID' ? 'Farbe' : 'rot']);
		const p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(cut)) });
		expect(keys(p)).toEqual([
			[null, null, 'import.columnsMissing'],
			[null, null, 'import.columnsUnknown']
		]);
		expect(p.errors.map((e) => describeIssue('de', e))).toEqual([
			'Diese Spalten fehlen: „Fortschritt %“. Bitte verwenden Sie die heruntergeladene Liste als Vorlage.',
			'Diese Spalten sind unbekannt: „Farbe“. Bitte entfernen Sie sie oder verwenden Sie die Spaltennamen der heruntergeladenen Liste.'
		]);
		// Headers in other case and spacing, without the informational columns, are fine.
		const loose = lines.map((l) =>
			l.map((c, k) => (l[0] === 'ID' ? `  ${c.toUpperCase()} ` : c)).filter((_, k) => ![col('Kommune') - 1, col('Konzept') - 1, col('Version') - 1].includes(k))
		);
		expect((await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(loose)) })).errors).toEqual([]);
	});

	it('wrong types get a message per cell', async () => {
		const w = await setup();
		const wb = await readXlsx(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'xlsx'));
		const r = rowOf(wb.getWorksheet('Maßnahmen')!, w.m1.id);
		r.getCell(col('Fortschritt %')).value = 'viel';
		r.getCell(col('Geplanter Beginn')).value = 'morgen';
		r.getCell(col('Kosten (EUR)')).value = 'teuer';
		r.getCell(col('Status')).value = 'Fertig';
		r.getCell(col('Öffentlich')).value = 'vielleicht';
		r.getCell(col('Handlungsfeld')).value = 'Landwirtschaft';
		r.getCell(col('Kennung')).value = '';
		r.getCell(col('Einsparung (t CO2e/Jahr)')).value = { error: '#DIV/0!' } as ExcelJS.CellErrorValue;
		const p = await previewImport(w.member, w.network.id, { filename: 'x.xlsx', bytes: await xlsxBytes(wb) });
		expect(p.importId).toBeNull();
		expect(keys(p).map(([, c, k]) => [c, k]).sort()).toEqual(
			[
				['Einsparung (t CO2e/Jahr)', 'import.cellError'],
				['Fortschritt %', 'measure.progress'],
				['Geplanter Beginn', 'dir.date'],
				['Kosten (EUR)', 'measure.cost'],
				['Status', 'import.choice'],
				['Öffentlich', 'import.yesNo'],
				['Handlungsfeld', 'import.fieldUnknown'],
				['Kennung', 'validation.required']
			].sort()
		);
		const status = p.errors.find((e) => e.column === 'Status')!;
		expect(describeIssue('de', status)).toContain('Idee, Geplant, In Vorbereitung, In Umsetzung');
		expect(describeIssue('de', p.errors.find((e) => e.column === 'Handlungsfeld')!)).toContain('Energieversorgung, Mobilität');
	});

	it('cross-field rules and code uniqueness: reason for discarded, end before start, taken and duplicate codes; a swap is fine', async () => {
		const w = await setup();
		await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-3' });
		const lines = csvLines(new TextDecoder().decode(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'csv')));
		const row = (id: string) => lines.findIndex((l) => l[0] === id);
		const l1 = lines[row(w.m1.id)];
		const l2 = lines[row(w.m2.id)];
		l1[col('Status') - 1] = 'Verworfen';
		l1[col('Geplantes Ende') - 1] = '01.01.2025';
		l2[col('Kennung') - 1] = 'M-3';
		let p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(lines)) });
		expect(keys(p)).toEqual([
			[row(w.m1.id) + 1, 'Begründung', 'measure.reasonRequired'],
			[row(w.m1.id) + 1, 'Geplantes Ende', 'measure.endBeforeStart'],
			[row(w.m2.id) + 1, 'Kennung', 'measure.codeTaken']
		]);
		// Swapping two codes within the file is allowed and applies in one go.
		const fresh = csvLines(new TextDecoder().decode(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'csv')));
		fresh[row(w.m1.id)][col('Kennung') - 1] = 'M-2';
		fresh[row(w.m2.id)][col('Kennung') - 1] = 'M-1';
		p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(fresh)) });
		expect(p.errors).toEqual([]);
		await applyImport(w.member, w.network.id, p.importId!);
		expect((await getMeasure(w.member, w.network.id, w.m1.id)).code).toBe('M-2');
		expect((await getMeasure(w.member, w.network.id, w.m2.id)).code).toBe('M-1');
		// Two rows taking the same new code.
		const again = csvLines(new TextDecoder().decode(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'csv')));
		again[row(w.m1.id)][col('Kennung') - 1] = 'M-9';
		again[row(w.m2.id)][col('Kennung') - 1] = 'M-9';
		p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(again)) });
		expect(keys(p)).toEqual([
			[row(w.m1.id) + 1, 'Kennung', 'measure.codeTaken'],
			[row(w.m2.id) + 1, 'Kennung', 'measure.codeTaken']
		]);
	});

	it('unknown identifiers: missing, malformed, unknown, of another network, twice, or a measure the user may not edit', async () => {
		const w = await setup();
		const foreign = await measureWorld();
		const theirs = await makeMeasure(foreign.member, foreign.network.id, foreign.concept.id);
		const lines = csvLines(new TextDecoder().decode(await exportMeasures(w.member, w.network.id, {}, 'csv')));
		const template = lines.find((l) => l[0] === w.m1.id)!;
		const withId = (id: string) => [id, ...template.slice(1)];
		// Unchanged rows of other towns are fine: a member may export the whole network's list.
		const h1 = lines.find((l) => l[0] === w.h1.id)!;
		const changedH1 = [...h1];
		changedH1[col('Titel') - 1] = 'Geändert';
		const rows = [lines[0], withId(''), withId('123'), withId('5b0f5a9e-8c1a-4c53-9a55-1e2a3b4c5d6e'), withId(theirs.id), template, withId(w.m1.id), h1, changedH1];
		const p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(rows)) });
		expect(keys(p)).toEqual([
			[2, 'ID', 'import.idMissing'],
			[3, 'ID', 'import.idInvalid'],
			[4, 'ID', 'import.idUnknown'],
			[5, 'ID', 'import.idUnknown'],
			[7, 'ID', 'import.idDuplicate'],
			[9, 'ID', 'import.idDuplicate']
		]);
		const q = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText([lines[0], changedH1])) });
		expect(keys(q)).toEqual([[2, 'ID', 'import.notAllowed']]);
		expect(describeIssue('de', q.errors[0])).toBe('Zeile 2, ID: Die Maßnahme H-1 (Halberstadt) dürfen Sie nicht bearbeiten.');
		await expect(previewImport(w.citizen, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(lines)) })).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('files that are not measure lists: renamed, old Excel, other zip, junk, oversized, empty', async () => {
		const w = await setup();
		const file = async (filename: string, bytes: Uint8Array) => keys(await previewImport(w.member, w.network.id, { filename, bytes }));
		expect(await file('liste.xlsx', utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toEqual([[null, null, 'import.notExcel']]);
		expect(await file('liste.xlsx', utf8('ID;Kennung\r\n1;2\r\n'))).toEqual([[null, null, 'import.notExcel']]);
		expect(await file('liste.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toEqual([[null, null, 'import.oldExcel']]);
		// A zip that is not a workbook (a .docx renamed), and a truncated workbook.
		const docx = new Uint8Array([...utf8('PK\x03\x04'), ...utf8('word/document.xml'), 0, 0]);
		expect(await file('liste.xlsx', docx)).toEqual([[null, null, 'import.notExcel']]);
		const real = await exportMeasures(w.member, w.network.id, {}, 'xlsx');
		expect(await file('liste.xlsx', real.slice(0, real.length - 200))).toEqual([[null, null, 'import.unreadable']]);
		expect(await file('bild.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toEqual([[null, null, 'import.unknownType']]);
		expect(await file('leer.csv', new Uint8Array())).toEqual([[null, null, 'import.empty']]);
		expect(await file('kopf.csv', utf8(COLUMNS.map((c) => c.header).join(';')))).toEqual([[null, null, 'import.noRows']]);
		// 50 MB of junk: refused by size at once, never parsed.
		const junk = new Uint8Array(50 * 1024 * 1024).fill(0x41);
		const started = Date.now();
		expect(await file('junk.csv', junk)).toEqual([[null, null, 'import.tooLarge']]);
		expect(Date.now() - started).toBeLessThan(200);
		expect(await file('gross.xlsx', new Uint8Array(5 * 1024 * 1024 + 1))).toEqual([[null, null, 'import.tooLarge']]);
		expect(describeIssue('de', { row: null, column: null, key: 'import.tooLarge', params: { max: 5 } })).toBe('Die Datei ist zu groß. Erlaubt sind höchstens 5 MB.');
	});

	it('CSV dialects: comma separator with decimal points or quoted decimal commas, semicolons with decimal commas, Windows-1252', async () => {
		const w = await setup();
		const header = ['ID', 'Kennung', 'Titel', 'Handlungsfeld', 'Status', 'Begründung', 'Fortschritt %', 'Priorität', 'Fristigkeit', 'Geplanter Beginn', 'Geplantes Ende', 'Tatsächlicher Beginn', 'Tatsächliches Ende', 'Kosten (EUR)', 'Finanzierung', 'Einsparung (t CO2e/Jahr)', 'Öffentlich'];
		const row = (id: string, title: string, cost: string, savings: string, sep: string) =>
			[id, 'M-1', title, 'Energieversorgung', 'Geplant', '', '0', 'Hoch', 'Kurzfristig (bis 3 Jahre)', '01.01.2026', '30.06.2027', '', '', cost, '', savings, 'nein'].join(sep);
		const comma = `${header.join(',')}\n${row(w.m1.id, 'PV-Anlage', '"12.600,25"', '4.5', ',')}\n`;
		let p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(comma) });
		expect(p.errors).toEqual([]);
		expect(p.rows[0].changes.map((c) => [c.field, c.after])).toEqual([
			['title', 'PV-Anlage'],
			['costEstimate', 12600.25],
			['savingsT', 4.5]
		]);
		const semi = `${header.join(';')}\r\n${row(w.m1.id, 'PV-Anlage', '12600,25', '4,5', ';')}\r\n`;
		p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(semi) });
		expect(p.rows[0].changes.map((c) => [c.field, c.after])).toEqual([
			['title', 'PV-Anlage'],
			['costEstimate', 12600.25],
			['savingsT', 4.5]
		]);
		// German Excel's "CSV (Trennzeichen-getrennt)" writes Windows-1252: ä = 0xE4, ß = 0xDF, € = 0x80.
		const latin = `${header.join(';')}\r\n${row(w.m1.id, 'Wärmepumpen für Schulen – 5 €', '12500,5', '3,5', ';')}\r\n`;
		const cp1252 = new Uint8Array([...latin].map((ch) => ({ '€': 0x80, '–': 0x96 })[ch] ?? ch.charCodeAt(0)));
		expect(cp1252.some((b) => b === 0xe4)).toBe(true);
		p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: cp1252 });
		expect(p.errors).toEqual([]);
		expect(p.rows[0].changes).toEqual([{ field: 'title', column: 'Titel', before: 'PV auf dem Rathausdach', after: 'Wärmepumpen für Schulen – 5 €' }]);
	});

	it('refuses the whole import when a measure was edited between preview and apply, or after the export', async () => {
		const w = await setup();
		const lines = csvLines(new TextDecoder().decode(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'csv')));
		for (const l of lines.slice(1)) l[col('Fortschritt %') - 1] = '50';
		const p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(lines)) });
		expect(p.rows).toHaveLength(2);
		const { values } = await measureFormValues(w.coordinator, w.network.id, w.m2.id);
		await updateMeasure(w.coordinator, w.network.id, w.m2.id, { ...values, title: 'Von der Koordination geändert' });
		await expect(applyImport(w.member, w.network.id, p.importId!)).rejects.toMatchObject({ fieldErrors: { _form: 'import.editedMeanwhile' } });
		expect((await getMeasure(w.member, w.network.id, w.m1.id)).progress).toBe(0);
		expect((await db().select().from(measureImports).where(eq(measureImports.id, p.importId!)))[0].appliedAt).toBeNull();
		// The same file uploaded again: its row of M-2 is older than the stored measure.
		const again = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(lines)) });
		expect(keys(again)).toEqual([[lines.findIndex((l) => l[0] === w.m2.id) + 1, 'Version', 'import.changedSinceExport']]);
	});

	it('only the previewing user may apply, within 24 hours, in the network it was made in', async () => {
		const w = await setup();
		const lines = csvLines(new TextDecoder().decode(await exportMeasures(w.member, w.network.id, { ags: w.town.ags }, 'csv')));
		lines[1][col('Titel') - 1] = 'Neu';
		const p = await previewImport(w.member, w.network.id, { filename: 'x.csv', bytes: utf8(csvText(lines)) });
		await expect(applyImport(w.coordinator, w.network.id, p.importId!)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(getImport(w.coordinator, w.network.id, p.importId!)).rejects.toBeInstanceOf(ForbiddenError);
		const foreign = await measureWorld();
		await expect(applyImport(w.member, foreign.network.id, p.importId!)).rejects.toThrow('not_found');
		await expect(applyImport(w.member, w.network.id, 'kein-uuid')).rejects.toThrow('not_found');
		const later = new Date(Date.now() + 25 * 60 * 60 * 1000);
		const e = await applyImport(w.member, w.network.id, p.importId!, later).catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect(e.fieldErrors).toEqual({ _form: 'import.expired' });
		expect((await getImport(w.member, w.network.id, p.importId!, later)).expired).toBe(true);
		expect(await applyImport(w.member, w.network.id, p.importId!)).toEqual({ updated: 1 });
	});
});

describe('review findings', () => {
	it('exports every row of a long list, not just the first page', async () => {
		const w = await measureWorld();
		for (let i = 0; i < 130; i++) await makeMeasure(w.member, w.network.id, w.concept.id, { code: `L-${i}` });
		const csv = new TextDecoder().decode(await exportMeasures(w.member, w.network.id, {}, 'csv'));
		expect(csv.trim().split('\r\n')).toHaveLength(131);
	});

	it('an unchanged .xlsx keeps decimals: 12.345 t stays 12,345 and is no change', async () => {
		const w = await setup();
		const { values } = await measureFormValues(w.member, w.network.id, w.m1.id);
		await updateMeasure(w.member, w.network.id, w.m1.id, { ...values, savingsT: '12,345', costEstimate: '1250,5' });
		const bytes = await exportMeasures(w.member, w.network.id, {}, 'xlsx');
		const p = await previewImport(w.member, w.network.id, { filename: 'unveraendert.xlsx', bytes });
		expect(p.errors).toEqual([]);
		expect(p.rows).toEqual([]);
	});

	it('refuses a zip that unpacks to far more than it declares, without unpacking it all', async () => {
		const w = await setup();
		const name = Buffer.from('xl/workbook.xml');
		const data = deflateRawSync(Buffer.alloc(100 * 1024 * 1024));
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(100, 22); // the lie: 100 bytes unpacked
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(100, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(0, 42);
		const cdOffset = local.length + name.length + data.length;
		const end = Buffer.alloc(22);
		end.writeUInt32LE(0x06054b50, 0);
		end.writeUInt16LE(1, 8);
		end.writeUInt16LE(1, 10);
		end.writeUInt32LE(central.length + name.length, 12);
		end.writeUInt32LE(cdOffset, 16);
		const bomb = Buffer.concat([local, name, data, central, name, end]);
		const p = await previewImport(w.member, w.network.id, { filename: 'bombe.xlsx', bytes: bomb });
		expect(keys(p)).toEqual([[null, null, 'import.tooLarge']]);
	});
});

describe('housekeeping', () => {
	it('purges import previews older than a day, keeps fresh ones', async () => {
		const w = await measureWorld();
		const [old] = await db()
			.insert(measureImports)
			.values({ networkId: w.network.id, userId: w.member.userId!, filename: 'alt.xlsx', changes: [], createdAt: new Date(Date.now() - 25 * 3600_000) })
			.returning();
		const [fresh] = await db().insert(measureImports).values({ networkId: w.network.id, userId: w.member.userId!, filename: 'neu.xlsx', changes: [] }).returning();
		expect(await purgeExpiredImports()).toBeGreaterThanOrEqual(1);
		const left = await db().select({ id: measureImports.id }).from(measureImports);
		expect(left.map((r) => r.id)).toContain(fresh.id);
		expect(left.map((r) => r.id)).not.toContain(old.id);
	});
});
