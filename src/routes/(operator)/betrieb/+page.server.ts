import type { Actions, PageServerLoad } from './$types';
import { listNetworks } from '$lib/server/network/networks';
import { setUpNetwork } from '$lib/server/network/setup';
import { createInvitation } from '$lib/server/network/invitations';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { act } from '$lib/server/http/route';
import { ValidationError } from '$lib/server/errors';
import { translate } from '$lib/i18n';
import { requireOperator } from '$lib/server/http/operator';
import { pageParam } from '$lib/server/paging';
import { requestDigestsNow } from '$lib/server/notifications/jobs';


export const load: PageServerLoad = async ({ locals, url }) => {
	requireOperator(locals, url.pathname);
	const networks = await listNetworks({ page: pageParam(url) });
	const title = translate(locals.locale, 'operator.title');
	return { title, crumbs: [{ label: translate(locals.locale, 'shell.home'), href: '/' }, { label: title }], networks };
};

export const actions: Actions = {
	anlegen: async (event) => {
		requireOperator(event.locals, event.url.pathname);
		const data = await event.request.formData();
		return act(event, data, async () => {
			const r = await setUpNetwork(event.locals.actor, Object.fromEntries(data));
			return { created: r.network.slug, invited: r.invitation.email };
		});
	},
	koordination: async (event) => {
		requireOperator(event.locals, event.url.pathname);
		const data = await event.request.formData();
		return act(event, data, async () => {
			const slug = String(data.get('slug') ?? '').trim().toLowerCase();
			const network = await getNetworkBySlug(slug).catch(() => {
				throw new ValidationError({ slug: 'operator.networkUnknown' });
			});
			const inv = await createInvitation(event.locals.actor, network.id, {
				email: data.get('email'),
				name: data.get('name') ?? '',
				role: 'coordinator'
			});
			return { invited: inv.email };
		});
	},
	zusammenfassungen: async (event) => {
		requireOperator(event.locals, event.url.pathname, 'notifications.send');
		const data = await event.request.formData();
		return (await act(event, data, () => requestDigestsNow(event.locals.actor))) ?? { digests: 'sending' };
	}
};
