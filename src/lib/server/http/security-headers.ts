// Security headers for every response. The Content-Security-Policy itself is set by SvelteKit
// (kit.csp in vite.config.ts) because it knows the hashes of its own inline scripts.
export function applySecurityHeaders(headers: Headers, isHttps: boolean) {
	headers.set('X-Content-Type-Options', 'nosniff');
	headers.set('X-Frame-Options', 'DENY');
	headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(self), payment=()');
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	if (isHttps) headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
