import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './pglite-lock';

describe('PGlite directory lock', () => {
	it('refuses a second holder while the first lives, and takes over a stale lock', async () => {
		const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kn-lock-')), 'pglite');
		const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
		try {
			fs.writeFileSync(`${dir}.lock`, String(other.pid));
			expect(() => lockDataDir(dir)).toThrow(/wird gerade von Prozess/);
		} finally {
			other.kill();
			await new Promise((r) => other.on('exit', r));
		}
		// The holder is gone: its lock is stale.
		const release = lockDataDir(dir);
		expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
		release();
		expect(fs.existsSync(`${dir}.lock`)).toBe(false);
	});
});
