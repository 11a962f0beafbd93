import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { auth } from './index';
import { createSignInLink } from './sign-in-link';
import { ensureUser } from '../bootstrap';

useTestDb();

describe('one-time sign-in links', () => {
	it('sign in once and never again', async () => {
		await ensureUser('ana@example.org', 'Ana');
		const link = await createSignInLink('ana@example.org', { validHours: 24, callbackURL: '/konto' });
		const first = await auth().handler(new Request(link));
		expect(first.status).toBe(302);
		expect(first.headers.get('location')).toContain('/konto');
		expect(first.headers.get('set-cookie')).toMatch(/klimanetz\.session_token=/);
		const second = await auth().handler(new Request(link));
		expect(second.headers.get('location')).toContain('fehler=link');
		expect(second.headers.get('set-cookie') ?? '').not.toMatch(/session_token=[^;]/);
	});
});
