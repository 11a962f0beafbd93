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
