import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const a = locals.actor;
	return {
		locale: locals.locale,
		user: a.userId
			? {
					name: a.name,
					isOperator: a.isOperator,
					networks: a.memberships.map((m) => ({ slug: m.slug, name: m.networkName, role: m.role }))
				}
			: null
	};
};
