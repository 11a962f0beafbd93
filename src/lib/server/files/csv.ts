// Reading CSV files as German offices save them: the encoding (UTF-8 with or without BOM,
// UTF-16 with BOM, else Windows-1252), the separator (; , or tab) and RFC 4180 quoting. Shared by
// the measures import and the balance import; what the cells mean is theirs.

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16' | 'windows-1252';
export type Separator = ';' | ',' | '\t';
export interface CsvRecord {
	/** The record's first line in the file (1-based): a quoted cell may span lines. */
	row: number;
	cells: string[];
}

/** Windows-1252 at 0x80–0x9F (€, „, “, –, …); elsewhere it equals Latin-1. Undefined bytes stay as they are. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252 (old
 * German Excel): bytes that are not valid UTF-8 can only be that. Decoded by hand, because Node's
 * TextDecoder('windows-1252') decodes as Latin-1 and loses € and „“. The text has no BOM.
 */
export function decodeText(b: Uint8Array): { text: string; encoding: Encoding } {
	if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(b.subarray(3)), encoding: 'utf-8-bom' };
	if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'utf-16' };
	if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'utf-16' };
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
	} catch {
		let text = '';
		for (const byte of b) text += byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
		return { text, encoding: 'windows-1252' };
	}
}

/** Control characters other than tab and line breaks: the bytes were no text file. */
export const looksLikeText = (s: string) => !/[\u0000-\u0008\u000e-\u001f]/.test(s.slice(0, 64 * 1024));

/**
 * The separator that splits the lines most consistently: the most frequent non-zero count of it
 * per line (quoted parts left out), counted over the first lines; lines starting with '#' are
 * comments. ';' wins ties: a ';' file has commas in its decimals, never the other way round.
 * For files whose first line may be a title rather than the header.
 */
export function detectSeparator(text: string): Separator {
	const lines = text
		.split(/\r?\n/, 200)
		.filter((l) => l.trim() !== '' && !l.startsWith('#'))
		.slice(0, 50)
		.map((l) => l.replace(/"[^"]*"/g, ''));
	let best: Separator = ';';
	let bestScore = 0;
	for (const sep of [';', '\t', ','] as const) {
		const freq = new Map<number, number>();
		for (const l of lines) {
			const n = l.split(sep).length - 1;
			if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
		}
		const score = Math.max(0, ...freq.values());
		if (score > bestScore) {
			best = sep;
			bestScore = score;
		}
	}
	return best;
}

/** Whichever of ; , or tab the first line uses most (';' on a tie): for files that start with their header. */
export function headerSeparator(text: string): Separator {
	const firstLine = text.slice(0, text.search(/\r?\n|$/));
	const count = (ch: string) => firstLine.split(ch).length - 1;
	return ([';', ',', '\t'] as const).reduce<Separator>((best, ch) => (count(ch) > count(best) ? ch : best), ';');
}

/** RFC 4180 records with the given separator; rows numbered by their first line in the file. */
export function splitCsv(text: string, sep: string): CsvRecord[] {
	const out: CsvRecord[] = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let row = 1;
	let line = 1;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i++;
				} else quoted = false;
			} else {
				if (c === '\n') line++;
				cell += c;
			}
		} else if (c === '"' && cell === '') quoted = true;
		else if (c === sep) {
			cells.push(cell);
			cell = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			cells.push(cell);
			out.push({ row, cells });
			cells = [];
			cell = '';
			row = ++line;
		} else cell += c;
	}
	if (cell !== '' || cells.length) {
		cells.push(cell);
		out.push({ row, cells });
	}
	return out;
}
