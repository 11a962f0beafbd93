// Display helpers of the funding pages, in the current locale (see $lib/i18n). Money goes through
// the shared euros() of $lib/components/format/money, so it reads the same as in offers.
import { formatDate, formatNumber, t } from '$lib/i18n';

/** "70 % (90 % für finanzschwache Kommunen)", "25 %", or "nicht angegeben". */
export function rateText(rate: number | null, weak: number | null): string {
	if (rate === null) return t('funding.rate.none');
	if (weak === null || weak === rate) return t('funding.rate.only', { rate: formatNumber(rate) });
	return t('funding.rate.withWeak', { rate: formatNumber(rate), weak: formatNumber(weak) });
}

/** "1. Februar 2030 bis 31. März 2030" or "bis 31. März 2030". */
export function windowText(opensOn: string | null, closesOn: string): string {
	return opensOn ? t('funding.window.range', { from: formatDate(opensOn), until: formatDate(closesOn) }) : t('funding.window.until', { until: formatDate(closesOn) });
}

export const APPLICATION_STATES = ['considering', 'preparing', 'submitted', 'approved', 'rejected', 'withdrawn'] as const;
