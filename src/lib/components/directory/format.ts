// Display helpers for directory data, in the current locale (see $lib/i18n).
import { formatDate, formatNumber, getLocale, t } from '$lib/i18n';

export function populationText(population: number | null, year: number | null): string {
	if (population === null) return t('dir.notGiven');
	return year ? t('dir.populationWithYear', { population: formatNumber(population, 0), year }) : formatNumber(population, 0);
}

export function conceptText(status: string, adoptedOn: string | null): string {
	if (status === 'adopted' && adoptedOn) return t('dir.concept.adoptedOn', { date: formatDate(adoptedOn) });
	return t(`dir.concept.${status}`);
}

/** "seit 1. Januar 2024", "ab 1. Mai 2027", "bis 30. Juni 2026", "1. Juli 2019 bis 30. Juni 2026". */
export function tenureText(from: string | null, until: string | null, today: string): string {
	if (from && until) return t('dir.tenure.range', { from: formatDate(from), until: formatDate(until) });
	if (from) return t(from > today ? 'dir.tenure.fromFuture' : 'dir.tenure.since', { date: formatDate(from) });
	if (until) return t('dir.tenure.until', { date: formatDate(until) });
	return '';
}

export function functionText(fn: string, note?: string | null): string {
	const label = t(`dir.function.${fn}`);
	return note ? `${label} (${note})` : label;
}

/** A stored number as the user would type it: 86,72 in German, 86.72 in English. */
export function numberInput(n: number | null | undefined): string {
	if (n === null || n === undefined) return '';
	const s = String(n);
	return getLocale() === 'de' ? s.replace('.', ',') : s;
}

/** Today's date in Germany (YYYY-MM-DD), for tenure wording. */
export function todayInGermany(): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
