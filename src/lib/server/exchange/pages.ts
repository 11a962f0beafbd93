// Small helpers of the exchange's routes: breadcrumbs below "Austausch", and the ?ok=… messages a
// page may show after a redirect (anything else in the URL is ignored).
import { translate, type Locale } from '$lib/i18n';
import { internCrumbs, type Crumb } from '../network/directory-pages';

export function exchangeCrumbs(locale: Locale, network: { slug: string; name: string }, ...rest: Crumb[]): Crumb[] {
	const label = translate(locale, 'exchange.nav');
	return internCrumbs(locale, network, rest.length ? { label, href: `/${network.slug}/intern/austausch` } : { label }, ...rest);
}

/** The ?ok= key if it is one of `keys`, else null. */
export function okParam<const K extends readonly string[]>(url: URL, keys: K): K[number] | null {
	const ok = url.searchParams.get('ok') ?? '';
	return (keys as readonly string[]).includes(ok) ? (ok as K[number]) : null;
}
