// Wording of offers shared by all their pages (list, offer page, matrix, comparison): the price
// ("2.500 bis 12.000 € pro Jahr"), mean ratings ("4,0"), the spread of the benefit ratings, counts,
// money. One function per thing, so every page writes it the same way.
import type { PriceModel } from '$lib/offers/enums';
import { getLocale, t } from '$lib/i18n';
import { amount, euros } from '$lib/components/format/money';

export { euros };

export function priceText(o: { priceModel: PriceModel; costMin: number | null; costMax: number | null }): string {
	if (o.priceModel === 'free') return t('offers.price.free');
	const unit = t(`offers.priceUnit.${o.priceModel}`);
	const min = o.costMin === null ? null : amount(o.costMin);
	const max = o.costMax === null ? null : amount(o.costMax);
	if (min !== null && max !== null) return min === max ? t('offers.costExactText', { min, unit }) : t('offers.costRangeText', { min, max, unit });
	if (min !== null) return t('offers.costFromText', { min, unit });
	if (max !== null) return t('offers.costUpToText', { max, unit });
	return t('offers.costUnknown', { model: t(`offers.price.${o.priceModel}`) });
}

/** A mean rating, always with one decimal ("4,0", "3,5"), or "–" when nobody rated. */
export function rating(n: number | null | undefined): string {
	if (n === null || n === undefined || !Number.isFinite(n)) return t('offers.none');
	return new Intl.NumberFormat(getLocale() === 'de' ? 'de-DE' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

/** "1 Bewertung", "3 Bewertungen". */
export function countText(n: number): string {
	return n === 1 ? t('offers.count.one') : t('offers.count.many', { n });
}

/**
 * How far the benefit ratings lie apart: "3 (von 1 bis 4)"; "–" with fewer than two ratings (one
 * rating has no spread).
 */
export function spreadText(s: { count: number; benefitSpread: number | null; benefitMin: number | null; benefitMax: number | null }): string {
	if (s.count < 2 || s.benefitSpread === null || s.benefitMin === null || s.benefitMax === null) return t('offers.none');
	return t('offers.spreadValue', { spread: s.benefitSpread, min: s.benefitMin, max: s.benefitMax });
}

/** A mean with the range of the single ratings: "Ø 3,5 (von 2 bis 5)", "Ø 4,0" when all agree, "–" without ratings. */
export function meanRange(mean: number | null, min: number | null, max: number | null): string {
	if (mean === null) return t('offers.none');
	return min === null || max === null || min === max ? t('offers.stat.mean', { mean: rating(mean) }) : t('offers.stat.meanRange', { mean: rating(mean), min, max });
}
