import type { Cookies } from '@sveltejs/kit';
import { isLocale, type Locale } from '$lib/i18n';

export const LOCALE_COOKIE = 'klimanetz_locale';

/** German unless the person chose English (cookie) or their browser prefers English over German. */
export function pickLocale(cookies: Cookies, acceptLanguage: string | null): Locale {
	const c = cookies.get(LOCALE_COOKIE);
	if (isLocale(c)) return c;
	const langs = (acceptLanguage ?? '')
		.split(',')
		.map((p) => p.trim().slice(0, 2).toLowerCase());
	const de = langs.indexOf('de');
	const en = langs.indexOf('en');
	return en !== -1 && (de === -1 || en < de) ? 'en' : 'de';
}
