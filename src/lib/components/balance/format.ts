// Shared by the balance charts and pages: sector drawing styles (colour AND pattern, so the chart
// reads without colour), carrier order, and number wording ("12.345 t CO₂e", "7,2 t je Einwohner").
// Types only from the server module: its runtime code must not reach the browser.
import type { Carrier, Sector } from '$lib/server/balance/compute';
import { formatNumber, t } from '$lib/i18n';

export interface SectorStyle {
	/** Base colour; each has at least 3:1 against white (WCAG 1.4.11). */
	color: string;
	/** White marks drawn over the colour, so neighbouring segments also differ without colour. */
	pattern: 'solid' | 'diagonal' | 'dots' | 'horizontal' | 'cross';
}

/** In BISKO order (the key order is the stacking order, bottom up). */
export const SECTOR_STYLES: Record<Sector, SectorStyle> = {
	households: { color: '#153d99', pattern: 'solid' },
	commerce: { color: '#a35200', pattern: 'diagonal' },
	industry: { color: '#4b4f5e', pattern: 'dots' },
	municipal: { color: '#1d6e42', pattern: 'horizontal' },
	transport: { color: '#9c1b5a', pattern: 'cross' }
};
export const SECTOR_ORDER = Object.keys(SECTOR_STYLES) as Sector[];

/** BISKO energy carriers in the order of the tables and the entry form. */
export const CARRIER_ORDER: readonly Carrier[] = [
	'electricity',
	'natural_gas',
	'heating_oil',
	'liquid_gas',
	'district_heating',
	'biomass',
	'coal',
	'solar_thermal',
	'environmental_heat',
	'petrol',
	'diesel',
	'other'
];

/** Tonnes: whole tonnes from 100 t on, one decimal below ("12.345", "3,5"). */
export function tonnes(v: number): string {
	return formatNumber(v, Math.abs(v) >= 100 ? 0 : 1);
}

/** Energy in MWh, rounded like tonnes. */
export function mwh(v: number): string {
	return tonnes(v);
}

/** t CO₂e per inhabitant with one decimal ("7,2"). */
export function perCapita(v: number): string {
	return formatNumber(v, 1);
}

/**
 * "12.345 t CO₂e, 1.234 t über dem Zielpfad" — where a year stands against its target path
 * (gap = actual − path; positive is above, i.e. behind the target). Without a path value, the total only.
 */
export function gapSentence(totalT: number, gapT: number | null | undefined): string {
	const total = t('balanceChart.tonnesCo2', { value: tonnes(totalT) });
	if (gapT == null) return total;
	// Differences that round away to 0 t are "on the path", not "0 t above".
	if (Math.abs(gapT) < 0.5) return t('balanceChart.gapOn', { total });
	return t(gapT > 0 ? 'balanceChart.gapAbove' : 'balanceChart.gapBelow', { total, gap: tonnes(Math.abs(gapT)) });
}

/** The gap alone for tables: "+1.234 t" above, "−1.234 t" below the path, "" without a path. */
export function gapCell(gapT: number | null | undefined): string {
	if (gapT == null) return '';
	if (Math.abs(gapT) < 0.5) return '0';
	return `${gapT > 0 ? '+' : '−'}${tonnes(Math.abs(gapT))}`;
}
