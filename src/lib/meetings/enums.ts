// The value lists of meetings, answers and follow-ups, one place for the server modules and the
// components (this file ships to the browser, so it cannot read the Drizzle schema;
// server/meetings/enums.test.ts checks that the lists equal the database enums). The order is the
// order forms and filters show.

/** meeting_status */
export const MEETING_STATUSES = ['planned', 'invited', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

/**
 * What the create/edit form may set. 'invited' is set by sending the invitations and 'cancelled'
 * by the cancel command (which mails the cancellation); the form shows them read-only.
 */
export const FORM_STATUSES = ['planned', 'held'] as const satisfies readonly MeetingStatus[];
export type FormStatus = (typeof FORM_STATUSES)[number];

/** Still ahead of the network: reminders go out, answers and proposals are taken. */
export const SCHEDULED_STATUSES = ['planned', 'invited'] as const satisfies readonly MeetingStatus[];

export const isFormStatus = (s: string): s is FormStatus => (FORM_STATUSES as readonly string[]).includes(s);
export const isScheduledStatus = (s: string): boolean => (SCHEDULED_STATUSES as readonly string[]).includes(s);

/** meeting_answer */
export const MEETING_ANSWERS = ['yes', 'no', 'maybe'] as const;
export type MeetingAnswer = (typeof MEETING_ANSWERS)[number];

/** The answer form's order: yes, maybe, no. */
export const ANSWER_CHOICES = ['yes', 'maybe', 'no'] as const satisfies readonly MeetingAnswer[];

/** Answers of people who (may) come: they represent their town and hear of a cancellation. */
export const COMING_ANSWERS = ['yes', 'maybe'] as const satisfies readonly MeetingAnswer[];

/** follow_up_state */
export const FOLLOW_UP_STATES = ['open', 'in_progress', 'done', 'dropped'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

/** Open and in progress: what the "Offene Aufgaben" list shows by default. */
export const ACTIVE_FOLLOW_UP_STATES = ['open', 'in_progress'] as const satisfies readonly FollowUpState[];

/** The follow-up list's state filter: 'active' (the default), 'all', or one state. */
export const FOLLOW_UP_STATE_FILTERS = ['active', 'all', ...FOLLOW_UP_STATES] as const;
export type FollowUpStateFilter = (typeof FOLLOW_UP_STATE_FILTERS)[number];
