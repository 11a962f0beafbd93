import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { auditLog, balanceEntries, balanceImports, balances } from '../db/schema';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { translate } from '$lib/i18n';
import { saveBalance } from './service';
import { balanceTemplate } from './template';
import {
	IMPORT_MAX_BYTES,
	applyBalanceImport,
	describeIssue,
	detectDecimal,
	formNumber,
	getBalanceImport,
	purgeExpiredBalanceImports,
	readNumber,
	setImportMapping,
	uploadBalanceFile,
	type ImportView
} from './import';

useTestDb();

async function world() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Halberstadt');
	return {
		network,
		town,
		other,
		coordinator: await makeActor(network.id, 'coordinator'),
		member: await makeActor(network.id, 'member', [town.id]),
		otherMember: await makeActor(network.id, 'member', [other.id]),
		partner: await makeActor(network.id, 'partner'),
		citizen: await makeActor(network.id, 'citizen')
	};
}

const utf8 = (s: string) => new TextEncoder().encode(s);
/** Windows-1252 bytes of a text with only Latin-1 letters (ä ö ü ß). */
const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
const csv = (lines: string[][], sep = ';') => lines.map((l) => l.join(sep)).join('\r\n') + '\r\n';

type W = Awaited<ReturnType<typeof world>>;

async function upload(w: W, bytes: Uint8Array, over: { year?: string; inhabitants?: string; filename?: string; actor?: W['member'] } = {}) {
	const actor = over.actor ?? w.member;
	const id = await uploadBalanceFile(actor, w.network.id, w.town.id, { year: over.year ?? '2021', inhabitants: over.inhabitants ?? '', filename: over.filename ?? 'bilanz.csv', bytes });
	return { id, view: await getBalanceImport(actor, w.network.id, w.town.id, id) };
}

const cells = (v: ImportView) => Object.fromEntries(v.rows.filter((r) => r.change !== 'removed').map((r) => [`${r.sector}/${r.carrier}`, [r.energyMwh, r.emissionsT, r.quality]]));
const messages = (v: ImportView) => v.issues.map((i) => describeIssue('de', i));

async function storedCells(w: W, year: number) {
	const [b] = await db()
		.select()
		.from(balances)
		.where(and(eq(balances.bodyId, w.town.id), eq(balances.year, year)));
	if (!b) return null;
	const rows = await db().select().from(balanceEntries).where(eq(balanceEntries.balanceId, b.id));
	return { balance: b, cells: Object.fromEntries(rows.map((r) => [`${r.sector}/${r.carrier}`, [r.energyMwh, r.emissionsT, r.quality]])) };
}

describe('reading numbers and text', () => {
	it('reads decimal comma and decimal point, with grouping, and refuses what does not fit', () => {
		expect(readNumber('1.234,5', 'comma')).toBe(1234.5);
		expect(readNumber('1234,5', 'comma')).toBe(1234.5);
		expect(readNumber('1,234.5', 'point')).toBe(1234.5);
		expect(readNumber('1234.5', 'point')).toBe(1234.5);
		expect(readNumber('1 234,5', 'comma')).toBe(1234.5);
		expect(readNumber('-12,5', 'comma')).toBe(-12.5);
		expect(readNumber('1,234.5', 'comma')).toBe('bad');
		expect(readNumber('12a', 'comma')).toBe('bad');
		expect(readNumber('', 'comma')).toBeNull();
		expect(readNumber('-', 'comma')).toBeNull();
		expect(readNumber(42.25, 'comma')).toBe(42.25);
	});

	it('detects the decimal separator per file, and says when it cannot', () => {
		expect(detectDecimal(['1.234,5', '17', 'Strom'])).toMatchObject({ decimal: 'comma', certainty: 'clear' });
		expect(detectDecimal(['1,234.5', '12.75'])).toMatchObject({ decimal: 'point', certainty: 'clear' });
		expect(detectDecimal(['1.234', '17'])).toEqual({ decimal: 'comma', certainty: 'ambiguous', example: '1.234' });
		expect(detectDecimal(['12,5', '3.75'])).toMatchObject({ certainty: 'mixed' });
		expect(detectDecimal(['17', '20'])).toMatchObject({ decimal: 'comma', certainty: 'none' });
	});

	it('a megabyte of digits in one cell is no number and takes no backtracking', () => {
		// The old pattern backtracked quadratically here: minutes for this size, so a regression hangs.
		const big = '1'.repeat(1024 * 1024) + 'x';
		expect(detectDecimal([big, '1.234,5'])).toMatchObject({ decimal: 'comma', certainty: 'clear' });
		expect(detectDecimal([' ,'.repeat(512 * 1024)])).toMatchObject({ certainty: 'none' });
	});

	it('writes numbers for the balance form with every digit they need', () => {
		expect(formNumber(1234.5)).toBe('1234,5');
		expect(formNumber(1e-12)).toBe('0,000000000001');
		expect(formNumber(1.25e-7)).toBe('0,000000125');
		expect(formNumber(0.1 + 0.2)).toBe('0,30000000000000004');
		expect(formNumber(1_000_000_000)).toBe('1000000000');
		expect(formNumber(1.5e21)).toBe('1500000000000000000000');
		expect(formNumber(-2.5)).toBe('-2,5');
		expect(formNumber(0)).toBe('0');
		expect(formNumber(null)).toBe('');
	});
});

