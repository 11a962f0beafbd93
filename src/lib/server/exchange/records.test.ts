import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { files } from '../db/schema';
import { VISITOR } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import { canEditRecord, recordRefFromPath, resolveRecord } from '../registry';
import { linkByAddress, listLinks } from '../links/service';
import { deleteFile } from '../files/service';
import { registerActivityRecords } from '../activities/records';
import { makeActivity } from '../activities/testing';
import { setUpNetwork } from '../network/setup';
import { makeActor } from '../testing/factories';
import { exchangeTopics } from './schema';
import { listTopics, DEFAULT_TOPICS } from './topics';
import { replyToThread } from './posts';
import { setThreadHidden, setThreadLocked } from './threads';
import { deleteThreadFile, listThreadFiles, uploadThreadFile } from './attachments';
import { registerExchangeRecords } from './records';
import { exchangeWorld, makeThread, type ExchangeWorld } from './testing';

useTestDb();
registerExchangeRecords();
registerActivityRecords();

let w: ExchangeWorld;
let dataDir: string;
let saved: string | undefined;
beforeAll(async () => {
	saved = process.env.DATA_DIR;
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-exchange-files-'));
	process.env.DATA_DIR = dataDir;
	w = await exchangeWorld();
});
afterAll(() => {
	if (saved === undefined) delete process.env.DATA_DIR;
	else process.env.DATA_DIR = saved;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

const ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const pdf = (name = 'Ausschreibung.pdf') => ({ filename: name, contentType: 'application/pdf', bytes: PDF });

describe('thread record type', () => {
	it('is found from the thread page’s address', () => {
		expect(recordRefFromPath(`/harz/intern/austausch/diskussionen/${ID}`)).toEqual({ type: 'thread', id: ID });
		expect(recordRefFromPath(`/harz/intern/austausch/diskussionen/${ID}/`)).toEqual({ type: 'thread', id: ID });
		expect(recordRefFromPath(`/harz/austausch/diskussionen/${ID}`)).toBeNull();
		expect(recordRefFromPath(`/harz/intern/austausch/diskussionen/${ID}x`)).toBeNull();
	});

	it('is readable by the working area (hidden: coordinators) and editable by whoever may reply', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const ref = { type: 'thread', id: thread.id };
		const rec = await resolveRecord(w.partner, ref);
		expect(rec).toMatchObject({ title: thread.title, url: `/${w.network.slug}/intern/austausch/diskussionen/${thread.id}`, isPublic: false, networkId: w.network.id });
		for (const outsider of [w.citizen, VISITOR, w.foreignCoordinator]) {
			expect(await resolveRecord(outsider, ref)).toBeNull();
			expect(await canEditRecord(outsider, ref)).toBe(false);
		}
		expect(await canEditRecord(w.partner, ref)).toBe(true);
		await setThreadLocked(w.coordinator, w.network.id, thread.id, true);
		expect(await canEditRecord(w.partner, ref)).toBe(false);
		expect(await canEditRecord(w.coordinator, ref)).toBe(true);
		await setThreadLocked(w.coordinator, w.network.id, thread.id, false);
		await setThreadHidden(w.coordinator, w.network.id, thread.id, true, 'Doppelt');
		expect(await resolveRecord(w.member, ref)).toBeNull();
		expect(await resolveRecord(w.coordinator, ref)).not.toBeNull();
		expect(await resolveRecord(w.coordinator, { type: 'thread', id: 'nonsense' })).toBeNull();
	});

	it('links a thread to an activity by its address, shown on both sides', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const activity = await makeActivity(w.coordinator, w.network.id, { title: 'LED-Beleuchtung gemeinsam beschaffen' });
		await linkByAddress(w.member, { type: 'thread', id: thread.id }, `https://klimanetz.example/${w.network.slug}/intern/aktivitaeten/${activity.id}`, 'Dazu die Diskussion');
		const links = await listLinks(w.partner, { type: 'thread', id: thread.id });
		expect(links.map((l) => [l.other.type, l.other.title, l.note])).toEqual([['activity', 'LED-Beleuchtung gemeinsam beschaffen', 'Dazu die Diskussion']]);
		const back = await listLinks(w.partner, { type: 'activity', id: activity.id });
		expect(back.map((l) => [l.other.type, l.other.id])).toEqual([['thread', thread.id]]);
		await expect(linkByAddress(w.citizen, { type: 'thread', id: thread.id }, `/${w.network.slug}/intern/aktivitaeten/${activity.id}`)).rejects.toThrow(ForbiddenError);
	});
});

