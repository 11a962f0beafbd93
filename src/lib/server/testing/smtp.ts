// A real SMTP server for tests that check what mail leaves the app: SMTP_URL points at it while
// the calling test file runs. Messages are kept raw plus decoded subject and plain-text body.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
	to: string[];
	subject: string;
	text: string;
	raw: string;
}

function decodeQp(s: string): string {
	return s.replace(/((?:=[0-9A-F]{2})+)/gi, (m) => Buffer.from(m.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8'));
}

function decodeHeader(v: string): string {
	return v
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, t: string) =>
			enc.toUpperCase() === 'B' ? Buffer.from(t, 'base64').toString('utf8') : decodeQp(t.replace(/_/g, ' '))
		);
}

/** Subject and text/plain part of a message as nodemailer writes it. */
function readMail(raw: string): { subject: string; text: string } {
	const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
	const subject = decodeHeader(/^subject:\s*(.*)$/im.exec(head)?.[1] ?? '');
	const plain = /content-type:\s*text\/plain[^]*?content-transfer-encoding:\s*(\S+)\r?\n\r?\n([^]*?)\r?\n--/i.exec(raw);
	let text = '';
	if (plain) {
		text = /base64/i.test(plain[1]) ? Buffer.from(plain[2].replace(/\s+/g, ''), 'base64').toString('utf8') : decodeQp(plain[2].replace(/=\r?\n/g, ''));
	}
	return { subject, text };
}

/** Starts the server before the file's tests and stops it after; returns the list of received mail. */
export function useSmtpCapture(): CapturedMail[] {
	const received: CapturedMail[] = [];
	let server: SMTPServer;
	const saved = process.env.SMTP_URL;
	beforeAll(async () => {
		server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			onData(stream, session, cb) {
				const chunks: Buffer[] = [];
				stream.on('data', (c: Buffer) => chunks.push(c));
				stream.on('end', () => {
					const raw = Buffer.concat(chunks).toString('utf8');
					received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, ...readMail(raw) });
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
		if (saved === undefined) delete process.env.SMTP_URL;
		else process.env.SMTP_URL = saved;
	});
	return received;
}
