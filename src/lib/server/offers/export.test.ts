import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { useTestDb } from '../testing/db';
import { ForbiddenError } from '../errors';
import { EXPORT_HEADERS, exportOffers } from './export';
import { assess, makeOffer, offerWorld } from './testing';

useTestDb();

describe('exportOffers', () => {
	it('writes the filtered list with the towns aggregates as CSV (BOM, ;, formulas defused) and .xlsx (values, never formulas)', async () => {
		const w = await offerWorld();
		const net = w.network.id;
		const evil = await makeOffer(w.member, net, { title: '=HYPERLINK("http://böse.example";"klick")', provider: '+49 Anbieter; "GmbH"', kind: 'software', priceModel: 'per_year', costMin: '1.200,5', themes: ['energy', 'municipal'] });
		await makeOffer(w.member, net, { title: 'Zweites Angebot', kind: 'campaign' });
		await assess(w.member, net, evil.id, { bodyId: w.town.id, effort: '2', benefit: '1' });
		await assess(w.otherMember, net, evil.id, { bodyId: w.other.id, effort: '3', benefit: '4', costEur: '1.000' });
		await assess(w.partner, net, evil.id, { benefit: '5' });

		const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await exportOffers(w.member, net, { kind: 'software' }, 'csv'));
		expect(csv.startsWith('\ufeff')).toBe(true);
		const lines = csv.slice(1).split('\r\n').filter(Boolean);
		expect(lines.length).toBe(2);
		expect(lines[0].split(';')).toEqual(EXPORT_HEADERS);
		expect(lines[1]).toContain(`'=HYPERLINK`);
		expect(lines[1]).toContain(`"'+49 Anbieter; ""GmbH"""`);
		expect(lines[1]).toContain(';Software;Pro Jahr;1200,5;;Energieversorgung, Kommunale Liegenschaften und Verwaltung;2;2,5;2,5;1;4;3;1000;');
		expect(lines[1]).toContain(';Halberstadt, Wernigerode;1;3;5;ja;nein');

		const all = new TextDecoder().decode(await exportOffers(w.member, net, {}, 'csv'));
		expect(all.split('\r\n').filter(Boolean).length).toBe(3);

		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(Buffer.from(await exportOffers(w.coordinator, net, { kind: 'software' }, 'xlsx')) as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('Angebote')!;
		expect(ws.getRow(1).getCell(2).value).toBe('Titel');
		const title = ws.getRow(2).getCell(2).value;
		expect(title).toBe('=HYPERLINK("http://böse.example";"klick")');
		expect(ws.getRow(2).getCell(2).formula).toBeUndefined();
		expect(ws.getRow(2).getCell(11).value).toBe(2.5);
		expect(ws.rowCount).toBe(2);

		await expect(exportOffers(w.citizen, net, {}, 'csv')).rejects.toBeInstanceOf(ForbiddenError);
		await expect(exportOffers(w.foreignCoordinator, net, {}, 'xlsx')).rejects.toBeInstanceOf(ForbiddenError);
	});
});
