// Pure permission rules of the calendar feeds. No I/O; tested as a role × action table.
import { membershipIn, type Actor } from '../auth/actor';

export type CalendarAction =
	/** Have a private feed link of the network (create, revoke, and have the feed served). */
	'calendar.subscribe';

const WORKING_AREA = new Set(['coordinator', 'member', 'partner']);

export function canCalendar(actor: Actor, action: CalendarAction, subject: { networkId: string }): boolean {
	const m = membershipIn(actor, subject.networkId);
	if (!m) return false;
	switch (action) {
		case 'calendar.subscribe':
			return WORKING_AREA.has(m.role);
	}
}
