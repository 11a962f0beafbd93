// Security headers for every response. The Content-Security-Policy itself is set by SvelteKit
// (kit.csp in vite.config.ts) because it knows the hashes of its own inline scripts.
// A page may set a stricter value itself (e.g. no referrer on invitation pages); it is kept.
export function applySecurityHeaders(headers: Headers, isHttps: boolean) {
	const setDefault = (name: string, value: string) => {
		if (!headers.has(name)) headers.set(name, value);
	};
	setDefault('X-Content-Type-Options', 'nosniff');
	setDefault('X-Frame-Options', 'DENY');
	setDefault('Referrer-Policy', 'strict-origin-when-cross-origin');
	setDefault('Permissions-Policy', 'camera=(), microphone=(), geolocation=(self), payment=()');
	setDefault('Cross-Origin-Opener-Policy', 'same-origin');
	if (isHttps) setDefault('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
