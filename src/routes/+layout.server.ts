import type { LayoutServerLoad } from './$types';
import { unreadCount } from '$lib/server/notifications/service';

export const load: LayoutServerLoad = async ({ locals }) => {
	const a = locals.actor;
	return {
		locale: locals.locale,
		user: a.userId
			? {
					name: a.name,
					isOperator: a.isOperator,
					networks: a.memberships.map((m) => ({ slug: m.slug, name: m.networkName, role: m.role })),
					// One count on the partial index of unread rows, for the header link (the working
					// area's people only: citizens get no notifications).
					unread: a.memberships.some((m) => m.role !== 'citizen') ? await unreadCount(a.userId) : 0
				}
			: null
	};
};
