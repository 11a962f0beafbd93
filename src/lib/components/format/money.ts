// Money wording shared by all modules (offers, funding, …), in the current locale (see $lib/i18n):
// whole euros without decimals ("4.500 €"), amounts with cents with two ("1.250,50 €"), "–" for none.
import { getLocale } from '$lib/i18n';

/** The number alone, as `euros` writes it: "4.500", "1.250,50"; "" for none (for messages that place the "€" themselves). */
export function amount(n: number | null | undefined): string {
	if (n === null || n === undefined || !Number.isFinite(n)) return '';
	// Cents decided on the rounded amount, so 4500.001 reads "4.500", not "4.500,00".
	const cents = Math.round(n * 100) % 100 !== 0;
	return new Intl.NumberFormat(getLocale() === 'de' ? 'de-DE' : 'en-GB', {
		minimumFractionDigits: cents ? 2 : 0,
		maximumFractionDigits: cents ? 2 : 0
	}).format(n);
}

/** "4.500 €", "1.250,50 €" or "–" (null/undefined/not finite). */
export function euros(n: number | null | undefined): string {
	const s = amount(n);
	return s ? `${s} €` : '–';
}
