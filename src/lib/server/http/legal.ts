import { config } from '../config';
import { translate, type Locale } from '$lib/i18n';

/** Operator details for imprint and privacy notice, from configuration (OPERATOR_*). */
export function legalPageData(locale: Locale, titleKey: string) {
	const title = translate(locale, titleKey);
	return {
		title,
		crumbs: [{ label: translate(locale, 'shell.home'), href: '/' }, { label: title }],
		operator: config.operator
	};
}
