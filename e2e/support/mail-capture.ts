// Mail capture for browser tests: an SMTP server (no auth needed, no STARTTLS) keeps every mail
// the app sends in memory and serves them, already decoded, over a tiny HTTP endpoint:
//   GET    /mails?to=<address>&after=<id>   -> CapturedMail[] (oldest first)
//   DELETE /mails                           -> forget all
// Each raw mail is also written to <dir>/<id>.eml for debugging.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
	/** Increasing number, 1 for the first mail of the run. */
	id: number;
	receivedAt: string;
	/** SMTP envelope (covers Bcc). */
	envelopeFrom: string;
	envelopeTo: string[];
	from: string;
	to: string;
	subject: string;
	text: string;
	html: string;
	/** Absolute http(s) links found in the HTML (href) and in the text part, in order, without duplicates. */
	links: string[];
}

export interface MailCapture {
	smtpPort: number;
	httpPort: number;
	mails: CapturedMail[];
	close(): Promise<void>;
}

export async function startMailCapture(dir: string): Promise<MailCapture> {
	fs.mkdirSync(dir, { recursive: true });
	const mails: CapturedMail[] = [];

	const smtp = new SMTPServer({
		authOptional: true,
		allowInsecureAuth: true,
		onAuth: (_auth, _session, cb) => cb(null, { user: 'e2e' }),
		disabledCommands: ['STARTTLS'],
		logger: false,
		banner: 'Klimanetz e2e mail capture',
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('error', callback);
			stream.on('end', () => {
				try {
					const raw = Buffer.concat(chunks);
					const id = mails.length + 1;
					fs.writeFileSync(path.join(dir, `${String(id).padStart(4, '0')}.eml`), raw);
					const parsed = parseMail(raw);
					mails.push({
						id,
						receivedAt: new Date().toISOString(),
						envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
						envelopeTo: session.envelope.rcptTo.map((r) => r.address),
						...parsed
					});
					callback();
				} catch (e) {
					callback(e as Error);
				}
			});
		}
	});
	await new Promise<void>((resolve, reject) => {
		smtp.once('error', reject);
		smtp.listen(0, '127.0.0.1', () => resolve());
	});
	// smtp-server keeps the net.Server as .server
	const smtpPort = ((smtp as unknown as { server: import('node:net').Server }).server.address() as AddressInfo).port;

	const api = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		if (url.pathname !== '/mails') {
			res.writeHead(404).end();
			return;
		}
		if (req.method === 'DELETE') {
			mails.length = 0;
			res.writeHead(204).end();
			return;
		}
		const to = url.searchParams.get('to')?.toLowerCase();
		const after = Number(url.searchParams.get('after') ?? 0);
		const list = mails.filter((m) => m.id > after && (!to || recipients(m).includes(to)));
		res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(list));
	});
	await new Promise<void>((resolve, reject) => {
		api.once('error', reject);
		api.listen(0, '127.0.0.1', () => resolve());
	});
	const httpPort = (api.address() as AddressInfo).port;

	return {
		smtpPort,
		httpPort,
		mails,
		async close() {
			await Promise.all([
				new Promise<void>((r) => smtp.close(() => r())),
				new Promise<void>((r) => {
					api.closeAllConnections();
					api.close(() => r());
				})
			]);
		}
	};
}

/** Lower-case addresses a mail went to: envelope plus the addresses in the To header. */
export function recipients(m: Pick<CapturedMail, 'envelopeTo' | 'to'>): string[] {
	const fromHeader = [...m.to.matchAll(/[^\s<>,;"]+@[^\s<>,;"]+/g)].map((x) => x[0]);
	return [...new Set([...m.envelopeTo, ...fromHeader].map((a) => a.toLowerCase()))];
}

// ---------------------------------------------------------------------------------------------
// A small MIME reader: enough for what nodemailer sends (multipart/alternative or /mixed, text and
// HTML parts in quoted-printable, base64, 7bit or 8bit, RFC 2047 encoded headers).

interface Part {
	headers: Map<string, string>;
	/** Body as a binary string (one char per byte). */
	body: string;
}

