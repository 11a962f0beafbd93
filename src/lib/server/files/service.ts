// Files attached to records of any module. Who may see or attach a file is the owning record's
// business (registry); this module checks what is uploaded: size, type by allow-list and by the
// bytes themselves, and a safe file name. Bytes go to the storage backend, metadata to `files`.
import { isUuid } from '../ids';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import { db } from '../db/client';
import { files } from './schema';
import { fileStorage, newStorageKey } from './storage';
import { recordType, resolveRecord, type RecordRef, type ResolvedRecord } from '../registry';
import { recordChange } from '../audit/service';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { Actor } from '../auth/actor';
import { log } from '../log';

export type StoredFile = typeof files.$inferSelect;

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

// ---- type check -----------------------------------------------------------------------------

interface FileKind {
	type: string;
	exts: string[];
	sniff: (b: Buffer) => boolean;
	/** Other names browsers send for it (Windows sends the Excel type for .csv). */
	aliases?: string[];
}

const startsWith = (b: Buffer, sig: string | number[]) =>
	b.subarray(0, sig.length).equals(typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig));

const isZip = (b: Buffer) => startsWith(b, 'PK\x03\x04');

/** Office Open XML: a zip with [Content_Types].xml and the main part; names are stored uncompressed. */
const ooxml = (mainPart: string) => (b: Buffer) =>
	isZip(b) && b.includes('[Content_Types].xml') && b.includes(mainPart) && !b.includes('vbaProject.bin');

/** OpenDocument: the first zip entry is an uncompressed file "mimetype" holding the type. */
const odf = (mime: string) => (b: Buffer) => {
	if (!isZip(b) || b.length < 30 || b.subarray(30, 38).toString('latin1') !== 'mimetype') return false;
	const start = 38 + b.readUInt16LE(28);
	return b.subarray(start, start + mime.length).toString('latin1') === mime;
};

const MARKUP = /^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)\b/i;

/** Text: no NUL or control bytes besides tab, line breaks and form feed; not HTML/SVG in disguise. */
function isPlainText(b: Buffer): boolean {
	for (const c of b) if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return false;
	const head = b.subarray(0, 512).toString('latin1').replace(/^(\xef\xbb\xbf)/, '');
	return !MARKUP.test(head);
}

const ODT = 'application/vnd.oasis.opendocument.text';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const ODP = 'application/vnd.oasis.opendocument.presentation';
const OOXML = 'application/vnd.openxmlformats-officedocument';

