/** Only same-site paths are followed after sign-in or a language switch (no open redirects). */
export function safeRedirectTarget(v: unknown, fallback = '/'): string {
	if (typeof v !== 'string' || v.length > 500) return fallback;
	if (!v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return fallback;
	return v;
}
