// Where the bytes of uploaded files live. Keys are generated here (random hex), never taken from
// user input, so no file name can steer a path. Object storage can replace the local backend
// with setFileStorage() at startup.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { config } from '../config';

export interface FileStorage {
	put(key: string, bytes: Buffer): Promise<void>;
	/** The bytes as a stream, or null when there is no object under the key. */
	get(key: string): Promise<Readable | null>;
	/** Deleting a missing key is not an error. */
	delete(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{32}$/;

export function newStorageKey(): string {
	return randomBytes(16).toString('hex');
}

function checkKey(key: string) {
	if (!KEY.test(key)) throw new Error('invalid storage key');
}

/** Stores under <dataDir>/files/ab/cd/<key>: two levels of 256 dirs keep directories small. */
export class LocalFileStorage implements FileStorage {
	/** Without a root, follows DATA_DIR at call time (tests set it per file). */
	constructor(private readonly root?: string) {}

	private dir(): string {
		return this.root ?? path.join(config.dataDir, 'files');
	}

	pathOf(key: string): string {
		checkKey(key);
		return path.join(this.dir(), key.slice(0, 2), key.slice(2, 4), key);
	}

	async put(key: string, bytes: Buffer): Promise<void> {
		const file = this.pathOf(key);
		await fs.promises.mkdir(path.dirname(file), { recursive: true });
		// Write then rename: a crash never leaves a half-written file under the real key.
		const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
		await fs.promises.writeFile(tmp, bytes, { flag: 'wx', mode: 0o640 });
		await fs.promises.rename(tmp, file);
	}

	async get(key: string): Promise<Readable | null> {
		const file = this.pathOf(key);
		try {
			const handle = await fs.promises.open(file, 'r');
			return handle.createReadStream();
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw e;
		}
	}

	async delete(key: string): Promise<void> {
		await fs.promises.rm(this.pathOf(key), { force: true });
	}
}

let current: FileStorage | null = null;

export function fileStorage(): FileStorage {
	return (current ??= new LocalFileStorage());
}

/** Installs another backend (object storage); null goes back to the local default. */
export function setFileStorage(s: FileStorage | null) {
	current = s;
}
