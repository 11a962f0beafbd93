// Cross-site form posts are refused here rather than by SvelteKit's built-in origin check, which is
// switched off (csrf.trustedOrigins ['*'] in vite.config.ts) for one reason: RFC 8058 one-click
// unsubscribe. Mail providers POST `List-Unsubscribe=One-Click` to the link in the mail's
// List-Unsubscribe header from their own servers, without our Origin; that one path is safe to
// accept because its signed token is the whole authorisation. Everything else gets SvelteKit's rule:
// a form-encoded POST/PUT/PATCH/DELETE whose Origin is not ours is forbidden.

/** Paths that accept form posts from anywhere (their token authorises them, not a session). */
const OPEN_FORM_PATHS = new Set(['/benachrichtigungen/abbestellen']);

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isFormContentType(request: Request): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	return FORM_TYPES.includes(type);
}

/** True when the request must be refused with 403 (a cross-site form submission). */
export function isForbiddenCrossSitePost(request: Request, url: URL): boolean {
	if (!WRITE_METHODS.has(request.method) || !isFormContentType(request)) return false;
	if (request.headers.get('origin') === url.origin) return false;
	return !OPEN_FORM_PATHS.has(url.pathname);
}
