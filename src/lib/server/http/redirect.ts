/**
 * Only same-site paths are followed after sign-in or a language switch (no open redirects).
 * Browsers drop tabs and newlines inside URLs, so "/\t/evil.example" would leave the site:
 * control characters are refused, and the path must resolve to our own origin.
 */
export function safeRedirectTarget(v: unknown, fallback = '/'): string {
	if (typeof v !== 'string' || v.length > 500) return fallback;
	// eslint-disable-next-line no-control-regex
	if (!v.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(v)) return fallback;
	try {
		const u = new URL(v, 'http://klimanetz.invalid');
		if (u.origin !== 'http://klimanetz.invalid') return fallback;
		return u.pathname + u.search + u.hash;
	} catch {
		return fallback;
	}
}

/**
 * A return path inside one network's portal (`/<slug>/…`, query kept, fragment dropped), never
 * another host (`//evil`, `/\evil`) nor, via dot segments, another part of the site; else the
 * network's start page. Forms posting to a network route (comment, follow, report) return here.
 */
export function safeNetworkPath(raw: unknown, slug: string): string {
	const fallback = `/${slug}`;
	// Dot segments are resolved first, so the check sees where the path really leads.
	const u = new URL(safeRedirectTarget(raw, fallback), 'http://x.invalid');
	if (u.pathname !== fallback && !u.pathname.startsWith(`${fallback}/`)) return fallback;
	return u.pathname + u.search;
}

const ACCOUNT = '/konto';

/**
 * The consent section of the account page, which returns to `back` once consent is given
 * (a page's "give consent" hint, the follow action of someone without consent).
 */
export function consentPath(back: string): string {
	return `${ACCOUNT}?weiter=${encodeURIComponent(back)}#einwilligung`;
}

/** Where the account page sends someone after consent: a safe same-site path, never /konto itself; else null (stay). */
export function consentReturn(raw: unknown): string | null {
	const to = safeRedirectTarget(raw, '');
	if (!to) return null;
	const path = new URL(to, 'http://x.invalid').pathname;
	return path === ACCOUNT || path === `${ACCOUNT}/` ? null : to;
}
