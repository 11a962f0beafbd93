// Every module's calendar sources, registered once at start-up (from registerAllRecords).
// Funding and meetings have theirs; a new module adds its register…CalendarSource() call below.
import { registerFundingCalendarSource } from '../funding/calendar-source';
import { registerMeetingCalendarSource } from '../meetings/calendar-source';

export function registerCalendarSources() {
	registerFundingCalendarSource();
	registerMeetingCalendarSource();
}