describe('balance template', () => {
	it('round trip .xlsx: the filled template imports the same values, and applying stores them with an audit entry', async () => {
		const w = await world();
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(Buffer.from(await balanceTemplate('xlsx')) as unknown as ArrayBuffer);
		expect(wb.worksheets.map((s) => s.name)).toEqual(['Bilanz', 'Erläuterung']);
		const ws = wb.getWorksheet('Bilanz')!;
		expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['Sektor', 'Energieträger', 'Endenergie (MWh)', 'Emissionen (t CO2e)', 'Datenqualität (A–D)']);
		expect(ws.rowCount).toBe(1 + 5 * 12);
		const fill = (sector: string, carrier: string, mwh: number | null, t: number | null, q: string | null) => {
			for (let r = 2; r <= ws.rowCount; r++) {
				const row = ws.getRow(r);
				if (row.getCell(1).value === sector && row.getCell(2).value === carrier) {
					row.getCell(3).value = mwh;
					row.getCell(4).value = t;
					row.getCell(5).value = q;
					return;
				}
			}
			throw new Error(`${sector}/${carrier}`);
		};
		fill('Private Haushalte', 'Strom', 41250.5, null, 'A');
		fill('Private Haushalte', 'Erdgas', 98000, null, 'B');
		fill('Gewerbe, Handel, Dienstleistungen', 'Heizöl', 1234.125, null, null);
		fill('Verkehr', 'Diesel', null, 52000, 'D');
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
		const { id, view } = await upload(w, bytes, { filename: 'vorlage.xlsx', inhabitants: '32.500' });
		expect(view.issues).toEqual([]);
		expect(view).toMatchObject({ format: 'xlsx', detectedLayout: 'long', headerRow: 1, inhabitants: 32500, canApply: true, existing: null });
		const expected = {
			'households/electricity': [41250.5, null, 'A'],
			'households/natural_gas': [98000, null, 'B'],
			'commerce/heating_oil': [1234.125, null, null],
			'transport/diesel': [null, 52000, 'D']
		};
		expect(cells(view)).toEqual(expected);
		// Nothing is stored before the confirmation.
		expect(await storedCells(w, 2021)).toBeNull();

		expect(await applyBalanceImport(w.member, w.network.id, w.town.id, id)).toEqual({ year: 2021 });
		const stored = await storedCells(w, 2021);
		expect(stored!.cells).toEqual(expected);
		expect(stored!.balance).toMatchObject({ inhabitants: 32500, source: 'Import aus „vorlage.xlsx“', isPublic: false });
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, stored!.balance.id));
		expect(audit.map((a) => a.action).sort()).toEqual(['create', 'import']);
		// Once only.
		await expect(applyBalanceImport(w.member, w.network.id, w.town.id, id)).rejects.toMatchObject({ fieldErrors: { _form: 'bimport.alreadyApplied' } });
	});

	it('round trip CSV: BOM, semicolons, decimal comma; the explanation lines are skipped', async () => {
		const w = await world();
		const bytes = await balanceTemplate('csv');
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		expect(text.split('\r\n')[0]).toBe('Sektor;Energieträger;Endenergie (MWh);Emissionen (t CO2e);Datenqualität (A–D)');
		expect(text).toContain('# Datenqualität (A–D): A: regionale Primärdaten');
		const filled = text.replace('Private Haushalte;Strom;;;', 'Private Haushalte;Strom;41.250,5;;A').replace('Industrie;Erdgas;;;', 'Industrie;Erdgas;7,25;;c');
		const { view } = await upload(w, utf8('\ufeff' + filled));
		expect(view.issues).toEqual([]);
		expect(view).toMatchObject({ format: 'csv', encoding: 'utf-8-bom', separator: ';', decimalGuess: { decimal: 'comma', certainty: 'clear' } });
		expect(cells(view)).toEqual({ 'households/electricity': [41250.5, null, 'A'], 'industry/natural_gas': [7.25, null, 'C'] });
	});
});

