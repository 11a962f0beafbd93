// Every module's calendar sources, registered once at start-up (from registerAllRecords).
// Issue 5 (meetings) adds its registerMeetingCalendarSource() call here.
import { registerFundingCalendarSource } from '../funding/calendar-source';
import { registerMeetingCalendarSource } from '../meetings/calendar-source';

export function registerCalendarSources() {
	registerFundingCalendarSource();
	registerMeetingCalendarSource();
}
