// Attachments of a thread (a tender, a slide deck, a photo of the roof): files of record type
// 'thread' through files/service.ts, which checks size and type (by allow-list and by the bytes).
// Whoever may reply may attach (until the thread is locked or hidden); deleting is for the uploader
// and coordinators: the thread's record type says so (canDeleteThreadFile in records.ts), and the
// file service checks it – one rule, also for anyone calling the file service directly.
import { and, asc, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { files, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, ValidationError } from '../errors';
import { deleteFile, type StoredFile } from '../files/service';
import { attachToRecord, type AttachmentView, type UploadInput } from '../files/record-attachments';
import { isUuid } from '../ids';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES } from '../meetings/attachments';
import { canExchange } from './permissions';
import { canDeleteThreadFile } from './records';
import { readableThread, threadSubject } from './shared';

// The same kinds and size as a meeting's files (slides, documents, sheets, pictures; 20 MB).
export { ATTACHMENT_ACCEPT, ATTACHMENT_MAX_MB, isBodyTooLarge, uploadTooLarge } from '../meetings/attachments';
/** At most this many files per thread. */
export const MAX_THREAD_FILES = 30;
export const TOO_LARGE = { file: 'exchange.files.tooLarge' };

export type { UploadInput };

export async function uploadThreadFile(actor: Actor, networkId: string, threadId: string, file: UploadInput): Promise<StoredFile> {
	const thread = await readableThread(actor, networkId, threadId);
	if (!canExchange(actor, 'exchange.reply', threadSubject(thread))) {
		if (thread.locked) throw new ValidationError({ file: 'exchange.threadLocked' });
		if (thread.hiddenAt) throw new ValidationError({ file: 'exchange.threadHidden' });
		throw new ForbiddenError();
	}
	return attachToRecord(
		actor,
		{
			recordType: 'thread',
			recordId: thread.id,
			networkId,
			maxBytes: ATTACHMENT_MAX_BYTES,
			maxFiles: MAX_THREAD_FILES,
			allowedTypes: ATTACHMENT_TYPES,
			messages: { tooLarge: TOO_LARGE.file, tooMany: 'exchange.files.tooMany', type: 'exchange.files.type', empty: 'exchange.files.emptyFile' }
		},
		file
	);
}

/** The thread's files, oldest first (a thread has tens at most: MAX_THREAD_FILES). */
export async function listThreadFiles(actor: Actor, networkId: string, threadId: string): Promise<AttachmentView[]> {
	const thread = await readableThread(actor, networkId, threadId);
	const rows = await db()
		.select({ f: files, uploaderName: users.name, uploaderDeleted: users.deletedAt })
		.from(files)
		.leftJoin(users, eq(users.id, files.uploadedBy))
		.where(and(eq(files.recordType, 'thread'), eq(files.recordId, thread.id), eq(files.networkId, networkId)))
		.orderBy(asc(files.createdAt), asc(files.id))
		.limit(MAX_THREAD_FILES * 2);
	const subject = threadSubject(thread);
	return rows.map(({ f, uploaderName, uploaderDeleted }) => ({
		id: f.id,
		filename: f.filename,
		contentType: f.contentType,
		size: f.size,
		createdAt: f.createdAt,
		uploadedByName: uploaderDeleted ? null : uploaderName,
		canDelete: canDeleteThreadFile(actor, subject, f.uploadedBy)
	}));
}

/** Removes a file of this thread: its uploader or a coordinator. */
export async function deleteThreadFile(actor: Actor, networkId: string, threadId: string, fileId: string): Promise<void> {
	const thread = await readableThread(actor, networkId, threadId);
	const gone = new ValidationError({ _form: 'exchange.files.gone' });
	if (!isUuid(fileId)) throw gone;
	const [f] = await db()
		.select()
		.from(files)
		.where(and(eq(files.id, fileId), eq(files.recordType, 'thread'), eq(files.recordId, thread.id), eq(files.networkId, networkId)));
	if (!f) throw gone;
	// The file service asks the thread's record type (canDeleteThreadFile): ForbiddenError otherwise.
	await deleteFile(actor, fileId);
}
