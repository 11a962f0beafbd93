// Small helpers for the directory's routes: breadcrumbs, page numbers, public caching.
import { translate, type Locale } from '$lib/i18n';
import { isActionFailure, redirect, type ActionFailure } from '@sveltejs/kit';
import { guard } from '../http/route';
import { getNetworkBySlug } from './networks';

export interface Crumb {
	label: string;
	href?: string;
}

interface NetworkRef {
	slug: string;
	name: string;
}

/** Startseite › Netzwerk › … (portal). */
export function publicCrumbs(locale: Locale, network: NetworkRef, ...rest: Crumb[]): Crumb[] {
	return [{ label: translate(locale, 'shell.home'), href: '/' }, { label: network.name, href: `/${network.slug}` }, ...rest];
}

/** Startseite › Netzwerk (Arbeitsbereich) › … */
export function internCrumbs(locale: Locale, network: NetworkRef, ...rest: Crumb[]): Crumb[] {
	return [
		{ label: translate(locale, 'shell.home'), href: '/' },
		{ label: translate(locale, 'dir.crumb.workingArea', { name: network.name }), href: `/${network.slug}/intern` },
		...rest
	];
}

export { pageParam } from '../paging';

/**
 * A page number beyond the last (an old bookmark, a typed address) redirects to the last page
 * that exists, instead of showing an empty list with no way back.
 */
export function clampPage(url: URL, r: { page: number; pageSize: number; total: number }, param = 'seite') {
	const last = Math.max(1, Math.ceil(r.total / r.pageSize));
	if (r.page <= last) return;
	const u = new URL(url);
	if (last === 1) u.searchParams.delete(param);
	else u.searchParams.set(param, String(last));
	redirect(303, u.pathname + u.search);
}

/** Visitors (no account) may get the portal from a shared cache for a minute. */
export function cacheForVisitors(event: { locals: App.Locals; setHeaders: (h: Record<string, string>) => void }) {
	if (!event.locals.actor.userId) {
		event.setHeaders({ 'cache-control': 'public, max-age=60', vary: 'Cookie' });
	}
}

/** The network named in the URL (for form actions, which get no layout data); 404 when unknown. */
export async function networkFromParams(event: { params: { network?: string }; locals: App.Locals; url: URL }) {
	return guard(event, () => getNetworkBySlug(event.params.network ?? ''));
}

/** Narrows the result of act(): Kit's own isActionFailure only recognises ActionFailure<undefined>. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function failed<T>(r: T): r is Extract<T, ActionFailure<any>> {
	return isActionFailure(r);
}
