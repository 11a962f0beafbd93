import { describe, expect, it } from 'vitest';
import { decodeText, detectSeparator, headerSeparator, looksLikeText, splitCsv } from './csv';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeText', () => {
	it('reads UTF-8 with and without BOM and falls back to Windows-1252 (€ and „“ included)', () => {
		expect(decodeText(utf8('\ufeffHeizöl'))).toEqual({ text: 'Heizöl', encoding: 'utf-8-bom' });
		expect(decodeText(utf8('Heizöl'))).toEqual({ text: 'Heizöl', encoding: 'utf-8' });
		expect(decodeText(Uint8Array.from([0x48, 0x65, 0x69, 0x7a, 0xf6, 0x6c, 0x20, 0x80]))).toEqual({ text: 'Heizöl €', encoding: 'windows-1252' });
		expect(decodeText(Uint8Array.from([0x84, 0x61, 0x93]))).toEqual({ text: '„a“', encoding: 'windows-1252' });
	});

	it('reads UTF-16 with BOM, little and big endian (Excel "Unicode text")', () => {
		const le = Uint8Array.from([0xff, 0xfe, ...[...'Öl;1'].flatMap((c) => [c.charCodeAt(0), 0])]);
		const be = Uint8Array.from([0xfe, 0xff, ...[...'Öl;1'].flatMap((c) => [0, c.charCodeAt(0)])]);
		expect(decodeText(le)).toEqual({ text: 'Öl;1', encoding: 'utf-16' });
		expect(decodeText(be)).toEqual({ text: 'Öl;1', encoding: 'utf-16' });
	});

	it('tells binary from text', () => {
		expect(looksLikeText('a;b\r\n1;2\t3')).toBe(true);
		expect(looksLikeText('%PDF\u0000\u0001')).toBe(false);
	});
});

describe('splitCsv', () => {
	it('keeps separators, quotes and line breaks inside quotes, and numbers rows by their first line', () => {
		const text = 'a;"b;c";"say ""hi"""\r\n"multi\nline";2;3\n\nlast;x';
		expect(splitCsv(text, ';')).toEqual([
			{ row: 1, cells: ['a', 'b;c', 'say "hi"'] },
			{ row: 2, cells: ['multi\nline', '2', '3'] },
			{ row: 4, cells: [''] },
			{ row: 5, cells: ['last', 'x'] }
		]);
	});

	it('handles one cell of a megabyte in one pass', () => {
		const big = '1'.repeat(1024 * 1024) + 'x';
		const rows = splitCsv(`a;b\r\n${big};2\r\n`, ';');
		expect(rows[1].cells[0]).toHaveLength(big.length);
	});
});

describe('separators', () => {
	it('detectSeparator: the one that splits most lines the same way, over title lines; ";" on a tie', () => {
		expect(detectSeparator('Bilanz 2021, Wernigerode\r\nSektor;Strom;Erdgas\r\nHaushalte;1,5;2\r\nGHD;3;4')).toBe(';');
		expect(detectSeparator('Sector,Carrier,MWh\r\nHouseholds,Electricity,"1,234.5"\r\nTransport,Petrol,880.25')).toBe(',');
		expect(detectSeparator('a\tb\tc\n1\t2\t3')).toBe('\t');
		expect(detectSeparator('nothing to split')).toBe(';');
	});

	it('headerSeparator: whichever the first line uses most', () => {
		expect(headerSeparator('Code;Titel;Status\n1,2;3')).toBe(';');
		expect(headerSeparator('Code,Titel,Status\nA;B;C;D;E')).toBe(',');
		expect(headerSeparator('Code\tTitel\n')).toBe('\t');
	});
});