describe('attachments of a thread', () => {
	it('whoever may reply attaches; the uploader and coordinators delete; locked threads take no files', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const f = await uploadThreadFile(w.partner, w.network.id, thread.id, pdf());
		expect(f).toMatchObject({ recordType: 'thread', recordId: thread.id, networkId: w.network.id });
		expect(await fieldErrors(uploadThreadFile(w.partner, w.network.id, thread.id, { filename: 'x.exe', contentType: 'application/pdf', bytes: Buffer.from('MZ\x90\x00') }))).toEqual({ file: 'exchange.files.type' });
		expect(await fieldErrors(uploadThreadFile(w.partner, w.network.id, thread.id, { ...pdf(), bytes: Buffer.alloc(0) }))).toEqual({ file: 'exchange.files.emptyFile' });
		await expect(uploadThreadFile(w.citizen, w.network.id, thread.id, pdf())).rejects.toThrow(NotFoundError);

		let list = await listThreadFiles(w.member, w.network.id, thread.id);
		expect(list.map((x) => [x.filename, x.canDelete])).toEqual([['Ausschreibung.pdf', false]]);
		expect((await listThreadFiles(w.partner, w.network.id, thread.id))[0].canDelete).toBe(true);
		expect((await listThreadFiles(w.coordinator, w.network.id, thread.id))[0].canDelete).toBe(true);
		await expect(deleteThreadFile(w.member, w.network.id, thread.id, f.id)).rejects.toThrow(ForbiddenError);
		await expect(listThreadFiles(w.foreignCoordinator, w.foreign.id, thread.id)).rejects.toThrow(NotFoundError);

		await setThreadLocked(w.coordinator, w.network.id, thread.id, true);
		expect(await fieldErrors(uploadThreadFile(w.member, w.network.id, thread.id, pdf()))).toEqual({ file: 'exchange.threadLocked' });
		await deleteThreadFile(w.coordinator, w.network.id, thread.id, f.id);
		list = await listThreadFiles(w.member, w.network.id, thread.id);
		expect(list).toEqual([]);
		expect(await fieldErrors(deleteThreadFile(w.coordinator, w.network.id, thread.id, f.id))).toEqual({ _form: 'exchange.files.gone' });

		await setThreadLocked(w.coordinator, w.network.id, thread.id, false);
		const g = await uploadThreadFile(w.member, w.network.id, thread.id, pdf('Eigene.pdf'));
		await deleteThreadFile(w.member, w.network.id, thread.id, g.id);
		expect(await db().select().from(files).where(and(eq(files.recordType, 'thread'), eq(files.recordId, thread.id)))).toEqual([]);
		// A reply afterwards still works (the thread is fine).
		await expect(replyToThread(w.member, w.network.id, thread.id, { body: 'Danke' })).resolves.toBeTruthy();
	});
});

describe('deleting a thread’s file through the file service', () => {
	it('the record type’s rule holds there too: the uploader while they may reply, coordinators always – not every member', async () => {
		const { thread } = await makeThread(w.member, w.network.id, w.topic.id);
		const f = await uploadThreadFile(w.partner, w.network.id, thread.id, pdf('Angebot.pdf'));
		// Another member may edit the thread (reply, attach, link) but not remove the partner's file.
		expect(await canEditRecord(w.member, { type: 'thread', id: thread.id })).toBe(true);
		await expect(deleteFile(w.member, f.id)).rejects.toThrow(ForbiddenError);
		await expect(deleteFile(w.other, f.id)).rejects.toThrow(ForbiddenError);
		await expect(deleteFile(w.citizen, f.id)).rejects.toThrow(NotFoundError);
		await expect(deleteFile(w.foreignCoordinator, f.id)).rejects.toThrow(NotFoundError);
		// Locked: the uploader may no longer; a coordinator may.
		await setThreadLocked(w.coordinator, w.network.id, thread.id, true);
		expect((await listThreadFiles(w.partner, w.network.id, thread.id))[0].canDelete).toBe(false);
		await expect(deleteFile(w.partner, f.id)).rejects.toThrow(ForbiddenError);
		await setThreadLocked(w.coordinator, w.network.id, thread.id, false);
		expect((await listThreadFiles(w.partner, w.network.id, thread.id))[0].canDelete).toBe(true);
		await deleteFile(w.partner, f.id);

		// Hidden: only coordinators see the thread, and they delete its files.
		const g = await uploadThreadFile(w.member, w.network.id, thread.id, pdf('Zweites.pdf'));
		await setThreadHidden(w.coordinator, w.network.id, thread.id, true, 'Doppelt');
		await expect(deleteFile(w.member, g.id)).rejects.toThrow(NotFoundError);
		await deleteFile(w.coordinator, g.id);
		expect(await db().select().from(files).where(and(eq(files.recordType, 'thread'), eq(files.recordId, thread.id)))).toEqual([]);
	});
});

describe('default topics of a new network', () => {
	it('are seeded in the network’s creation transaction', async () => {
		const operator = await makeActor(null, 'operator');
		const { network } = await setUpNetwork(operator, { slug: 'altmark-austausch', name: 'Netzwerk Altmark', coordinatorEmail: 'k@altmark.example' });
		const rows = await db().select().from(exchangeTopics).where(eq(exchangeTopics.networkId, network.id));
		expect(rows.map((r) => r.title).sort()).toEqual(DEFAULT_TOPICS.map((t) => t.title).sort());
		const coordinator = await makeActor(network.id, 'coordinator');
		expect((await listTopics(coordinator, network.id)).map((t) => t.title)).toEqual(DEFAULT_TOPICS.map((t) => t.title));
	});
});
