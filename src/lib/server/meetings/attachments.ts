// Attachments of a meeting (slides, PDFs): files of record type 'meeting' through files/service.ts,
// which checks size, type by allow-list and by the bytes (an .exe renamed .pdf is refused), and
// stores them through the storage interface. Served by /dateien/<id> to whoever may see the
// meeting – for a public meeting that is everyone, as the upload form says. Coordinators upload
// and delete (files/service.ts attaches files to records the actor may edit: coordinators).
import { and, asc, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { files, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { deleteFile, type StoredFile } from '../files/service';
import { attachToRecord, type AttachmentView, type UploadInput } from '../files/record-attachments';
import { isUuid } from '../ids';
import { canDeleteAttachment, canMeeting } from './permissions';
import { loadMeeting, type MeetingOrId } from './meetings';

export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
export const ATTACHMENT_MAX_MB = 20;
/** At most this many files per meeting. */
export const MAX_ATTACHMENTS = 50;

const OOXML = 'application/vnd.openxmlformats-officedocument';
/** Slides, documents, sheets and pictures. */
export const ATTACHMENT_TYPES: readonly string[] = [
	'application/pdf',
	`${OOXML}.presentationml.presentation`,
	'application/vnd.oasis.opendocument.presentation',
	`${OOXML}.wordprocessingml.document`,
	'application/vnd.oasis.opendocument.text',
	`${OOXML}.spreadsheetml.sheet`,
	'application/vnd.oasis.opendocument.spreadsheet',
	'image/png',
	'image/jpeg'
];
/** For the file input's accept attribute (a hint; the server decides). */
export const ATTACHMENT_ACCEPT = '.pdf,.pptx,.odp,.docx,.odt,.xlsx,.ods,.png,.jpg,.jpeg';

/**
 * Whether a request announces a body too large for an attachment, so the route answers with the
 * German message before reading it (and before adapter-node's BODY_SIZE_LIMIT would end it with 413).
 */
export function uploadTooLarge(request: Request): boolean {
	const n = Number(request.headers.get('content-length'));
	// Multipart adds the boundaries and the other fields: allow a little on top of the file.
	return Number.isFinite(n) && n > ATTACHMENT_MAX_BYTES + 256 * 1024;
}

/** Whether an error is the adapter's "body over BODY_SIZE_LIMIT" (413) while reading the form. */
export function isBodyTooLarge(e: unknown): boolean {
	return !!e && typeof e === 'object' && (e as { status?: unknown }).status === 413;
}

export const TOO_LARGE = { file: 'meetings.files.tooLarge' };

export type { UploadInput };

/** Attaches a file to a meeting (coordinators). German messages for too large, wrong type, empty. */
export async function uploadAttachment(actor: Actor, networkId: string, meetingId: string, file: UploadInput): Promise<StoredFile> {
	await loadMeeting(db(), networkId, meetingId);
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	if (!canMeeting(actor, 'meeting.upload', { networkId })) throw new ForbiddenError();
	return attachToRecord(actor, {
		recordType: 'meeting',
		recordId: meetingId,
		networkId,
		maxBytes: ATTACHMENT_MAX_BYTES,
		maxFiles: MAX_ATTACHMENTS,
		allowedTypes: ATTACHMENT_TYPES,
		messages: { tooLarge: TOO_LARGE.file, tooMany: 'meetings.files.tooMany', type: 'meetings.files.type', empty: 'meetings.files.empty' }
	}, file);
}

export type { AttachmentView };

/** The meeting's files, oldest first, for those who may see the meeting (the row, or its id). */
export async function listAttachments(actor: Actor, networkId: string, meeting: MeetingOrId): Promise<AttachmentView[]> {
	const m = typeof meeting === 'string' ? await loadMeeting(db(), networkId, meeting) : meeting;
	if (m.networkId !== networkId) throw new NotFoundError();
	if (!m.isPublic && !canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	const meetingId = m.id;
	const inArea = canMeeting(actor, 'meeting.read', { networkId });
	const rows = await db()
		.select({ f: files, uploaderName: users.name })
		.from(files)
		.leftJoin(users, eq(users.id, files.uploadedBy))
		.where(and(eq(files.recordType, 'meeting'), eq(files.recordId, meetingId), eq(files.networkId, networkId)))
		.orderBy(asc(files.createdAt), asc(files.id));
	return rows.map(({ f, uploaderName }) => ({
		id: f.id,
		filename: f.filename,
		contentType: f.contentType,
		size: f.size,
		createdAt: f.createdAt,
		// Who uploaded it is for the working area only.
		uploadedByName: inArea ? uploaderName : null,
		canDelete: canDeleteAttachment(actor, networkId)
	}));
}

/** Removes a file of this meeting (coordinators, who are also the only ones to upload). */
export async function deleteAttachment(actor: Actor, networkId: string, meetingId: string, fileId: string): Promise<void> {
	await loadMeeting(db(), networkId, meetingId);
	if (!canMeeting(actor, 'meeting.read', { networkId })) throw new NotFoundError();
	if (!canDeleteAttachment(actor, networkId)) throw new ForbiddenError();
	// Deleted meanwhile, or not a file of this meeting: a message beside the list, not an error page.
	const gone = new ValidationError({ _form: 'meetings.files.gone' });
	if (!isUuid(fileId)) throw gone;
	const [f] = await db()
		.select()
		.from(files)
		.where(and(eq(files.id, fileId), eq(files.recordType, 'meeting'), eq(files.recordId, meetingId), eq(files.networkId, networkId)));
	if (!f) throw gone;
	await deleteFile(actor, fileId);
}
