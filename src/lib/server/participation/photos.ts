// Photos of ideas. The type is decided by the bytes alone (a name or a browser's claim proves
// nothing); the image is decoded and encoded anew, which drops every metadata block (EXIF with
// GPS position, camera serial, XMP), after turning it upright by its EXIF orientation and scaling
// it down to at most 2000 px. Only the re-encoded bytes are ever stored.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Tx } from '../db/client';
import type { Actor } from '../auth/actor';
import { ValidationError } from '../errors';
import { files } from '../files/schema';
import { fileStorage, newStorageKey } from '../files/storage';
import { recordChange } from '../audit/service';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_MAX_PX = 2000;
/** Refuses decompression bombs: a small file that claims an enormous canvas. */
const MAX_INPUT_PIXELS = 40_000_000;

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

const EXT: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The image type by its first bytes, or null. */
export function sniffPhoto(b: Uint8Array): PhotoType | null {
	if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
	if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'image/png';
	if (b.length >= 12 && Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP') {
		return 'image/webp';
	}
	return null;
}

export interface Photo {
	bytes: Buffer;
	contentType: PhotoType;
	width: number;
	height: number;
}

/**
 * Checks and re-encodes an uploaded photo. Errors are ValidationErrors on the field `photo`:
 * too large, not a JPEG/PNG/WebP, or bytes that do not decode as the image they claim to be.
 */
export async function processPhoto(input: Uint8Array): Promise<Photo> {
	if (input.length === 0) throw new ValidationError({ photo: 'ideas.photo.empty' });
	if (input.length > PHOTO_MAX_BYTES) throw new ValidationError({ photo: 'ideas.photo.tooLarge' });
	const type = sniffPhoto(input);
	if (!type) throw new ValidationError({ photo: 'ideas.photo.type' });
	try {
		const img = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
		const meta = await img.metadata();
		const format = ({ jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as Record<string, string>)[meta.format ?? ''];
		if (format !== type || (meta.pages ?? 1) > 1) throw new ValidationError({ photo: 'ideas.photo.type' });
		// rotate() without an angle applies the EXIF orientation; the encoders write no metadata
		// because withMetadata() is never called.
		const pipeline = img.rotate().resize({ width: PHOTO_MAX_PX, height: PHOTO_MAX_PX, fit: 'inside', withoutEnlargement: true });
		const encoded =
			type === 'image/jpeg'
				? pipeline.jpeg({ quality: 85, mozjpeg: true })
				: type === 'image/png'
					? pipeline.png({ compressionLevel: 9 })
					: pipeline.webp({ quality: 85 });
		const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
		return { bytes: data, contentType: type, width: info.width, height: info.height };
	} catch (e) {
		if (e instanceof ValidationError) throw e;
		// Truncated or corrupt data, or more pixels than allowed.
		throw new ValidationError({ photo: 'ideas.photo.broken' });
	}
}

/** Puts the bytes into storage first; the caller's transaction then adds the row (attachPhoto). */
export async function putPhotoBytes(photo: Photo): Promise<string> {
	const key = newStorageKey();
	await fileStorage().put(key, photo.bytes);
	return key;
}

export async function discardPhotoBytes(key: string) {
	await fileStorage().delete(key);
}

/**
 * The file row of an idea's photo, written in the idea's own transaction. The files service's
 * storeFile asks for edit rights on the record, which the idea's author does not have (only
 * moderators edit ideas); the author attaches the photo once, while submitting.
 */
export async function insertPhotoRow(
	tx: Tx,
	actor: Actor,
	p: { networkId: string; ideaId: string; storageKey: string; photo: Photo }
): Promise<string> {
	const filename = `idee-foto.${EXT[p.photo.contentType]}`;
	const [row] = await tx
		.insert(files)
		.values({
			networkId: p.networkId,
			recordType: 'idea',
			recordId: p.ideaId,
			storageKey: p.storageKey,
			filename,
			contentType: p.photo.contentType,
			size: p.photo.bytes.length,
			sha256: createHash('sha256').update(p.photo.bytes).digest('hex'),
			uploadedBy: actor.userId
		})
		.returning({ id: files.id });
	await recordChange(tx, actor, {
		networkId: p.networkId,
		action: 'create',
		recordType: 'file',
		recordId: row.id,
		after: { filename, contentType: p.photo.contentType, size: p.photo.bytes.length, of: `idea:${p.ideaId}` }
	});
	return row.id;
}
