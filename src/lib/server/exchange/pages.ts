// Small helpers of the exchange's routes: breadcrumbs below "Austausch", the ?ok=… messages a page
// may show after a redirect (anything else in the URL is ignored), and running their forms.
import { fail, isActionFailure, redirect, type RequestEvent } from '@sveltejs/kit';
import { translate, type Locale } from '$lib/i18n';
import type { Actor } from '../auth/actor';
import { act, type FormFailure } from '../http/route';
import { formObject } from '../validation';
import { internCrumbs, networkFromParams, type Crumb } from '../network/directory-pages';
import { threadPath, type Post } from './shared';

export function exchangeCrumbs(locale: Locale, network: { slug: string; name: string }, ...rest: Crumb[]): Crumb[] {
	const label = translate(locale, 'exchange.nav');
	return internCrumbs(locale, network, rest.length ? { label, href: `/${network.slug}/intern/austausch` } : { label }, ...rest);
}

/** The ?ok= key if it is one of `keys`, else null. */
export function okParam<const K extends readonly string[]>(url: URL, keys: K): K[number] | null {
	const ok = url.searchParams.get('ok') ?? '';
	return (keys as readonly string[]).includes(ok) ? (ok as K[number]) : null;
}

/** A form field that may come as a list (formObject): its first value, or ''. */
export const str = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] : v) ?? '';

/**
 * Runs one form of an exchange page: a failure names its form (formId), so the page shows the
 * messages and keeps the input beside that form; success redirects (no resubmission on reload) to
 * the address `done` builds from the result and the network's slug.
 */
export async function runForm<T>(
	event: RequestEvent,
	formId: string,
	fn: (input: Record<string, string | string[]>, networkId: string) => Promise<T>,
	done: (result: T, slug: string) => string
) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const r = await act(event, data, () => fn(formObject(data), network.id));
	if (isActionFailure(r)) return fail(400, { ...(r.data as unknown as FormFailure), formId });
	redirect(303, done(r as T, network.slug));
}

/**
 * The action of a post's edit and delete pages: runs `fn` on the post of the address and goes back
 * to the post in its thread with the ?ok= message.
 */
export function postAction(ok: 'saved' | 'deleted', fn: (actor: Actor, networkId: string, postId: string, input: Record<string, string | string[]>) => Promise<Post>) {
	return (event: RequestEvent) =>
		runForm(
			event,
			'post',
			(input, networkId) => fn(event.locals.actor, networkId, event.params.postId ?? '', input),
			(p, slug) => `${threadPath(slug, p.threadId)}?ok=${ok}&beitrag=${p.id}#beitrag-${p.id}`
		);
}
