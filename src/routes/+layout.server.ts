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
					// One count on the partial index of unread rows, for the header link.
					unread: await unreadCount(a.userId)
				}
			: null
	};
};
