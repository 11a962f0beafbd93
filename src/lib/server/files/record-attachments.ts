// Attaching an uploaded file to a record of a module (a meeting's slides, a thread's tender): the
// steps every module's attachments share, so they stay one rule. The module checks its own
// permissions first; storeFile (service.ts) checks again through the record type (canEdit), the
// bytes and the type. Module-specific are only the limits and the German message keys.
import { and, count, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { files } from './schema';
import type { Actor } from '../auth/actor';
import { ValidationError } from '../errors';
import { storeFile, type StoredFile } from './service';

export interface UploadInput {
	filename: string;
	contentType: string;
	bytes: Buffer | Uint8Array;
}

/** A record's file as its page lists it (meetings, discussions). */
export interface AttachmentView {
	id: string;
	filename: string;
	contentType: string;
	size: number;
	createdAt: Date;
	uploadedByName: string | null;
	canDelete: boolean;
}

export interface AttachmentTarget {
	recordType: string;
	recordId: string;
	networkId: string;
	maxBytes: number;
	/** At most this many files on the record. */
	maxFiles: number;
	allowedTypes: readonly string[];
	/** Message keys for the file field: too large, too many files, type not allowed, empty. */
	messages: { tooLarge: string; tooMany: string; type: string; empty: string };
}

/**
 * Stores `file` on the record after the size and count checks, answering with the module's message
 * keys (beside the file field) instead of the file service's generic ones.
 */
export async function attachToRecord(actor: Actor, target: AttachmentTarget, file: UploadInput): Promise<StoredFile> {
	const { messages } = target;
	if (file.bytes.length > target.maxBytes) throw new ValidationError({ file: messages.tooLarge });
	const [{ n }] = await db()
		.select({ n: count() })
		.from(files)
		// network first: files_record_idx is (network_id, record_type, record_id).
		.where(and(eq(files.networkId, target.networkId), eq(files.recordType, target.recordType), eq(files.recordId, target.recordId)));
	if (Number(n) >= target.maxFiles) throw new ValidationError({ file: messages.tooMany });
	try {
		return await storeFile(actor, {
			recordType: target.recordType,
			recordId: target.recordId,
			networkId: target.networkId,
			filename: file.filename,
			contentType: file.contentType,
			bytes: file.bytes,
			maxBytes: target.maxBytes,
			allowedTypes: target.allowedTypes
		});
	} catch (e) {
		if (e instanceof ValidationError) {
			const key = e.fieldErrors.file;
			if (key === 'file.tooLarge') throw new ValidationError({ file: messages.tooLarge });
			if (key === 'file.typeNotAllowed') throw new ValidationError({ file: messages.type });
			if (key === 'file.empty') throw new ValidationError({ file: messages.empty });
		}
		throw e;
	}
}