describe('reading other files', () => {
	it('wide layout of a balancing tool: title lines, sectors as rows, carriers as columns, totals skipped', async () => {
		const w = await world();
		const file = csv([
			['Endenergiebilanz Wernigerode 2021', '', '', '', ''],
			['', '', '', '', ''],
			['Sektor', 'Strom', 'Erdgas', 'Heizöl', 'Summe'],
			['Private Haushalte', '40.000', '95.000,5', '12.000', '147.000,5'],
			['GHD', '20.000', '30.000', '', '50.000'],
			['Kommunale Einrichtungen', '1.500', '2.250', '-', '3.750'],
			['Summe', '61.500', '127.250,5', '12.000', '200.750,5']
		]);
		const { view } = await upload(w, utf8(file));
		expect(view.issues).toEqual([]);
		expect(view).toMatchObject({ detectedLayout: 'wide', headerRow: 3, totalsSkipped: 1 });
		expect(cells(view)).toEqual({
			'households/electricity': [40000, null, null],
			'households/natural_gas': [95000.5, null, null],
			'households/heating_oil': [12000, null, null],
			'commerce/electricity': [20000, null, null],
			'commerce/natural_gas': [30000, null, null],
			'municipal/electricity': [1500, null, null],
			'municipal/natural_gas': [2250, null, null]
		});
	});

	it('Windows-1252 file from old Excel: umlauts read, and the preview says which encoding it was', async () => {
		const w = await world();
		const file = csv([
			['Sektor', 'Energieträger', 'Endenergie (MWh)'],
			['Private Haushalte', 'Heizöl', '1.200,5'],
			['Kommunale Einrichtungen', 'Fernwärme', '300'],
			['Gewerbe, Handel, Dienstleistungen', 'Flüssiggas', '12']
		]);
		const { view } = await upload(w, latin1(file));
		expect(view.encoding).toBe('windows-1252');
		expect(view.headers).toEqual(['Sektor', 'Energieträger', 'Endenergie (MWh)']);
		expect(cells(view)).toEqual({
			'households/heating_oil': [1200.5, null, null],
			'municipal/district_heating': [300, null, null],
			'commerce/liquid_gas': [12, null, null]
		});
	});

	it('comma-separated with decimal point, English names; tab-separated; synonyms', async () => {
		const w = await world();
		const en = csv(
			[
				['Sector', 'Energy carrier', 'Final energy (MWh)', 'Emissions (t CO2e)', 'Quality'],
				['Households', 'Electricity', '"1,234.5"', '', 'B'],
				['Transport', 'Petrol', '880.25', '', '']
			],
			','
		);
		const a = await upload(w, utf8(en));
		expect(a.view).toMatchObject({ separator: ',', decimalGuess: { decimal: 'point' } });
		expect(cells(a.view)).toEqual({ 'households/electricity': [1234.5, null, 'B'], 'transport/petrol': [880.25, null, null] });

		const tab = csv(
			[
				['Bereich', 'Brennstoff', 'Verbrauch MWh'],
				['PHH', 'Holz', '10,5'],
				['Gewerbe/Handel/Dienstleistungen', 'Nahwärme', '3'],
				['Kommune', 'Umweltwärme', '4'],
				['Industrie', 'Braunkohle', '5'],
				['Verkehr', 'Benzin', '6']
			],
			'\t'
		);
		const b = await upload(w, utf8(tab));
		expect(b.view.separator).toBe('\t');
		expect(b.view.issues).toEqual([]);
		expect(Object.keys(cells(b.view))).toEqual(['households/biomass', 'commerce/district_heating', 'industry/coal', 'municipal/environmental_heat', 'transport/petrol']);
	});

	it('an ambiguous "1.234" is explained and read as German; switching to decimal point in the mapping reads it as 1.234', async () => {
		const w = await world();
		const { id, view } = await upload(w, utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Industrie', 'Strom', '1.234'], ['Verkehr', 'Diesel', '17']])));
		expect(view.decimalGuess).toEqual({ decimal: 'comma', certainty: 'ambiguous', example: '1.234' });
		expect(translate('de', 'bimport.dec.ambiguous', { example: '1.234' })).toContain('„1.234“');
		expect(cells(view)['industry/electricity']).toEqual([1234, null, null]);
		await setImportMapping(w.member, w.network.id, w.town.id, id, { layout: 'long', dezimal: 'point', sector: '0', carrier: '1', mwh: '2', t: '', quality: '' });
		const again = await getBalanceImport(w.member, w.network.id, w.town.id, id);
		expect(cells(again)['industry/electricity']).toEqual([1.234, null, null]);
	});

	it('a file with decimal point read with decimal comma: every unreadable number is named', async () => {
		const w = await world();
		const { id } = await upload(w, utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Industrie', 'Strom', '1,234.5'], ['Verkehr', 'Diesel', '17.5']])));
		await setImportMapping(w.member, w.network.id, w.town.id, id, { layout: 'long', dezimal: 'comma', sector: '0', carrier: '1', mwh: '2' });
		const view = await getBalanceImport(w.member, w.network.id, w.town.id, id);
		expect(messages(view)).toEqual([
			'Zeile 2, Spalte „Endenergie (MWh)“: Die Zahl „1,234.5“ kann nicht gelesen werden.',
			'Zeile 3, Spalte „Endenergie (MWh)“: Die Zahl „17.5“ kann nicht gelesen werden.'
		]);
		expect(view.canApply).toBe(false);
	});

	it('the mapping form corrects columns the names did not reveal', async () => {
		const w = await world();
		const { id, view } = await upload(w, utf8(csv([['A', 'B', 'C', 'D'], ['x', 'Private Haushalte', 'Strom', '5'], ['y', 'Verkehr', 'Diesel', '7']])));
		// Sector and carrier columns are found from their values; the amount column is not.
		expect(view.mapping).toMatchObject({ layout: 'long', sector: 1, carrier: 2, mwh: null });
		expect(messages(view)).toEqual(['Bitte wählen Sie die Spalte mit der Endenergie (MWh) oder die mit den Emissionen.']);
		await setImportMapping(w.member, w.network.id, w.town.id, id, { layout: 'long', dezimal: 'comma', sector: '1', carrier: '2', mwh: '3', t: '', quality: '' });
		const again = await getBalanceImport(w.member, w.network.id, w.town.id, id);
		expect(cells(again)).toEqual({ 'households/electricity': [5, null, null], 'transport/diesel': [7, null, null] });
		expect(again.canApply).toBe(true);
	});
});

describe('bad input: German messages, nothing stored', () => {
	it('names every bad row: negative energy, unknown carrier and sector, unreadable number, bad quality, duplicate', async () => {
		const w = await world();
		const file = csv([
			['Sektor', 'Energieträger', 'Endenergie (MWh)', 'Emissionen (t CO2e)', 'Datenqualität (A–D)'],
			['Private Haushalte', 'Strom', '100', '', 'A'],
			['Private Haushalte', 'Erdgas', '-5', '', ''],
			['Private Haushalte', 'Atomstrom', '3', '', ''],
			['Landwirtschaft', 'Strom', '3', '', ''],
			['Industrie', 'Strom', 'viel', '', ''],
			['Industrie', 'Erdgas', '3', '', 'E'],
			['Private Haushalte', 'Strom', '7', '', '']
		]);
		const { id, view } = await upload(w, utf8(file));
		expect(messages(view)).toEqual([
			'Zeile 3, Spalte „Endenergie (MWh)“: Der Wert „-5“ ist negativ. Energie und Emissionen können nicht kleiner als 0 sein.',
			`Zeile 4, Spalte „Energieträger“: Energieträger „Atomstrom“ ist unbekannt. Bekannt sind: „Strom“, „Erdgas“, „Heizöl“, „Flüssiggas“, „Fernwärme“, „Biomasse (Holz)“, „Kohle“, „Solarthermie“, „Umweltwärme“, „Benzin“, „Diesel“, „Sonstige“.`,
			'Zeile 5, Spalte „Sektor“: Sektor „Landwirtschaft“ ist unbekannt. Bekannt sind: „Private Haushalte“, „Gewerbe, Handel, Dienstleistungen“, „Industrie“, „Kommunale Einrichtungen“, „Verkehr“.',
			'Zeile 6, Spalte „Endenergie (MWh)“: Die Zahl „viel“ kann nicht gelesen werden.',
			'Zeile 7, Spalte „Datenqualität (A–D)“: Datenqualität „E“ ist unbekannt. Bitte schreiben Sie A, B, C oder D oder lassen Sie die Zelle leer.',
			'Zeile 8: „Private Haushalte“ mit „Strom“ steht schon in Zeile 2. Jede Kombination darf nur einmal vorkommen.'
		]);
		expect(view).toMatchObject({ canApply: false, rows: [] });
		await expect(applyBalanceImport(w.member, w.network.id, w.town.id, id)).rejects.toMatchObject({ fieldErrors: { _form: 'bimport.hasIssues' } });
		expect(await storedCells(w, 2021)).toBeNull();
	});

	it('all or nothing: one bad row among good ones leaves the stored balance as it was', async () => {
		const w = await world();
		await saveBalance(w.member, w.network.id, w.town.id, { year: '2021', e_households_electricity_mwh: '500' });
		const { id, view } = await upload(w, utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Private Haushalte', 'Strom', '600'], ['Verkehr', 'Kerosin', '1']])));
		expect(view.issues).toHaveLength(1);
		await expect(applyBalanceImport(w.member, w.network.id, w.town.id, id)).rejects.toBeInstanceOf(ValidationError);
		expect((await storedCells(w, 2021))!.cells).toEqual({ 'households/electricity': [500, null, null] });
	});

	it.each([
		['1850', 'bimport.yearRange'],
		['2300', 'bimport.yearRange'],
		['zwanzig', 'bimport.yearRange'],
		['', 'validation.required']
	])('year %s is refused before anything is stored', async (year, key) => {
		const w = await world();
		const file = utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Verkehr', 'Diesel', '1']]));
		await expect(upload(w, file, { year })).rejects.toMatchObject({ fieldErrors: { jahr: key } });
		expect(await db().select().from(balanceImports).where(eq(balanceImports.bodyId, w.town.id))).toEqual([]);
	});

	it('an upload the route did not read (over 2 MB) is refused together with the other fields', async () => {
		const w = await world();
		const run = uploadBalanceFile(w.member, w.network.id, w.town.id, { year: '2300', inhabitants: '', filename: 'riesig.csv', bytes: null });
		await expect(run).rejects.toMatchObject({ fieldErrors: { jahr: 'bimport.yearRange', datei: 'bimport.file.tooLarge' } });
	});

	it('inhabitants must be a whole number above 0', async () => {
		const w = await world();
		const file = utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Verkehr', 'Diesel', '1']]));
		await expect(upload(w, file, { inhabitants: '-3' })).rejects.toMatchObject({ fieldErrors: { einwohner: 'bimport.inhabitantsBad' } });
	});

	it.each([
		['too big', new Uint8Array(IMPORT_MAX_BYTES + 1).fill(0x41), 'bimport.file.tooLarge'],
		['empty', new Uint8Array(0), 'bimport.file.required'],
		['a PDF', utf8('%PDF-1.4\n\u0000\u0001\u0002binary'), 'bimport.file.unknownType'],
		['old Excel', Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'bimport.file.oldExcel'],
		['a zip that is no workbook', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), 'bimport.file.notSpreadsheet']
	])('a file that is %s is refused', async (_name, bytes, key) => {
		const w = await world();
		await expect(upload(w, bytes)).rejects.toMatchObject({ fieldErrors: { datei: key } });
	});

	it('a balance saved since the upload is not overwritten', async () => {
		const w = await world();
		const { id } = await upload(w, utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Verkehr', 'Diesel', '1']])));
		await saveBalance(w.coordinator, w.network.id, w.town.id, { year: '2021', e_transport_diesel_mwh: '9' });
		const view = await getBalanceImport(w.member, w.network.id, w.town.id, id);
		expect(view).toMatchObject({ changedSince: true, canApply: false });
		await expect(applyBalanceImport(w.member, w.network.id, w.town.id, id)).rejects.toMatchObject({ fieldErrors: { _form: 'bimport.changedSince' } });
		expect((await storedCells(w, 2021))!.cells).toEqual({ 'transport/diesel': [9, null, null] });
	});
});

describe('cells too long, values too large or tiny, part rows', () => {
	it('a cell of a megabyte is refused in its row, naming the column; the rest of the file is read', async () => {
		const w = await world();
		// Digits then a letter: the shape the old number pattern needed minutes for at this size.
		const big = '1'.repeat(1024 * 1024) + 'x';
		const file = csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Verkehr', 'Diesel', '17'], ['Industrie', 'Strom', big]]);
		const { id, view } = await upload(w, utf8(file));
		expect(messages(view)).toEqual(['Zeile 3, Spalte „Endenergie (MWh)“: Die Zelle ist zu lang (mehr als 200 Zeichen). Namen und Zahlen sind kürzer. Bitte prüfen Sie die Zelle.']);
		expect(view.canApply).toBe(false);
		// Only the cut cell is kept.
		const [imp] = await db().select().from(balanceImports).where(eq(balanceImports.id, id));
		expect(JSON.stringify(imp.plan).length).toBeLessThan(10_000);
	});

	it('a long text in a column the mapping does not use does not stop the import', async () => {
		const w = await world();
		const file = csv([['Sektor', 'Energieträger', 'Endenergie (MWh)', 'Bemerkung'], ['Verkehr', 'Diesel', '17', 'x'.repeat(5000)]]);
		const { view } = await upload(w, utf8(file));
		expect(view.issues).toEqual([]);
		expect(cells(view)).toEqual({ 'transport/diesel': [17, null, null] });
	});

	it('values above the balance form’s limit are refused in the preview, row and column named (CSV)', async () => {
		const w = await world();
		const file = csv([
			['Sektor', 'Energieträger', 'Endenergie (MWh)', 'Emissionen (t CO2e)'],
			['Verkehr', 'Diesel', '5.000.000.000', ''],
			['Verkehr', 'Benzin', '', '1.000.000.000,5'],
			['Industrie', 'Strom', '1.000.000.000', '']
		]);
		const { id, view } = await upload(w, utf8(file));
		expect(messages(view)).toEqual([
			'Zeile 2, Spalte „Endenergie (MWh)“: Der Wert „5.000.000.000“ ist zu groß. Erlaubt sind höchstens 1.000.000.000 je Zelle. Bitte prüfen Sie die Einheit (MWh, Tonnen).',
			'Zeile 3, Spalte „Emissionen (t CO2e)“: Der Wert „1.000.000.000,5“ ist zu groß. Erlaubt sind höchstens 1.000.000.000 je Zelle. Bitte prüfen Sie die Einheit (MWh, Tonnen).'
		]);
		await expect(applyBalanceImport(w.member, w.network.id, w.town.id, id)).rejects.toMatchObject({ fieldErrors: { _form: 'bimport.hasIssues' } });
	});

	it('values above the limit are refused in the preview (Excel numbers, wide layout)', async () => {
		const w = await world();
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('Tabelle1');
		ws.addRow(['Sektor', 'Strom', 'Erdgas']);
		ws.addRow(['Private Haushalte', 5e9, 1000]);
		ws.addRow(['Industrie', 1e9, 2000]);
		const { view } = await upload(w, new Uint8Array(await wb.xlsx.writeBuffer()), { filename: 'export.xlsx' });
		expect(messages(view)).toEqual([
			'Zeile 2, Spalte „Strom“: Der Wert „5.000.000.000“ ist zu groß. Erlaubt sind höchstens 1.000.000.000 je Zelle. Bitte prüfen Sie die Einheit (MWh, Tonnen).'
		]);
		expect(view.canApply).toBe(false);
	});

	it('tiny values and float noise from Excel formulas are stored exactly as the preview showed them', async () => {
		const w = await world();
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('Bilanz');
		ws.addRow(['Sektor', 'Energieträger', 'Endenergie (MWh)', 'Emissionen (t CO2e)']);
		ws.addRow(['Verkehr', 'Diesel', 1e-12, null]);
		ws.addRow(['Industrie', 'Strom', 0.1 + 0.2, null]);
		ws.addRow(['Industrie', 'Erdgas', null, 1.25e-7]);
		const { id, view } = await upload(w, new Uint8Array(await wb.xlsx.writeBuffer()), { filename: 'bilanz.xlsx' });
		const expected = { 'transport/diesel': [1e-12, null, null], 'industry/electricity': [0.1 + 0.2, null, null], 'industry/natural_gas': [null, 1.25e-7, null] };
		expect(cells(view)).toEqual(expected);
		await applyBalanceImport(w.member, w.network.id, w.town.id, id);
		expect((await storedCells(w, 2021))!.cells).toEqual(expected);
	});

	it('"davon" rows under GHD are left out with a warning that GHD excludes the municipal facilities', async () => {
		const w = await world();
		const file = csv([
			['Sektor', 'Strom', 'Erdgas', 'Summe'],
			['Private Haushalte', '40.000', '95.000', '135.000'],
			['GHD', '20.000', '30.000', '50.000'],
			['davon kommunale Einrichtungen', '1.500', '2.250', '3.750'],
			['Summe', '60.000', '125.000', '185.000']
		]);
		const { id, view } = await upload(w, utf8(file));
		expect(view.issues).toEqual([]);
		expect(view.warnings.map((i) => describeIssue('de', i))).toEqual([
			'In Klimanetz zählen die kommunalen Einrichtungen nicht zu „Gewerbe, Handel, Dienstleistungen“. Enthält Ihre Zeile für Gewerbe, Handel, Dienstleistungen die kommunalen Einrichtungen, ziehen Sie diese dort ab und tragen Sie sie in einer eigenen Zeile „Kommunale Einrichtungen“ ein.',
			'Zeile 4: „davon kommunale Einrichtungen“ ist ein Teil einer anderen Zeile und wurde übergangen, damit nichts doppelt zählt.'
		]);
		expect(Object.keys(cells(view))).toEqual(['households/electricity', 'households/natural_gas', 'commerce/electricity', 'commerce/natural_gas']);
		expect(view.canApply).toBe(true);
		await applyBalanceImport(w.member, w.network.id, w.town.id, id);
		expect(Object.keys((await storedCells(w, 2021))!.cells)).not.toContain('municipal/electricity');
	});

	it('a file without part rows has no warnings; the template says GHD excludes the municipal facilities', async () => {
		const w = await world();
		const { view } = await upload(w, utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['GHD', 'Strom', '3'], ['Kommunale Einrichtungen', 'Strom', '1']])));
		expect(view.warnings).toEqual([]);
		const text = new TextDecoder().decode(await balanceTemplate('csv'));
		expect(text).toContain('„Gewerbe, Handel, Dienstleistungen“ ohne die kommunalen Einrichtungen: Diese tragen Sie nur unter „Kommunale Einrichtungen“ ein, sonst zählen sie doppelt.');
	});
});

