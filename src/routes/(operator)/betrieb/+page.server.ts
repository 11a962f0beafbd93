import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { canOperate } from '$lib/server/network/permissions';
import { listNetworks } from '$lib/server/network/networks';
import { setUpNetwork } from '$lib/server/network/setup';
import { createInvitation } from '$lib/server/network/invitations';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { act } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

function requireOperator(locals: App.Locals, path: string) {
	if (!locals.actor.userId) redirect(303, `/anmelden?weiter=${encodeURIComponent(path)}`);
	if (!canOperate(locals.actor, 'networks.list')) error(403, 'forbidden');
}

export const load: PageServerLoad = async ({ locals, url }) => {
	requireOperator(locals, url.pathname);
	const networks = await listNetworks({ page: Number(url.searchParams.get('seite')) || 1 });
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
			const network = await getNetworkBySlug(String(data.get('slug') ?? ''));
			const inv = await createInvitation(event.locals.actor, network.id, {
				email: data.get('email'),
				name: data.get('name') ?? '',
				role: 'coordinator'
			});
			return { invited: inv.email };
		});
	}
};
