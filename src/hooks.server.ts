import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { getRequestEvent } from '$app/server';
import { randomUUID } from 'node:crypto';
import { svelteKitHandler } from 'better-auth/svelte-kit';
import { startApp, stopApp } from '$lib/server/app';
import { auth } from '$lib/server/auth';
import { loadActor, VISITOR } from '$lib/server/auth/actor';
import { log, requestContext } from '$lib/server/log';
import { applySecurityHeaders } from '$lib/server/http/security-headers';
import { isForbiddenCrossSitePost } from '$lib/server/http/csrf';
import { pickLocale } from '$lib/server/http/locale';
import { config } from '$lib/server/config';
import { applyTileCsp } from '$lib/server/participation/settings';

const PUBLIC_AUTH_PATHS = [/^\/api\/auth\/magic-link\/verify$/, /^\/api\/auth\/reset-password\/[A-Za-z0-9_-]+$/];

export const init: ServerInit = async () => {
	await startApp();
	// adapter-node emits this on SIGTERM/SIGINT once in-flight requests are done.
	process.once('sveltekit:shutdown' as never, () => {
		void stopApp();
	});
};

export const handle: Handle = async ({ event, resolve }) => {
	// SvelteKit's own origin check is off for RFC 8058 one-click unsubscribe; see http/csrf.ts.
	if (isForbiddenCrossSitePost(event.request, event.url)) {
		return new Response('Cross-site POST form submissions are forbidden', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
	}
	// A load balancer's id is kept so logs can be followed across hops; anything odd is replaced.
	const given = event.request.headers.get('x-request-id');
	const requestId = given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
	event.locals.requestId = requestId;
	return requestContext.run({ requestId }, async () => {
		const started = Date.now();
		event.locals.locale = pickLocale(event.cookies);
		event.locals.actor = VISITOR;
		if (!building && event.url.pathname !== '/health') {
			const session = await auth(getRequestEvent).api.getSession({ headers: event.request.headers });
			if (session) event.locals.actor = await loadActor(session.user.id);
		}
		// A NUL in the address (e.g. ?q=a%00b) can't reach a database query: refuse it plainly.
		if (/%00/.test(event.url.search) || /%00/.test(event.url.pathname)) {
			return new Response('Ungültige Adresse', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
		}
		// Only the link targets of e-mails reach better-auth's HTTP API; everything else (sign-in,
		// sign-up, profile changes) goes through our form actions with their checks and limits.
		if (event.url.pathname.startsWith('/api/auth/') && !PUBLIC_AUTH_PATHS.some((r) => r.test(event.url.pathname))) {
			return new Response('Not found', { status: 404 });
		}
		const response = await svelteKitHandler({
			event,
			resolve: (e) =>
				resolve(e, { transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale) }),
			auth: auth(getRequestEvent),
			building
		});
		applySecurityHeaders(response.headers, config.origin.startsWith('https:'));
		// Map tiles of the networks' configured tile servers (img-src only; see participation/settings.ts).
		if (!building) await applyTileCsp(response.headers);
		response.headers.set('X-Request-Id', requestId);
		if (!response.headers.has('Cache-Control') && event.locals.actor.userId) {
			response.headers.set('Cache-Control', 'private, no-store');
		}
		log.info('http.request', {
			method: event.request.method,
			path: redactPath(event.url.pathname),
			status: response.status,
			ms: Date.now() - started,
			user: event.locals.actor.userId ?? undefined
		});
		return response;
	});
};

/** Tokens in URLs (invitations, password resets, calendar feeds) are secrets: keep them out of the logs. */
function redactPath(p: string) {
	return p
		.replace(/^\/einladung\/[^/]+/, '/einladung/…')
		.replace(/^(\/api\/auth\/reset-password\/)[^/]+/, '$1…')
		.replace(/^(\/[^/]+\/kalender\/)[^/]+/, '$1…');
}

export const handleError: HandleServerError = ({ error, event, status }) => {
	const id = event.locals.requestId ?? randomUUID();
	if (status >= 500) {
		log.error('http.error', {
			status,
			path: redactPath(event.url.pathname),
			err: error instanceof Error ? error.stack : String(error)
		});
	} else if (status !== 404) {
		// Client mistakes (malformed form posts and the like) are not our errors.
		log.warn('http.client_error', { status, path: redactPath(event.url.pathname), err: error instanceof Error ? error.message : String(error) });
	}
	return { message: status === 404 ? 'Nicht gefunden' : 'Interner Fehler', id };
};
