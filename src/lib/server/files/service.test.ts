import fs from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { auditLog, files, networks } from '../db/schema';
import { registerRecordType, type ResolvedRecord } from '../registry';
import { membershipIn, VISITOR, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { contentDisposition, deleteFile, listFiles, openFile, sanitizeFilename, storeFile } from './service';
import { LocalFileStorage } from './storage';
import { GET } from '../../../routes/dateien/[id]/+server';

useTestDb();

// A throwaway record type: readable by members of its network (or anyone when public),
// editable by coordinators and members.
const records = new Map<string, ResolvedRecord>();
registerRecordType({
	type: 'test.doc',
	labelKey: 'record.test',
	load: async (id) => records.get(id) ?? null,
	canRead: (actor, rec) => rec.isPublic || !!(rec.networkId && membershipIn(actor, rec.networkId)),
	canEdit: (actor, rec) => {
		const m = rec.networkId ? membershipIn(actor, rec.networkId) : undefined;
		return m?.role === 'coordinator' || m?.role === 'member';
	}
});

// The same, but files are deleted only by their uploader or a coordinator (canDeleteFile).
registerRecordType({
	type: 'test.thread',
	labelKey: 'record.test',
	load: async (id) => records.get(id) ?? null,
	canRead: (actor, rec) => !!(rec.networkId && membershipIn(actor, rec.networkId)),
	canEdit: (actor, rec) => !!(rec.networkId && membershipIn(actor, rec.networkId)),
	canDeleteFile: (actor, rec, file) => membershipIn(actor, rec.networkId!)?.role === 'coordinator' || (!!actor.userId && file.uploadedBy === actor.userId)
});

let dataDir: string;
let savedDataDir: string | undefined;
let harz: string;
let elbe: string;
let member: Actor;
let partner: Actor;
let otherNetwork: Actor;

const actor = (userId: string, networkId: string, role: 'coordinator' | 'member' | 'partner'): Actor => ({
	userId,
	name: userId,
	email: `${userId}@example.org`,
	isOperator: false,
	memberships: [{ networkId, slug: 'x', networkName: 'Netzwerk', role, bodyIds: [] }]
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function storedBlobs(): string[] {
	const root = path.join(dataDir, 'files');
	if (!fs.existsSync(root)) return [];
	return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
	return Buffer.concat(chunks);
}

beforeAll(async () => {
	savedDataDir = process.env.DATA_DIR;
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-files-'));
	process.env.DATA_DIR = dataDir;
	const [a, b] = await db()
		.insert(networks)
		.values([
			{ slug: 'harz', name: 'Klimaschutznetzwerk Harz' },
			{ slug: 'elbe', name: 'Klimaschutznetzwerk Elbe' }
		])
		.returning();
	harz = a.id;
	elbe = b.id;
	member = actor('u-member', harz, 'member');
	partner = actor('u-partner', harz, 'partner');
	otherNetwork = actor('u-elbe', elbe, 'coordinator');
	records.set('intern', { type: 'test.doc', id: 'intern', networkId: harz, title: 'Intern', url: '/harz/x', isPublic: false });
});

afterAll(() => {
	if (savedDataDir === undefined) delete process.env.DATA_DIR;
	else process.env.DATA_DIR = savedDataDir;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
	await db().delete(files);
	fs.rmSync(path.join(dataDir, 'files'), { recursive: true, force: true });
});

const upload = (over: Partial<Parameters<typeof storeFile>[1]> = {}) =>
	storeFile(member, {
		recordType: 'test.doc',
		recordId: 'intern',
		filename: 'bild.png',
		contentType: 'image/png',
		bytes: PNG,
		...over
	});

describe('storeFile refuses', () => {
	it.each([
		['an HTML page', { filename: 'seite.html', contentType: 'text/html', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') }, 'file.typeNotAllowed'],
		['HTML claimed as text', { filename: 'seite.txt', contentType: 'text/plain', bytes: Buffer.from('  <html><body onload="x()">') }, 'file.typeNotAllowed'],
		['an SVG image', { filename: 'logo.svg', contentType: 'image/svg+xml', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }, 'file.typeNotAllowed'],
		['an .exe', { filename: 'setup.exe', contentType: 'application/x-msdownload', bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00') }, 'file.typeNotAllowed'],
		['an .exe sent as octet-stream', { filename: 'setup.exe', contentType: 'application/octet-stream', bytes: Buffer.from('MZ\x90\x00') }, 'file.typeNotAllowed'],
		['an .exe claimed as PDF', { filename: 'rechnung.pdf', contentType: 'application/pdf', bytes: Buffer.from('MZ\x90\x00\x03\x00') }, 'file.typeNotAllowed'],
		['a PNG claimed as PDF', { filename: 'bericht.pdf', contentType: 'application/pdf', bytes: PNG }, 'file.typeNotAllowed'],
		['a PDF named .png', { filename: 'foto.png', contentType: 'application/pdf', bytes: PDF }, 'file.typeNotAllowed'],
		['binary bytes claimed as CSV', { filename: 'daten.csv', contentType: 'text/csv', bytes: Buffer.from([0x41, 0x00, 0x42]) }, 'file.typeNotAllowed'],
		['a zip claimed as docx', { filename: 'brief.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: Buffer.from('PK\x03\x04random.bin') }, 'file.typeNotAllowed'],
		['an empty file', { bytes: Buffer.alloc(0) }, 'file.empty'],
		['an oversize file', { bytes: Buffer.concat([PNG, Buffer.alloc(2048)]), maxBytes: 1024 }, 'file.tooLarge'],
		['a type outside the narrowed list', { filename: 'bericht.pdf', contentType: 'application/pdf', bytes: PDF, allowedTypes: ['image/png'] }, 'file.typeNotAllowed']
	])('%s, storing nothing', async (_label, over, key) => {
		const err = await upload(over).catch((e) => e);
		expect(err).toBeInstanceOf(ValidationError);
		expect((err as ValidationError).fieldErrors).toEqual({ file: key });
		expect(await db().select().from(files)).toHaveLength(0);
		expect(storedBlobs()).toHaveLength(0);
	});

	it('the default limit of 20 MB', async () => {
		const big = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024)]);
		await expect(upload({ filename: 'gross.pdf', contentType: 'application/pdf', bytes: big })).rejects.toMatchObject({
			fieldErrors: { file: 'file.tooLarge' }
		});
		expect(storedBlobs()).toHaveLength(0);
	});

	it.each([
		['a partner (reads, may not attach)', () => partner],
		['another network', () => otherNetwork],
		['a visitor', () => VISITOR]
	])('an upload by %s', async (_label, who) => {
		await expect(
			storeFile(who(), { recordType: 'test.doc', recordId: 'intern', filename: 'a.png', contentType: 'image/png', bytes: PNG })
		).rejects.toBeInstanceOf(ForbiddenError);
		expect(await db().select().from(files)).toHaveLength(0);
	});

	it('a record that does not exist, and a network id that is not the record’s', async () => {
		await expect(upload({ recordId: 'nope' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(upload({ recordType: 'no.such.type' })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(upload({ networkId: elbe })).rejects.toBeInstanceOf(ForbiddenError);
		expect(storedBlobs()).toHaveLength(0);
	});
});

describe('a stored file', () => {
	it('keeps its bytes, sha256 and metadata and writes the audit log', async () => {
		const row = await upload({ networkId: harz });
		expect(row).toMatchObject({
			networkId: harz,
			recordType: 'test.doc',
			recordId: 'intern',
			filename: 'bild.png',
			contentType: 'image/png',
			size: PNG.length,
			uploadedBy: 'u-member',
			sha256: createHash('sha256').update(PNG).digest('hex')
		});
		expect(storedBlobs()).toEqual([row.storageKey]);
		const [entry] = await db().select().from(auditLog).where(eq(auditLog.recordId, row.id));
		expect(entry).toMatchObject({ action: 'create', recordType: 'file', actorUserId: 'u-member', networkId: harz });
	});

	it('is opened for members of its network, null for a visitor and for another network', async () => {
		const row = await upload();
		const opened = await openFile(partner, row.id);
		expect(opened?.file.id).toBe(row.id);
		expect(opened?.record.id).toBe('intern');
		expect(await readAll(opened!.stream)).toEqual(PNG);

		expect(await openFile(VISITOR, row.id)).toBeNull();
		expect(await openFile(otherNetwork, row.id)).toBeNull();
		// Unknown and malformed ids look the same as forbidden ones.
		expect(await openFile(member, '00000000-0000-4000-8000-000000000000')).toBeNull();
		expect(await openFile(member, '../../etc/passwd')).toBeNull();
	});

	it('follows its record: a public record’s file is open to visitors', async () => {
		records.set('public', { type: 'test.doc', id: 'public', networkId: harz, title: 'Öffentlich', url: '/harz', isPublic: true });
		const row = await upload({ recordId: 'public', filename: 'plan.pdf', contentType: 'application/pdf', bytes: PDF });
		const opened = await openFile(VISITOR, row.id);
		expect(await readAll(opened!.stream)).toEqual(PDF);
		expect(await listFiles(VISITOR, { type: 'test.doc', id: 'public' })).toHaveLength(1);
		expect(await listFiles(VISITOR, { type: 'test.doc', id: 'intern' })).toEqual([]);
	});

	it('is deleted with its bytes by an editor only', async () => {
		const row = await upload();
		await expect(deleteFile(partner, row.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(deleteFile(otherNetwork, row.id)).rejects.toBeInstanceOf(NotFoundError);
		expect(storedBlobs()).toHaveLength(1);
		await deleteFile(member, row.id);
		expect(await db().select().from(files)).toHaveLength(0);
		expect(storedBlobs()).toHaveLength(0);
		expect(await openFile(member, row.id)).toBeNull();
		const entries = await db().select().from(auditLog).where(eq(auditLog.recordId, row.id));
		expect(entries.map((e) => e.action).sort()).toEqual(['create', 'delete']);
	});
});

describe('a record type’s own deletion rule (canDeleteFile)', () => {
	it('decides instead of canEdit: an editor who did not upload the file may not delete it', async () => {
		records.set('thread', { type: 'test.thread', id: 'thread', networkId: harz, title: 'Diskussion', url: '/harz', isPublic: false });
		const ref = { recordType: 'test.thread', recordId: 'thread', filename: 'logo.png', contentType: 'image/png', bytes: PNG };
		const byPartner = await storeFile(partner, ref);
		const byMember = await storeFile(member, ref);
		// The member may edit the record (and upload), yet not remove the partner's file …
		await expect(deleteFile(member, byPartner.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(deleteFile(otherNetwork, byPartner.id)).rejects.toBeInstanceOf(NotFoundError);
		// … the uploader and a coordinator may.
		await deleteFile(partner, byPartner.id);
		await deleteFile(actor('koordination', harz, 'coordinator'), byMember.id);
		expect(await listFiles(member, { type: 'test.thread', id: 'thread' })).toEqual([]);
		expect(storedBlobs()).toHaveLength(0);
	});
});

describe('accepted types', () => {
	const docx = Buffer.concat([
		Buffer.from('PK\x03\x04'),
		Buffer.alloc(26),
		Buffer.from('[Content_Types].xml ... word/document.xml ...')
	]);
	const odtMime = 'application/vnd.oasis.opendocument.text';
	const odtHead = Buffer.alloc(30);
	odtHead.write('PK\x03\x04', 0, 'latin1');
	odtHead.writeUInt16LE(8, 26);
	const odt = Buffer.concat([odtHead, Buffer.from('mimetype' + odtMime)]);

	it.each([
		['bericht.pdf', 'application/pdf', PDF, 'application/pdf', 'bericht.pdf'],
		['foto.jpg', 'image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg', 'foto.jpg'],
		['anim.gif', 'image/gif', Buffer.from('GIF89a\x01\x00'), 'image/gif', 'anim.gif'],
		['bild.webp', 'image/webp', Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp', 'bild.webp'],
		['brief.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'brief.docx'],
		['text.odt', odtMime, odt, odtMime, 'text.odt'],
		// Windows browsers send the Excel type for CSV; German Excel writes Windows-1252.
		['daten.csv', 'application/vnd.ms-excel', Buffer.from('Kommune;Einwohner\nQuedlinburg;23\xfc', 'latin1'), 'text/csv; charset=windows-1252', 'daten.csv'],
		['notiz.txt', 'text/plain', Buffer.from('Wärmeplanung\n'), 'text/plain; charset=utf-8', 'notiz.txt'],
		// The extension names the type when the browser doesn't know it.
		['plan.pdf', 'application/octet-stream', PDF, 'application/pdf', 'plan.pdf'],
		// An unknown extension gets the real one, so the download opens in the right program.
		['Bericht v1.2', 'application/pdf', PDF, 'application/pdf', 'Bericht v1.2.pdf'],
		['seite.html', 'text/plain', Buffer.from('nur Text'), 'text/plain; charset=utf-8', 'seite.html.txt']
	])('%s sent as %s', async (filename, contentType, bytes, storedType, storedName) => {
		const row = await upload({ filename, contentType, bytes });
		expect(row.contentType).toBe(storedType);
		expect(row.filename).toBe(storedName);
	});
});

describe('sanitizeFilename', () => {
	it.each([
		['../../etc/passwd', 'passwd'],
		['C:\\Users\\amt\\Desktop\\Protokoll.pdf', 'Protokoll.pdf'],
		['bericht\u0000\u0007.pdf', 'bericht.pdf'],
		['rechnung\u202Efdp.exe', 'rechnungfdp.exe'],
		['zeile\numbruch.txt', 'zeileumbruch.txt'],
		['a<b>c:"d"|e?*.txt', 'a_b_c__d__e__.txt'],
		['.htaccess', 'htaccess'],
		['...', 'datei'],
		['CON.txt', '_CON.txt'],
		['  Sitzung   März .pdf ', 'Sitzung März .pdf'],
		['Übersicht.pdf'.normalize('NFD'), 'Übersicht.pdf']
	])('%j → %j', (input, expected) => {
		expect(sanitizeFilename(input)).toBe(expected);
	});

	it('cuts long names to the limit and keeps the extension', () => {
		const name = sanitizeFilename(`${'ä'.repeat(300)}.pdf`);
		expect([...name]).toHaveLength(120);
		expect(name.endsWith('ä.pdf')).toBe(true);
	});

	it('is applied on upload', async () => {
		const row = await upload({ filename: '../../geheim/\u202Ebild.png' });
		expect(row.filename).toBe('bild.png');
	});
});

describe('GET /dateien/[id]', () => {
	type Event = Parameters<typeof GET>[0];
	const get = (who: Actor, id: string) => GET({ params: { id }, locals: { actor: who } } as unknown as Event);

	it('serves the bytes with headers that keep them from running as a page', async () => {
		const row = await upload({ filename: 'Übersicht.csv', contentType: 'text/csv', bytes: Buffer.from('a;b\n1;2\n') });
		const res = await get(partner, row.id);
		expect(res.status).toBe(200);
		expect(Object.fromEntries(res.headers)).toMatchObject({
			'content-type': 'text/csv; charset=utf-8',
			'content-length': '8',
			'content-disposition': `attachment; filename="Ubersicht.csv"; filename*=UTF-8''%C3%9Cbersicht.csv`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'cache-control': 'private, no-store'
		});
		expect(await res.text()).toBe('a;b\n1;2\n');
	});

	it('shows PDFs and images inline', async () => {
		const row = await upload({ filename: 'plan.pdf', contentType: 'application/pdf', bytes: PDF });
		const res = await get(member, row.id);
		expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="plan.pdf"/);
		expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);
	});

	it('answers 404 alike for the forbidden, the missing and the malformed', async () => {
		const row = await upload();
		for (const [who, id] of [
			[VISITOR, row.id],
			[otherNetwork, row.id],
			[member, '00000000-0000-4000-8000-000000000000'],
			[member, 'kein-uuid']
		] as const) {
			await expect(get(who, id)).rejects.toMatchObject({ status: 404 });
		}
	});
});

describe('contentDisposition', () => {
	it('gives an ASCII fallback and the exact UTF-8 name (RFC 5987)', () => {
		expect(contentDisposition('attachment', 'Übersicht März (final).pdf')).toBe(
			`attachment; filename="Ubersicht Marz (final).pdf"; filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz%20%28final%29.pdf`
		);
		// Quotes and backslashes cannot break out of the quoted fallback.
		expect(contentDisposition('inline', 'a"b\\c.png')).toBe(`inline; filename="a_b_c.png"; filename*=UTF-8''a%22b%5Cc.png`);
		expect(contentDisposition('attachment', 'Ключ.txt')).toMatch(/^attachment; filename="datei\.txt"; filename\*=UTF-8''%D0%9A/);
	});
});

describe('LocalFileStorage', () => {
	it('refuses keys that are not its own hex keys', async () => {
		const s = new LocalFileStorage(path.join(dataDir, 'keys'));
		for (const key of ['../x', 'a/b', '', 'ABCDEF0123456789ABCDEF0123456789', '0'.repeat(31)]) {
			await expect(s.put(key, Buffer.from('x'))).rejects.toThrow('invalid storage key');
		}
		expect(fs.existsSync(path.join(dataDir, 'keys'))).toBe(false);
		const key = 'ab'.repeat(16);
		await s.put(key, Buffer.from('inhalt'));
		expect(fs.existsSync(path.join(dataDir, 'keys', 'ab', 'ab', key))).toBe(true);
		expect((await readAll((await s.get(key))!)).toString()).toBe('inhalt');
		await s.delete(key);
		expect(await s.get(key)).toBeNull();
		await s.delete(key); // deleting twice is fine
	});
});
