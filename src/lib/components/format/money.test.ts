import { describe, expect, it } from 'vitest';
import { setLocale } from '$lib/i18n';
import { amount, euros } from './money';

describe('euros', () => {
	it('shows whole euros without decimals and cents with two', () => {
		setLocale('de');
		expect(euros(4500)).toBe('4.500 €');
		expect(euros(1250.5)).toBe('1.250,50 €');
		expect(euros(0.05)).toBe('0,05 €');
		expect(euros(4500.001)).toBe('4.500 €');
		expect(euros(-12.5)).toBe('-12,50 €');
	});
	it('gives the number alone for messages that place the sign', () => {
		setLocale('de');
		expect(amount(2500)).toBe('2.500');
		expect(amount(1250.5)).toBe('1.250,50');
		expect(amount(null)).toBe('');
	});
	it('shows a dash for nothing', () => {
		expect(euros(null)).toBe('–');
		expect(euros(undefined)).toBe('–');
		expect(euros(Number.NaN)).toBe('–');
	});
	it('follows the locale', () => {
		setLocale('en');
		expect(euros(1250.5)).toBe('1,250.50 €');
		setLocale('de');
	});
});