describe('replacing a stored balance', () => {
	it('shows what changes and keeps source, note, public mark and inhabitants', async () => {
		const w = await world();
		await saveBalance(w.member, w.network.id, w.town.id, {
			year: '2021',
			inhabitants: '30000',
			source: 'Klimaschutz-Planer',
			note: 'Stand März',
			isPublic: 'on',
			e_households_electricity_mwh: '500',
			e_households_natural_gas_mwh: '800',
			e_transport_diesel_mwh: '100'
		});
		const { id, view } = await upload(w, utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Private Haushalte', 'Strom', '500'], ['Private Haushalte', 'Erdgas', '750'], ['Industrie', 'Strom', '40']])));
		expect(view.rows.map((r) => [r.sector, r.carrier, r.change, r.before?.energyMwh ?? null])).toEqual([
			['households', 'electricity', 'same', 500],
			['households', 'natural_gas', 'changed', 800],
			['industry', 'electricity', 'new', null],
			['transport', 'diesel', 'removed', 100]
		]);
		await applyBalanceImport(w.member, w.network.id, w.town.id, id);
		const stored = await storedCells(w, 2021);
		expect(stored!.cells).toEqual({ 'households/electricity': [500, null, null], 'households/natural_gas': [750, null, null], 'industry/electricity': [40, null, null] });
		expect(stored!.balance).toMatchObject({ inhabitants: 30000, source: 'Klimaschutz-Planer', note: 'Stand März', isPublic: true, version: 2 });
	});
});

describe('permissions', () => {
	const file = utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Verkehr', 'Diesel', '1']]));
	it.each([
		['coordinator', true],
		['member', true],
		['otherMember', false],
		['partner', false],
		['citizen', false],
		['visitor', false]
	] as const)('%s may import: %s', async (who, allowed) => {
		const w = await world();
		const actor = who === 'visitor' ? (await import('../auth/actor')).VISITOR : w[who];
		const run = uploadBalanceFile(actor, w.network.id, w.town.id, { year: '2021', inhabitants: '', filename: 'b.csv', bytes: file });
		if (allowed) await expect(run).resolves.toMatch(/^[0-9a-f-]{36}$/);
		else await expect(run).rejects.toBeInstanceOf(ForbiddenError);
	});

	it("another network's town is refused, and a preview belongs to its uploader", async () => {
		const w = await world();
		const foreign = await world();
		await expect(uploadBalanceFile(w.coordinator, w.network.id, foreign.town.id, { year: '2021', inhabitants: '', filename: 'b.csv', bytes: file })).rejects.toBeInstanceOf(NotFoundError);
		await expect(uploadBalanceFile(foreign.coordinator, w.network.id, w.town.id, { year: '2021', inhabitants: '', filename: 'b.csv', bytes: file })).rejects.toBeInstanceOf(ForbiddenError);
		const id = await uploadBalanceFile(w.member, w.network.id, w.town.id, { year: '2021', inhabitants: '', filename: 'b.csv', bytes: file });
		await expect(getBalanceImport(w.coordinator, w.network.id, w.town.id, id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(applyBalanceImport(w.coordinator, w.network.id, w.town.id, id)).rejects.toBeInstanceOf(NotFoundError);
		// The import is bound to its town: asking for it under another town finds nothing.
		await expect(getBalanceImport(w.coordinator, w.network.id, w.other.id, id)).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('housekeeping', () => {
	it('a preview expires after 24 hours and is purged', async () => {
		const w = await world();
		const { id } = await upload(w, utf8(csv([['Sektor', 'Energieträger', 'Endenergie (MWh)'], ['Verkehr', 'Diesel', '1']])));
		const later = new Date(Date.now() + 25 * 3600 * 1000);
		expect((await getBalanceImport(w.member, w.network.id, w.town.id, id, later)).expired).toBe(true);
		await expect(applyBalanceImport(w.member, w.network.id, w.town.id, id, later)).rejects.toMatchObject({ fieldErrors: { _form: 'bimport.expired' } });
		const mine = () => db().select().from(balanceImports).where(eq(balanceImports.id, id));
		await purgeExpiredBalanceImports(new Date());
		expect(await mine()).toHaveLength(1);
		expect(await purgeExpiredBalanceImports(later)).toBeGreaterThanOrEqual(1);
		expect(await mine()).toEqual([]);
	});
});