const KINDS: FileKind[] = [
	{ type: 'application/pdf', exts: ['pdf'], sniff: (b) => startsWith(b, '%PDF-') },
	{ type: 'image/png', exts: ['png'], sniff: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
	{ type: 'image/jpeg', exts: ['jpg', 'jpeg'], sniff: (b) => startsWith(b, [0xff, 0xd8, 0xff]), aliases: ['image/pjpeg', 'image/jpg'] },
	{ type: 'image/webp', exts: ['webp'], sniff: (b) => startsWith(b, 'RIFF') && b.subarray(8, 12).toString('latin1') === 'WEBP' },
	{ type: 'image/gif', exts: ['gif'], sniff: (b) => startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a') },
	{ type: 'text/plain', exts: ['txt'], sniff: isPlainText },
	{
		type: 'text/csv',
		exts: ['csv'],
		sniff: isPlainText,
		aliases: ['application/vnd.ms-excel', 'text/x-csv', 'application/csv', 'text/comma-separated-values']
	},
	{ type: `${OOXML}.wordprocessingml.document`, exts: ['docx'], sniff: ooxml('word/document.xml') },
	{ type: `${OOXML}.spreadsheetml.sheet`, exts: ['xlsx'], sniff: ooxml('xl/workbook.xml') },
	{ type: `${OOXML}.presentationml.presentation`, exts: ['pptx'], sniff: ooxml('ppt/presentation.xml') },
	{ type: ODT, exts: ['odt'], sniff: odf(ODT) },
	{ type: ODS, exts: ['ods'], sniff: odf(ODS) },
	{ type: ODP, exts: ['odp'], sniff: odf(ODP) }
];

export const ALLOWED_TYPES: readonly string[] = KINDS.map((k) => k.type);

/** Browsers send these when they don't know the type: then the extension names it. */
const UNKNOWN_CLAIMS = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Types a browser may show in place; everything else is downloaded. */
export const INLINE_TYPES: readonly string[] = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp', 'image/gif'];

function extension(name: string): string | null {
	const m = /\.([a-z0-9]{1,8})$/i.exec(name);
	return m ? m[1].toLowerCase() : null;
}

/**
 * Decides the stored type from the claimed type, the extension and the bytes; all three must
 * agree. Returns the content type to store (text with its charset) and the final file name.
 */
export function checkFileType(
	filename: string,
	claimedType: string,
	bytes: Buffer,
	allowed: readonly string[] = ALLOWED_TYPES
): { contentType: string; filename: string } | null {
	const claimed = claimedType.split(';')[0].trim().toLowerCase();
	const ext = extension(filename);
	const byExt = ext ? KINDS.find((k) => k.exts.includes(ext)) : undefined;
	const kind = UNKNOWN_CLAIMS.has(claimed)
		? byExt
		: KINDS.find((k) => k.type === claimed || k.aliases?.includes(claimed));
	if (!kind || !allowed.includes(kind.type) || !kind.sniff(bytes)) return null;
	// "foto.png" sent as PDF: the name and the claim disagree.
	if (byExt && byExt !== kind) return null;
	// An unknown extension ("Bericht v1.2", "seite.html" as text) gets the real one appended,
	// so the downloaded file opens in the program its bytes are for.
	const name = byExt ? filename : sanitizeFilename(`${filename}.${kind.exts[0]}`);
	let contentType = kind.type;
	if (kind.sniff === isPlainText) {
		// German Excel writes CSV in Windows-1252; say so, or umlauts break on download.
		let utf8 = true;
		try {
			new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		} catch {
			utf8 = false;
		}
		contentType += `; charset=${utf8 ? 'utf-8' : 'windows-1252'}`;
	}
	return { contentType, filename: name };
}

// ---- file names -----------------------------------------------------------------------------

/**
 * A name safe to show and to offer for download: no path parts, no control or invisible
 * formatting characters (U+202E would turn "rechnung‮fdp.exe" into "rechnungexe.pdf"), none of the
 * characters Windows forbids, no leading dots, at most maxLength characters with the extension kept.
 */
export function sanitizeFilename(name: string, maxLength = 120): string {
	let n = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
	n = n
		.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
		.replace(/[<>:"|?*]/g, '_')
		.replace(/\s+/g, ' ')
		.replace(/^[\s.]+|[\s.]+$/g, '');
	if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(n)) n = `_${n}`;
	if (!n) n = 'datei';
	const chars = [...n];
	if (chars.length > maxLength) {
		const ext = extension(n);
		const tail = ext ? [...`.${ext}`] : [];
		n = chars.slice(0, maxLength - tail.length).join('').trimEnd() + tail.join('');
	}
	return n;
}

/** RFC 6266 with an ASCII fallback and the exact UTF-8 name as RFC 5987 filename*. */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
	let fallback = filename.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%]/g, '_');
	// "Ключ.txt" would fall back to ".txt": a hidden file on download.
	if (!fallback.replace(/\.[^.]*$/, '').trim()) fallback = `datei${extension(filename) ? `.${extension(filename)}` : ''}`;
	const encoded = encodeURIComponent(filename).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// ---- commands and queries -------------------------------------------------------------------

export interface StoreFileInput {
	recordType: string;
	recordId: string;
	/** Optional cross-check: the file takes the network of its record. */
	networkId?: string | null;
	filename: string;
	contentType: string;
	bytes: Buffer | Uint8Array;
	/** Defaults to 20 MB. */
	maxBytes?: number;
	/** Narrows the allow-list, e.g. to images for a logo. */
	allowedTypes?: readonly string[];
}

async function editableRecord(actor: Actor, ref: RecordRef): Promise<ResolvedRecord> {
	// canEditRecord's check, keeping the record for its network id.
	const def = recordType(ref.type);
	const rec = def ? await def.load(ref.id) : null;
	if (!def || !rec || !def.canEdit(actor, rec)) throw new ForbiddenError();
	return rec;
}

export async function storeFile(actor: Actor, input: StoreFileInput): Promise<StoredFile> {
	const rec = await editableRecord(actor, { type: input.recordType, id: input.recordId });
	if (input.networkId !== undefined && input.networkId !== rec.networkId) throw new ForbiddenError();

	const bytes = Buffer.isBuffer(input.bytes) ? input.bytes : Buffer.from(input.bytes);
	if (bytes.length === 0) throw new ValidationError({ file: 'file.empty' });
	if (bytes.length > (input.maxBytes ?? DEFAULT_MAX_BYTES)) throw new ValidationError({ file: 'file.tooLarge' });
	const checked = checkFileType(sanitizeFilename(input.filename), input.contentType, bytes, input.allowedTypes);
	if (!checked) throw new ValidationError({ file: 'file.typeNotAllowed' });

	const storageKey = newStorageKey();
	await fileStorage().put(storageKey, bytes);
	try {
		return await db().transaction(async (tx) => {
			const [row] = await tx
				.insert(files)
				.values({
					networkId: rec.networkId,
					recordType: rec.type,
					recordId: rec.id,
					storageKey,
					filename: checked.filename,
					contentType: checked.contentType,
					size: bytes.length,
					sha256: createHash('sha256').update(bytes).digest('hex'),
					uploadedBy: actor.userId
				})
				.returning();
			await recordChange(tx, actor, {
				networkId: rec.networkId,
				action: 'create',
				recordType: 'file',
				recordId: row.id,
				after: { filename: row.filename, contentType: row.contentType, size: row.size, of: `${rec.type}:${rec.id}` }
			});
			return row;
		});
	} catch (e) {
		// No row, no bytes: a failed insert must not leave an orphan behind.
		await fileStorage().delete(storageKey);
		throw e;
	}
}


/** The file and its owning record, if the actor may see that record; null otherwise. */
async function visibleFile(actor: Actor, fileId: string): Promise<{ file: StoredFile; record: ResolvedRecord } | null> {
	if (!isUuid(fileId)) return null;
	const [file] = await db().select().from(files).where(eq(files.id, fileId));
	if (!file) return null;
	const record = await resolveRecord(actor, { type: file.recordType, id: file.recordId });
	return record ? { file, record } : null;
}

/** Opens a file for download; null when it does not exist or the actor may not see it (404). */
export async function openFile(
	actor: Actor,
	fileId: string
): Promise<{ file: StoredFile; record: ResolvedRecord; stream: Readable } | null> {
	const found = await visibleFile(actor, fileId);
	if (!found) return null;
	const stream = await fileStorage().get(found.file.storageKey);
	if (!stream) {
		log.error('files.bytes_missing', { fileId, storageKey: found.file.storageKey });
		return null;
	}
	return { ...found, stream };
}

/** Files attached to a record the actor may see, oldest first. */
export async function listFiles(actor: Actor, ref: RecordRef): Promise<StoredFile[]> {
	const record = await resolveRecord(actor, ref);
	if (!record) return [];
	return db()
		.select()
		.from(files)
		.where(and(eq(files.recordType, record.type), eq(files.recordId, record.id)))
		.orderBy(asc(files.createdAt), asc(files.id));
}

export async function deleteFile(actor: Actor, fileId: string): Promise<StoredFile> {
	const found = await visibleFile(actor, fileId);
	if (!found) throw new NotFoundError();
	const { file, record } = found;
	const def = recordType(record.type)!;
	// The record type may narrow it (e.g. the uploader and coordinators); else its editors may.
	const allowed = def.canDeleteFile ? def.canDeleteFile(actor, record, file) : def.canEdit(actor, record);
	if (!allowed) throw new ForbiddenError();
	await db().transaction(async (tx) => {
		await tx.delete(files).where(eq(files.id, file.id));
		await recordChange(tx, actor, {
			networkId: file.networkId,
			action: 'delete',
			recordType: 'file',
			recordId: file.id,
			before: { filename: file.filename, contentType: file.contentType, size: file.size, of: `${file.recordType}:${file.recordId}` }
		});
	});
	// After the commit: a failure here leaves unreferenced bytes, never a row without bytes.
	await fileStorage()
		.delete(file.storageKey)
		.catch((e) => log.error('files.delete_bytes_failed', { fileId, storageKey: file.storageKey, err: String(e) }));
	return file;
}
