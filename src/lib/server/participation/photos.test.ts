// Idea photos: type by bytes, size limit, metadata (EXIF with GPS) removed, turned upright, scaled
// down; stored with the idea and readable through /dateien as the idea is.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeUser } from '../testing/factories';
import { fieldErrors } from '../testing/errors';
import { measureWorld } from '../measures/testing';
import { db } from '../db/client';
import { files } from '../files/schema';
import { openFile } from '../files/service';
import { loadActor, VISITOR } from '../auth/actor';
import { registerAllRecords } from '../records';
import { citizenProfiles, ideas } from './schema';
import { PHOTO_MAX_BYTES, processPhoto, sniffPhoto } from './photos';
import { submitIdea } from './ideas';
import { publishIdea } from './moderation';

useTestDb();
registerAllRecords();

beforeAll(() => {
	process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-photos-'));
});

/** A JPEG as a phone writes it: EXIF with camera, GPS position and "rotate 90°" orientation. */
async function phoneJpeg(width = 300, height = 200) {
	return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 60 } } })
		.jpeg()
		.withExif({
			IFD0: { Make: 'PhoneMaker', Model: 'Secret Model 9' },
			IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 48/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '11/1 2/1 0/1' }
		})
		.withMetadata({ orientation: 6 })
		.toBuffer();
}

describe('processPhoto', () => {
	it('removes EXIF (GPS, camera) and turns the image upright', async () => {
		const input = await phoneJpeg();
		const before = await sharp(input).metadata();
		expect(before.exif).toBeDefined();
		expect(before.orientation).toBe(6);
		expect(input.includes(Buffer.from('Secret Model 9'))).toBe(true);

		const out = await processPhoto(input);
		const after = await sharp(out.bytes).metadata();
		expect(out.contentType).toBe('image/jpeg');
		expect(after.exif).toBeUndefined();
		expect(after.xmp).toBeUndefined();
		expect(after.orientation).toBeUndefined();
		expect(out.bytes.includes(Buffer.from('Secret Model 9'))).toBe(false);
		// Orientation 6 means "rotate 90°": 300×200 becomes 200×300.
		expect([after.width, after.height]).toEqual([200, 300]);
	});

	it('scales large images down to 2000 px on the long side', async () => {
		const big = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#888' } }).png().toBuffer();
		const out = await processPhoto(big);
		expect(out).toMatchObject({ contentType: 'image/png', width: 2000, height: 1000 });
	});

	it('keeps WebP as WebP', async () => {
		const webp = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#123456' } }).webp().toBuffer();
		expect((await processPhoto(webp)).contentType).toBe('image/webp');
	});

	it.each([
		['text named .jpg', Buffer.from('Das ist kein Bild, nur Text mit der Endung .jpg'), 'ideas.photo.type'],
		['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'ideas.photo.type'],
		['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'ideas.photo.type'],
		['a PDF', Buffer.from('%PDF-1.4\n%…'), 'ideas.photo.type'],
		['a truncated JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]), 'ideas.photo.broken'],
		['nothing', Buffer.alloc(0), 'ideas.photo.empty']
	])('refuses %s', async (_l, bytes, key) => {
		expect(await fieldErrors(processPhoto(bytes))).toEqual({ photo: key });
	});

	it('refuses more than 5 MB before decoding anything', async () => {
		const big = Buffer.alloc(PHOTO_MAX_BYTES + 1, 0);
		big.set([0xff, 0xd8, 0xff]);
		expect(await fieldErrors(processPhoto(big))).toEqual({ photo: 'ideas.photo.tooLarge' });
		expect(await fieldErrors(processPhoto(Buffer.alloc(20 * 1024 * 1024, 1)))).toEqual({ photo: 'ideas.photo.tooLarge' });
	});

	it('decides the type by the bytes, not by a name', async () => {
		const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } }).png().toBuffer();
		expect(sniffPhoto(png)).toBe('image/png');
		expect(sniffPhoto(Buffer.from('GIF89a'))).toBeNull();
	});
});

describe('an idea with a photo', () => {
	it('stores the cleaned photo with the idea, shown to visitors only once published', async () => {
		const w = await measureWorld();
		const u = await makeUser({ name: 'Fotografin' });
		await db().insert(citizenProfiles).values({ userId: u.id, consentVersion: 't', consentText: 't', consentedAt: new Date() });
		const author = await loadActor(u.id);
		const form = { title: 'Bank im Park', body: 'Eine Bank im Stadtpark wäre schön für Ältere.', theme: 'land_use', bodyId: w.town.id, photoAlt: 'Leere Wiese im Stadtpark' };
		expect(await fieldErrors(submitIdea(author, w.network.id, { ...form, photoAlt: '' }, { bytes: await phoneJpeg() }, { ip: '192.0.2.9' }))).toEqual({
			photoAlt: 'ideas.error.altRequired'
		});
		// Field and photo errors come together.
		expect(await fieldErrors(submitIdea(author, w.network.id, { ...form, title: '' }, { bytes: Buffer.from('kein Bild') }, { ip: '192.0.2.9' }))).toEqual({
			title: 'validation.required',
			photo: 'ideas.photo.type'
		});
		expect(await db().select().from(files).where(eq(files.recordType, 'idea'))).toHaveLength(0);

		const idea = await submitIdea(author, w.network.id, form, { bytes: await phoneJpeg() }, { ip: '192.0.2.9' });
		expect(idea.photoFileId).toBeTruthy();
		expect(idea.photoAlt).toBe('Leere Wiese im Stadtpark');
		const [row] = await db().select().from(files).where(eq(files.id, idea.photoFileId!));
		expect(row).toMatchObject({ recordType: 'idea', recordId: idea.id, networkId: w.network.id, contentType: 'image/jpeg', filename: 'idee-foto.jpg' });

		expect(await openFile(VISITOR, row.id)).toBeNull();
		const own = await openFile(author, row.id);
		expect(own).not.toBeNull();
		own!.stream.destroy();
		await publishIdea(w.member, w.network.id, idea.id);
		const opened = await openFile(VISITOR, row.id);
		const chunks: Buffer[] = [];
		for await (const c of opened!.stream) chunks.push(c as Buffer);
		const meta = await sharp(Buffer.concat(chunks)).metadata();
		expect(meta.exif).toBeUndefined();
		const [stored] = await db().select().from(ideas).where(eq(ideas.id, idea.id));
		expect(stored.photoFileId).toBe(row.id);
	});
});
