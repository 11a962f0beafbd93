// The value lists of joint activities, one place for the server modules and the components (this
// file ships to the browser, so it cannot read the Drizzle schema; enums.test.ts in
// server/activities checks that the list equals the database enum). The order is the order forms
// and filters show.

/** activity_status */
export const ACTIVITY_STATUSES = ['idea', 'planning', 'running', 'done', 'dropped'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** Statuses in which nobody joins any more (leaving stays possible). */
export const CLOSED_STATUSES: readonly ActivityStatus[] = ['done', 'dropped'];

export const isClosedStatus = (s: string): boolean => (CLOSED_STATUSES as readonly string[]).includes(s);
