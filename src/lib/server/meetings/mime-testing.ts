// Reads the parts of a raw MIME message as nodemailer writes it (tests only): enough to find the
// .ics attachment of a captured mail and decode it, without trusting our own writer.
import ICAL from 'ical.js';

function decodeQp(s: string): string {
	const bytes: number[] = [];
	const src = s.replace(/=\r?\n/g, '');
	for (let i = 0; i < src.length; i++) {
		if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
			bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
			i += 2;
		} else bytes.push(...Buffer.from(src[i], 'utf8'));
	}
	return Buffer.from(bytes).toString('utf8');
}

export interface MimePart {
	headers: string;
	body: string;
}

/** Every leaf part (nested multiparts flattened), bodies decoded to text. */
export function mimeParts(raw: string): MimePart[] {
	const split = raw.search(/\r?\n\r?\n/);
	const headers = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
	const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
	const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
	if (/content-type:\s*multipart\//i.test(headers) && boundary) {
		return body
			.split(`--${boundary}`)
			.slice(1)
			.filter((c) => !c.startsWith('--'))
			.map((c) => c.replace(/^\r?\n/, '').replace(/\r?\n$/, ''))
			.flatMap((c) => mimeParts(c));
	}
	const enc = /content-transfer-encoding:\s*(\S+)/i.exec(headers)?.[1]?.toLowerCase() ?? '7bit';
	const text = enc === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : enc === 'quoted-printable' ? decodeQp(body) : body;
	return [{ headers, body: text }];
}

/** The text/calendar part of a mail, parsed by ical.js (the parser Thunderbird uses). */
export function icsOf(raw: string) {
	const part = mimeParts(raw).find((p) => /content-type:\s*text\/calendar/i.test(p.headers));
	if (!part) throw new Error('no text/calendar part');
	const cal = new ICAL.Component(ICAL.parse(part.body));
	const comp = cal.getFirstSubcomponent('vevent')!;
	return { text: part.body, headers: part.headers, cal, comp, event: new ICAL.Event(comp) };
}

/** The text/html part, decoded. */
export function htmlOf(raw: string): string {
	return mimeParts(raw).find((p) => /content-type:\s*text\/html/i.test(p.headers))?.body ?? '';
}
