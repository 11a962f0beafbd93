// Outgoing mail. With SMTP_URL set, mail goes over SMTP (nodemailer); without it, each mail is
// written to <data>/outbox/*.eml so a local installation works offline, and the log says where.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../config';
import { log } from '../log';
import { isDemoEmail } from '../network/demo/accounts';

export interface Mail {
	to: string;
	subject: string;
	text: string;
	html: string;
	attachments?: { filename: string; content: string | Buffer; contentType?: string }[];
	/** Extra headers, e.g. List-Unsubscribe / List-Unsubscribe-Post (RFC 8058) on notification mails. */
	headers?: Record<string, string>;
}

let transport: Transporter | null = null;
let transportUrl: string | undefined;

function smtp(): Transporter | null {
	const url = config.smtpUrl;
	if (!url) return null;
	if (!transport || transportUrl !== url) {
		transport = nodemailer.createTransport(url);
		transportUrl = url;
	}
	return transport;
}

/** Sends one mail now. Returns where it went: 'smtp', the path of the .eml file, or 'skipped' (a demo address). */
export async function sendMail(mail: Mail): Promise<string> {
	// The demo's invented people (@demo.klimanetz.example) answer ideas, meetings and discussions:
	// whatever a module does with them, no mail ever leaves for such an address.
	if (isDemoEmail(mail.to)) {
		log.info('mail.demo_skipped', { to: mail.to, subject: mail.subject });
		return 'skipped';
	}
	const message = { from: config.mailFrom, ...mail };
	const t = smtp();
	if (t) {
		await t.sendMail(message);
		log.info('mail.sent', { to: mail.to, subject: mail.subject });
		return 'smtp';
	}
	const out = path.join(config.dataDir, 'outbox');
	fs.mkdirSync(out, { recursive: true });
	const eml = await nodemailer
		.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
		.sendMail(message);
	const safeTo = mail.to.replace(/[^a-zA-Z0-9@._-]/g, '_');
	const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeTo}.eml`);
	fs.writeFileSync(file, eml.message as Buffer);
	log.info('mail.outbox', { to: mail.to, subject: mail.subject, file });
	return file;
}
