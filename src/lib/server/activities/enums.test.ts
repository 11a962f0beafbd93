import { describe, expect, it } from 'vitest';
import { activityStatus } from './schema';
import { ACTIVITY_STATUSES, CLOSED_STATUSES, isClosedStatus } from '$lib/activities/enums';

describe('activity enums', () => {
	it('equal the database enum, in the order forms show', () => {
		expect(ACTIVITY_STATUSES).toEqual(activityStatus.enumValues);
	});
	it('closed statuses are done and dropped', () => {
		expect(CLOSED_STATUSES).toEqual(['done', 'dropped']);
		expect(ACTIVITY_STATUSES.filter(isClosedStatus)).toEqual(['done', 'dropped']);
		expect(isClosedStatus('running')).toBe(false);
	});
});
