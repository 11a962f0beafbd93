import { describe, expect, it } from 'vitest';
import { daysLeft, daysLeftMessage, groupByMonth, monthLabel } from './deadline-page';

describe('funding calendar page helpers', () => {
	it('counts days left across month, year and daylight-saving changes', () => {
		expect(daysLeft('2026-03-31', '2026-03-19')).toBe(12);
		expect(daysLeft('2026-03-30', '2026-03-28')).toBe(2);
		expect(daysLeft('2027-01-01', '2026-12-31')).toBe(1);
		expect(daysLeft('2026-05-01', '2026-05-01')).toBe(0);
		expect(daysLeftMessage(12)).toEqual({ key: 'calendar.daysLeft.many', params: { n: 12 } });
		expect(daysLeftMessage(1)).toEqual({ key: 'calendar.daysLeft.one' });
		expect(daysLeftMessage(0)).toEqual({ key: 'calendar.daysLeft.today' });
	});

	it('groups by month with German month names', () => {
		expect(monthLabel('2027-01-31', 'de')).toBe('Januar 2027');
		expect(monthLabel('2027-03-01', 'en')).toBe('March 2027');
		const groups = groupByMonth([{ closesOn: '2027-01-05' }, { closesOn: '2027-01-31' }, { closesOn: '2027-03-01' }], 'de');
		expect(groups.map((g) => [g.label, g.items.length])).toEqual([
			['Januar 2027', 2],
			['März 2027', 1]
		]);
		expect(groupByMonth([], 'de')).toEqual([]);
	});
});
