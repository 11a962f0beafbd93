// Application states the funding module reasons about in several places (programme list, programme
// page, deadlines, calendar): one list, so they can't drift apart.
import { sql, type SQL } from 'drizzle-orm';

/** States in which a town is still working towards a deadline (an "active" application). */
export const ACTIVE_STATES = ['considering', 'preparing', 'submitted'] as const;
export type ActiveState = (typeof ACTIVE_STATES)[number];

export function isActiveState(state: string): state is ActiveState {
	return (ACTIVE_STATES as readonly string[]).includes(state);
}

/** `<column> in ('considering', 'preparing', 'submitted')` for hand-written subqueries. */
export function activeStateSql(column: SQL): SQL {
	return sql`${column} in (${sql.join(
		ACTIVE_STATES.map((s) => sql`${s}`),
		sql`, `
	)})`;
}
