// One-time sign-in links handed out on the command line (first start, CLI) instead of by mail.
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { auth, captureMagicLinks } from './index';
import { db } from '../db/client';
import { users, verifications } from '../db/schema';

/**
 * Creates a one-time sign-in link for an existing account. The link works once; it stays valid
 * for `validHours` (longer than a mailed link, since whoever starts the server may open it later).
 */
export async function createSignInLink(email: string, opts: { validHours?: number; callbackURL?: string } = {}): Promise<string> {
	const normalised = email.trim().toLowerCase();
	const [u] = await db().select({ id: users.id }).from(users).where(and(eq(users.email, normalised), isNull(users.deletedAt)));
	if (!u) throw new Error(`Kein Konto mit der E-Mail-Adresse ${normalised}`);
	let url = '';
	const before = new Date(Date.now() - 1000);
	captureMagicLinks((u) => (url = u));
	try {
		await auth().api.signInMagicLink({
			body: { email: normalised, callbackURL: opts.callbackURL ?? '/konto', errorCallbackURL: '/anmelden?fehler=link' },
			headers: new Headers()
		});
	} finally {
		captureMagicLinks(null);
	}
	if (!url) throw new Error('Anmeldelink konnte nicht erzeugt werden');
	if (opts.validHours) {
		// The magic-link plugin stores {email, ...} as JSON in the value of its verification row.
		const [row] = await db()
			.select({ id: verifications.id })
			.from(verifications)
			// Matched as text: other verification rows (password resets) hold plain ids, not JSON.
			.where(and(gt(verifications.createdAt, before), sql`position(${`"email":"${normalised}"`} in ${verifications.value}) > 0`))
			.orderBy(desc(verifications.createdAt))
			.limit(1);
		if (row) {
			await db()
				.update(verifications)
				.set({ expiresAt: new Date(Date.now() + opts.validHours * 3600 * 1000) })
				.where(eq(verifications.id, row.id));
		}
	}
	return url;
}