export function parseMail(raw: Buffer): Pick<CapturedMail, 'from' | 'to' | 'subject' | 'text' | 'html' | 'links'> {
	const root = splitPart(raw.toString('latin1'));
	const found = { text: '', html: '' };
	collect(root, found);
	return {
		from: decodeWords(root.headers.get('from') ?? ''),
		to: decodeWords(root.headers.get('to') ?? ''),
		subject: decodeWords(root.headers.get('subject') ?? ''),
		text: found.text,
		html: found.html,
		links: extractLinks(found.html, found.text)
	};
}

function splitPart(s: string): Part {
	const m = /\r?\n\r?\n/.exec(s);
	const head = m ? s.slice(0, m.index) : s;
	const body = m ? s.slice(m.index + m[0].length) : '';
	const headers = new Map<string, string>();
	const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
	for (const line of unfolded.split(/\r?\n/)) {
		const i = line.indexOf(':');
		if (i <= 0) continue;
		const key = line.slice(0, i).trim().toLowerCase();
		if (!headers.has(key)) headers.set(key, line.slice(i + 1).trim());
	}
	return { headers, body };
}

function headerParams(value: string): { value: string; params: Record<string, string> } {
	const [first, ...rest] = value.split(';');
	const params: Record<string, string> = {};
	for (const p of rest) {
		const i = p.indexOf('=');
		if (i < 0) continue;
		params[p.slice(0, i).trim().toLowerCase()] = p
			.slice(i + 1)
			.trim()
			.replace(/^"(.*)"$/, '$1');
	}
	return { value: first.trim().toLowerCase(), params };
}

function collect(part: Part, out: { text: string; html: string }) {
	const ct = headerParams(part.headers.get('content-type') ?? 'text/plain; charset=us-ascii');
	const disposition = headerParams(part.headers.get('content-disposition') ?? 'inline').value;
	if (ct.value.startsWith('multipart/') && ct.params.boundary) {
		const delimiter = `--${ct.params.boundary}`;
		const pieces = part.body.split(delimiter).slice(1);
		for (const piece of pieces) {
			if (piece.startsWith('--')) break; // closing delimiter
			collect(splitPart(piece.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, '')), out);
		}
		return;
	}
	if (disposition === 'attachment') return;
	if (ct.value !== 'text/plain' && ct.value !== 'text/html') return;
	const text = decodeBody(part.body, part.headers.get('content-transfer-encoding') ?? '7bit', ct.params.charset ?? 'utf-8');
	if (ct.value === 'text/plain' && !out.text) out.text = text;
	if (ct.value === 'text/html' && !out.html) out.html = text;
}

function decodeBody(body: string, encoding: string, charset: string): string {
	let bytes: Buffer;
	switch (encoding.trim().toLowerCase()) {
		case 'base64':
			bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
			break;
		case 'quoted-printable':
			bytes = Buffer.from(
				body.replace(/[ \t]+(\r?\n)/g, '$1').replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
				'latin1'
			);
			break;
		default:
			bytes = Buffer.from(body, 'latin1');
	}
	return decodeCharset(bytes, charset);
}

function decodeCharset(bytes: Buffer, charset: string): string {
	try {
		return new TextDecoder(charset.toLowerCase()).decode(bytes);
	} catch {
		return bytes.toString('utf8');
	}
}

/** RFC 2047 encoded words (=?utf-8?Q?…?= / =?utf-8?B?…?=); whitespace between two of them is dropped. */
export function decodeWords(value: string): string {
	return value
		.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?[^?]+\?[BbQq]\?[^?]*\?=)/g, '$1')
		.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, data: string) => {
			const bytes =
				enc.toUpperCase() === 'B'
					? Buffer.from(data, 'base64')
					: Buffer.from(
							data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
							'latin1'
						);
			return decodeCharset(bytes, charset.replace(/\*.*$/, ''));
		});
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
		if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
		return ENTITIES[e.toLowerCase()] ?? m;
	});
}

export function extractLinks(html: string, text: string): string[] {
	const out: string[] = [];
	for (const m of html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
		out.push(decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').trim());
	}
	for (const m of text.matchAll(/https?:\/\/[^\s<>"'\]]+/g)) {
		out.push(m[0].replace(/[.,;:!?)]+$/, ''));
	}
	return [...new Set(out.filter((l) => /^https?:\/\//i.test(l)))];
}
