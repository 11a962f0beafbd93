import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { files } from '../db/schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR } from '../auth/actor';
import { openFile } from '../files/service';
import { registerMeetingRecords } from './records';
import { ATTACHMENT_MAX_BYTES, deleteAttachment, isBodyTooLarge, listAttachments, uploadAttachment, uploadTooLarge } from './attachments';
import { makeMeeting, meetingWorld } from './testing';
import { GET } from '../../../routes/dateien/[id]/+server';

useTestDb();

let dataDir: string;
let saved: string | undefined;
beforeAll(() => {
	registerMeetingRecords();
	saved = process.env.DATA_DIR;
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-meeting-files-'));
	process.env.DATA_DIR = dataDir;
});
afterAll(() => {
	if (saved === undefined) delete process.env.DATA_DIR;
	else process.env.DATA_DIR = saved;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200, 1)]);
const pdf = (name = 'Folien.pdf') => ({ filename: name, contentType: 'application/pdf', bytes: PDF });

async function download(actor: typeof VISITOR, id: string) {
	try {
		return (await GET({ params: { id }, locals: { actor } } as never)).status;
	} catch (e) {
		return (e as { status: number }).status;
	}
}

describe('meeting attachments', () => {
	it('coordinators upload PDFs; the working area lists and downloads them; visitors only for public meetings', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const f = await uploadAttachment(w.coordinator, w.network.id, m.id, pdf());
		expect(f).toMatchObject({ recordType: 'meeting', recordId: m.id, networkId: w.network.id, contentType: 'application/pdf', filename: 'Folien.pdf' });
		const list = await listAttachments(w.partner, w.network.id, m.id);
		expect(list.map((a) => [a.filename, a.canDelete])).toEqual([['Folien.pdf', false]]);
		expect(list[0].uploadedByName).toBeTruthy();
		expect((await listAttachments(w.coordinator, w.network.id, m.id))[0].canDelete).toBe(true);
		expect(await openFile(w.member, f.id)).not.toBeNull();
		expect(await openFile(VISITOR, f.id)).toBeNull();
		expect(await openFile(w.citizen, f.id)).toBeNull();
		expect(await download(w.member, f.id)).toBe(200);
		expect(await download(VISITOR, f.id)).toBe(404);
		await expect(listAttachments(VISITOR, w.network.id, m.id)).rejects.toBeInstanceOf(NotFoundError);
		const other = await meetingWorld();
		expect(await openFile(other.coordinator, f.id)).toBeNull();

		const pub = await makeMeeting(w.coordinator, w.network.id, { isPublic: 'on' });
		const pf = await uploadAttachment(w.coordinator, w.network.id, pub.id, pdf('Programm.pdf'));
		expect(await download(VISITOR, pf.id)).toBe(200);
		const visitorList = await listAttachments(VISITOR, w.network.id, pub.id);
		expect(visitorList.map((a) => [a.filename, a.uploadedByName, a.canDelete])).toEqual([['Programm.pdf', null, false]]);
	});

	it('refuses an .exe renamed .pdf, oversize files, empty files and other roles; nothing is stored', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		expect(await fieldErrors(uploadAttachment(w.coordinator, w.network.id, m.id, { filename: 'Folien.pdf', contentType: 'application/pdf', bytes: EXE }))).toEqual({ file: 'meetings.files.type' });
		expect(await fieldErrors(uploadAttachment(w.coordinator, w.network.id, m.id, { filename: 'setup.exe', contentType: 'application/octet-stream', bytes: EXE }))).toEqual({ file: 'meetings.files.type' });
		expect(await fieldErrors(uploadAttachment(w.coordinator, w.network.id, m.id, { filename: 'seite.html', contentType: 'text/html', bytes: Buffer.from('<script>alert(1)</script>') }))).toEqual({ file: 'meetings.files.type' });
		const big = Buffer.concat([PDF, Buffer.alloc(ATTACHMENT_MAX_BYTES)]);
		expect(await fieldErrors(uploadAttachment(w.coordinator, w.network.id, m.id, { filename: 'gross.pdf', contentType: 'application/pdf', bytes: big }))).toEqual({ file: 'meetings.files.tooLarge' });
		expect(await fieldErrors(uploadAttachment(w.coordinator, w.network.id, m.id, { filename: 'leer.pdf', contentType: 'application/pdf', bytes: Buffer.alloc(0) }))).toEqual({ file: 'meetings.files.empty' });
		await expect(uploadAttachment(w.member, w.network.id, m.id, pdf())).rejects.toBeInstanceOf(ForbiddenError);
		await expect(uploadAttachment(w.partner, w.network.id, m.id, pdf())).rejects.toBeInstanceOf(ForbiddenError);
		await expect(uploadAttachment(w.citizen, w.network.id, m.id, pdf())).rejects.toBeInstanceOf(NotFoundError);
		const other = await meetingWorld();
		await expect(uploadAttachment(other.coordinator, other.network.id, m.id, pdf())).rejects.toBeInstanceOf(NotFoundError);
		expect(await db().select().from(files).where(eq(files.recordId, m.id))).toEqual([]);
	});

	it('a 200 MB request is recognised from its headers before the body is read', () => {
		const req = (len: number) => new Request('http://x/', { method: 'POST', headers: { 'content-length': String(len) } });
		expect(uploadTooLarge(req(200 * 1024 * 1024))).toBe(true);
		expect(uploadTooLarge(req(ATTACHMENT_MAX_BYTES + 10_000))).toBe(false);
		expect(uploadTooLarge(new Request('http://x/', { method: 'POST' }))).toBe(false);
		expect(isBodyTooLarge({ status: 413 })).toBe(true);
		expect(isBodyTooLarge(new Error('x'))).toBe(false);
	});

	it('deletes: coordinators; not members; not through another meeting', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const m2 = await makeMeeting(w.coordinator, w.network.id);
		const f = await uploadAttachment(w.coordinator, w.network.id, m.id, pdf());
		await expect(deleteAttachment(w.member, w.network.id, m.id, f.id)).rejects.toBeInstanceOf(ForbiddenError);
		// Another meeting's file or a bad id: a message beside the list (the file stays).
		expect(await fieldErrors(deleteAttachment(w.coordinator, w.network.id, m2.id, f.id))).toEqual({ _form: 'meetings.files.gone' });
		expect(await fieldErrors(deleteAttachment(w.coordinator, w.network.id, m.id, 'nope'))).toEqual({ _form: 'meetings.files.gone' });
		expect(await listAttachments(w.coordinator, w.network.id, m.id)).toHaveLength(1);
		await expect(deleteAttachment(w.coordinator, w.network.id, 'nope', f.id)).rejects.toBeInstanceOf(NotFoundError);
		await deleteAttachment(w.coordinator, w.network.id, m.id, f.id);
		expect(await listAttachments(w.coordinator, w.network.id, m.id)).toEqual([]);
		expect(await download(w.coordinator, f.id)).toBe(404);
		// Deleted meanwhile (a second tab): the same message.
		expect(await fieldErrors(deleteAttachment(w.coordinator, w.network.id, m.id, f.id))).toEqual({ _form: 'meetings.files.gone' });
	});
});
