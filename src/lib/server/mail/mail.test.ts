import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import { sendMail } from './index';
import { invitationMail } from './templates';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { jobs } from '../db/schema';
import { enqueue, runDueJobs } from '../jobs';

useTestDb();

interface Received {
	from: string;
	to: string[];
	raw: string;
}

// ---- a small MIME reader, enough for what nodemailer writes ----------------------------------

function splitMessage(raw: string): { headers: Record<string, string>; body: string } {
	const at = raw.search(/\r?\n\r?\n/);
	const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
	const headers: Record<string, string> = {};
	for (const line of head.split(/\r?\n/)) {
		const i = line.indexOf(':');
		headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
	}
	return { headers, body: raw.slice(at).replace(/^\r?\n\r?\n/, '') };
}

function bytesOfHex(s: string): string {
	return s.replace(/((?:=[0-9A-F]{2})+)/gi, (m) =>
		Buffer.from(m.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8')
	);
}

/** RFC 2047 encoded words in headers. */
function decodeHeader(v: string): string {
	return v
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
			enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : bytesOfHex(text.replace(/_/g, ' '))
		);
}

function decodeBody(body: string, encoding = '7bit'): string {
	if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (/quoted-printable/i.test(encoding)) return bytesOfHex(body.replace(/=\r?\n/g, ''));
	return body;
}

function parts(raw: string): { headers: Record<string, string>; parts: Record<string, string> } {
	const { headers, body } = splitMessage(raw);
	const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
	const out: Record<string, string> = {};
	if (!boundary) return { headers, parts: out };
	for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
		const p = splitMessage(chunk.replace(/^\r?\n/, ''));
		const type = (p.headers['content-type'] ?? '').split(';')[0];
		out[type] = decodeBody(p.body.trimEnd(), p.headers['content-transfer-encoding']);
	}
	return { headers, parts: out };
}

// ---- a real SMTP server ------------------------------------------------------------------------

const received: Received[] = [];
let refuseNext = 0;
let server: SMTPServer;
const saved = { SMTP_URL: process.env.SMTP_URL, DATA_DIR: process.env.DATA_DIR };

beforeAll(async () => {
	server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, cb) {
			if (refuseNext > 0) {
				refuseNext--;
				const err = new Error('Mailbox vorübergehend nicht verfügbar') as Error & { responseCode: number };
				err.responseCode = 451;
				return cb(err);
			}
			cb();
		},
		onData(stream, session, cb) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks).toString('utf8')
				});
				cb();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
	process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
	for (const [k, v] of Object.entries(saved)) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
});

afterEach(() => {
	received.length = 0;
	refuseNext = 0;
});

const invitation = () =>
	invitationMail('anna.schmidt@example.org', {
		networkName: 'Klimaschutznetzwerk <Harz> & "Umland"',
		roleLabel: 'Mitglied',
		inviterName: "Jörg <script>alert('x')</script>",
		url: 'https://klimanetz.example/einladung/abc?x=1&y=2',
		expiresOn: '31.12.2026'
	});

describe('sendMail over SMTP', () => {
	it('delivers a German invitation as text and HTML, escaping user values in the HTML', async () => {
		expect(await sendMail(invitation())).toBe('smtp');
		expect(received).toHaveLength(1);
		const [mail] = received;
		expect(mail.to).toEqual(['anna.schmidt@example.org']);
		expect(mail.from).toBe('klimanetz@localhost');

		const { headers, parts: p } = parts(mail.raw);
		expect(headers['to']).toBe('anna.schmidt@example.org');
		expect(decodeHeader(headers['subject'])).toBe('Einladung in das Klimaschutznetzwerk <Harz> & "Umland" auf Klimanetz');
		expect(headers['content-type']).toMatch(/^multipart\/alternative/);
		expect(Object.keys(p).sort()).toEqual(['text/html', 'text/plain']);

		// Plain text carries the values as they are.
		expect(p['text/plain']).toContain("Jörg <script>alert('x')</script> lädt Sie in das Klimaschutznetzwerk <Harz>");
		expect(p['text/plain']).toContain('https://klimanetz.example/einladung/abc?x=1&y=2');

		// HTML carries them escaped: no markup from users survives.
		const html = p['text/html'];
		expect(html).toContain('<html lang="de">');
		expect(html).toContain('Jörg &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; lädt Sie');
		expect(html).toContain('Klimaschutznetzwerk &lt;Harz&gt; &amp; &quot;Umland&quot;');
		expect(html).toContain('href="https://klimanetz.example/einladung/abc?x=1&amp;y=2"');
		expect(html).not.toContain('<script>');
		expect(html).not.toContain('<Harz>');
	});

	it('throws when the server refuses, so a mail.send job retries and later delivers', async () => {
		refuseNext = 1;
		await expect(sendMail(invitation())).rejects.toThrow(/451/);
		expect(received).toHaveLength(0);

		refuseNext = 1;
		const job = (await enqueue('mail.send', invitation()))!;
		expect(await runDueJobs('mail-test')).toMatchObject({ retried: 1 });
		const [afterFail] = await db().select().from(jobs).where(eq(jobs.id, job.id));
		expect(afterFail.status).toBe('queued');
		expect(afterFail.lastError).toContain('451');

		await db().update(jobs).set({ runAt: new Date(0) }).where(eq(jobs.id, job.id));
		expect(await runDueJobs('mail-test')).toMatchObject({ done: 1 });
		expect(received).toHaveLength(1);
		expect(received[0].to).toEqual(['anna.schmidt@example.org']);
	});
});

describe('sendMail without SMTP_URL', () => {
	it('writes an .eml file into <DATA_DIR>/outbox', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-mail-'));
		const url = process.env.SMTP_URL;
		delete process.env.SMTP_URL;
		process.env.DATA_DIR = dir;
		try {
			const file = await sendMail(invitation());
			expect(path.dirname(file)).toBe(path.join(dir, 'outbox'));
			expect(file).toMatch(/anna\.schmidt@example\.org\.eml$/);
			const { headers, parts: p } = parts(fs.readFileSync(file, 'utf8'));
			expect(headers['to']).toBe('anna.schmidt@example.org');
			expect(decodeHeader(headers['subject'])).toContain('Einladung in das Klimaschutznetzwerk');
			expect(p['text/html']).toContain('Jörg &lt;script&gt;');
			expect(p['text/plain']).toContain('Einladung annehmen:\nhttps://klimanetz.example/einladung/abc?x=1&y=2');
			expect(received).toHaveLength(0);
		} finally {
			process.env.SMTP_URL = url;
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('sendMail to the demo', () => {
	it('never sends to an invented demo address, over SMTP or into the outbox', async () => {
		const before = received.length;
		expect(await sendMail({ ...invitation(), to: 'jana.weber@Demo.Klimanetz.example' })).toBe('skipped');
		expect(received).toHaveLength(before);
	});
});
