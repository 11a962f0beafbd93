// Pure helpers of the funding calendar page: deadlines grouped by month, days left.
import type { Locale } from '$lib/i18n';

const DAY = 86_400_000;
const dayNumber = (iso: string) => Math.round(Date.parse(iso + 'T00:00:00Z') / DAY);

/** Whole days from `today` to `closesOn` (both YYYY-MM-DD): 0 on the day itself. */
export function daysLeft(closesOn: string, today: string): number {
	return dayNumber(closesOn) - dayNumber(today);
}

/** Message key and parameters for "noch 12 Tage". */
export function daysLeftMessage(days: number): { key: string; params?: Record<string, number> } {
	if (days <= 0) return { key: 'calendar.daysLeft.today' };
	if (days === 1) return { key: 'calendar.daysLeft.one' };
	return { key: 'calendar.daysLeft.many', params: { n: days } };
}

/** "Januar 2027" */
export function monthLabel(isoDate: string, locale: Locale): string {
	return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
		new Date(isoDate.slice(0, 7) + '-15T12:00:00Z')
	);
}

/** Consecutive items of the same month (items sorted by date) under one heading. */
export function groupByMonth<T extends { closesOn: string }>(items: T[], locale: Locale): { key: string; label: string; items: T[] }[] {
	const groups: { key: string; label: string; items: T[] }[] = [];
	for (const item of items) {
		const key = item.closesOn.slice(0, 7);
		const last = groups.at(-1);
		if (last && last.key === key) last.items.push(item);
		else groups.push({ key, label: monthLabel(item.closesOn, locale), items: [item] });
	}
	return groups;
}
