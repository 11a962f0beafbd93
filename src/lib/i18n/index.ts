// Message lookup for German (default) and English. Messages live in messages/<locale>/<module>.json
// so modules add their texts without touching each other's files.
//
// Why a module-level locale is safe: the server renders one request's component tree synchronously
// (Svelte 5 `render`), and the root layout sets the locale before any child renders. Code outside
// components (mails, server messages) passes the locale explicitly to `translate`.
const files = import.meta.glob<Record<string, string>>('/messages/*/*.json', {
	eager: true,
	import: 'default'
});

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const dicts: Record<Locale, Record<string, string>> = { de: {}, en: {} };
for (const [file, content] of Object.entries(files)) {
	const locale = file.split('/').at(-2) as Locale;
	if (dicts[locale]) Object.assign(dicts[locale], content);
}

let current: Locale = 'de';

export function setLocale(locale: Locale) {
	current = locale;
}

export function getLocale(): Locale {
	return current;
}

export function isLocale(v: unknown): v is Locale {
	return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

export type Params = Record<string, string | number>;

export function translate(locale: Locale, key: string, params?: Params): string {
	const s = dicts[locale][key] ?? dicts.de[key] ?? key;
	return params ? s.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m)) : s;
}

/** Translates in the current locale (components). */
export function t(key: string, params?: Params): string {
	return translate(current, key, params);
}

export function hasMessage(key: string): boolean {
	return key in dicts.de;
}

export function messageKeys(locale: Locale): string[] {
	return Object.keys(dicts[locale]);
}

const tag = (l: Locale) => (l === 'de' ? 'de-DE' : 'en-GB');

/** "1. Juni 2024" */
export function formatDate(value: Date | string | null | undefined, locale: Locale = current): string {
	if (!value) return '';
	const d = typeof value === 'string' ? new Date(value.length === 10 ? value + 'T12:00:00Z' : value) : value;
	return new Intl.DateTimeFormat(tag(locale), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Berlin' }).format(d);
}

export function formatDateTime(value: Date | string | null | undefined, locale: Locale = current): string {
	if (!value) return '';
	const d = typeof value === 'string' ? new Date(value) : value;
	return new Intl.DateTimeFormat(tag(locale), {
		day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin'
	}).format(d);
}

/** "1.234,5" */
export function formatNumber(value: number | null | undefined, maxFractionDigits = 2, locale: Locale = current): string {
	if (value === null || value === undefined) return '';
	return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: maxFractionDigits }).format(value);
}
