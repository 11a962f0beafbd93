import type { Cookies } from '@sveltejs/kit';
import { isLocale, type Locale } from '$lib/i18n';

export const LOCALE_COOKIE = 'klimanetz_locale';

/**
 * German unless the person chose English with the switch in the footer. The browser's language
 * is not followed: what the network writes is German, and a page half in English, half in German
 * serves nobody.
 */
export function pickLocale(cookies: Cookies): Locale {
	const c = cookies.get(LOCALE_COOKIE);
	return isLocale(c) ? c : 'de';
}
