// Wording of offers shared by their pages: the price ("2.500 bis 12.000 € pro Jahr"), ratings
// ("3,5"), a rating range. Types only from the server modules: their runtime code must not reach
// the browser.
import type { PriceModel } from '$lib/server/offers/offers';
import { formatNumber, t } from '$lib/i18n';

export function priceText(o: { priceModel: PriceModel; costMin: number | null; costMax: number | null }): string {
	if (o.priceModel === 'free') return t('offers.price.free');
	const unit = t(`offers.priceUnit.${o.priceModel}`);
	const min = o.costMin === null ? null : formatNumber(o.costMin);
	const max = o.costMax === null ? null : formatNumber(o.costMax);
	if (min !== null && max !== null) return min === max ? t('offers.costExactText', { min, unit }) : t('offers.costRangeText', { min, max, unit });
	if (min !== null) return t('offers.costFromText', { min, unit });
	if (max !== null) return t('offers.costUpToText', { max, unit });
	return t('offers.costUnknown', { model: t(`offers.price.${o.priceModel}`) });
}

/** A mean rating with one decimal ("3,5"), or a dash when nobody rated. */
export function rating(n: number | null | undefined): string {
	return n === null || n === undefined ? t('offers.none') : formatNumber(n, 1);
}

export function euros(n: number | null | undefined): string {
	return n === null || n === undefined ? t('offers.none') : `${formatNumber(n, 2)} €`;
}
