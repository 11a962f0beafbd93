import { describe, expect, it } from 'vitest';
import { followUpState, meetingAnswer, meetingStatus } from './schema';
import {
	ACTIVE_FOLLOW_UP_STATES,
	ANSWER_CHOICES,
	COMING_ANSWERS,
	FOLLOW_UP_STATE_FILTERS,
	FOLLOW_UP_STATES,
	FORM_STATUSES,
	isFormStatus,
	isScheduledStatus,
	MEETING_ANSWERS,
	MEETING_STATUSES,
	SCHEDULED_STATUSES
} from '$lib/meetings/enums';

describe('meeting enums', () => {
	it('equal the database enums, in the order forms show', () => {
		expect(MEETING_STATUSES).toEqual(meetingStatus.enumValues);
		expect(MEETING_ANSWERS).toEqual(meetingAnswer.enumValues);
		expect(FOLLOW_UP_STATES).toEqual(followUpState.enumValues);
	});
	it('the form sets planned and held only; planned and invited are still ahead', () => {
		expect(FORM_STATUSES).toEqual(['planned', 'held']);
		expect(MEETING_STATUSES.filter(isFormStatus)).toEqual(['planned', 'held']);
		expect(MEETING_STATUSES.filter(isScheduledStatus)).toEqual([...SCHEDULED_STATUSES]);
		expect(SCHEDULED_STATUSES).toEqual(['planned', 'invited']);
	});
	it('answers: the form asks yes, maybe, no; yes and maybe count as coming', () => {
		expect([...ANSWER_CHOICES].sort()).toEqual([...MEETING_ANSWERS].sort());
		expect(COMING_ANSWERS).toEqual(['yes', 'maybe']);
	});
	it('follow-up filters: active (open, in progress), all, then every state', () => {
		expect(ACTIVE_FOLLOW_UP_STATES).toEqual(['open', 'in_progress']);
		expect(FOLLOW_UP_STATE_FILTERS).toEqual(['active', 'all', 'open', 'in_progress', 'done', 'dropped']);
	});
});
