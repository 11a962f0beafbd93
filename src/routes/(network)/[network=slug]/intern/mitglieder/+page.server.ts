import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { bodyChoices, changeMemberRole, listMembers, removeMember } from '$lib/server/network/members';
import { createInvitation, listInvitations, revokeInvitation } from '$lib/server/network/invitations';
import { canNetwork } from '$lib/server/network/permissions';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { translate } from '$lib/i18n';
import { pageParam } from '$lib/server/paging';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	if (!canNetwork(locals.actor, 'network.manageMembers', { networkId: network.id })) error(403, 'Nur die Koordination verwaltet Mitglieder.');
	const [members, invitations, bodies] = await Promise.all([
		listMembers(locals.actor, network.id, { page: pageParam(url) }),
		listInvitations(locals.actor, network.id, { page: pageParam(url, 'einladungen') }),
		bodyChoices(locals.actor, network.id)
	]);
	const title = translate(locals.locale, 'members.title');
	return {
		title,
		crumbs: [
			{ label: translate(locals.locale, 'shell.home'), href: '/' },
			{ label: network.name, href: `/${network.slug}/intern` },
			{ label: title }
		],
		members,
		invitations,
		bodies,
		// Removing someone takes a second step (works without JavaScript): ?entfernen=<id> asks first.
		confirmRemove: members.items.find((m) => m.id === url.searchParams.get('entfernen')) ?? null,
		now: Date.now()
	};
};

async function networkId(slug: string) {
	return (await getNetworkBySlug(slug)).id;
}

export const actions: Actions = {
	einladen: async (event) => {
		const data = await event.request.formData();
		return act(event, data, async () => {
			const inv = await createInvitation(event.locals.actor, await networkId(event.params.network), formObject(data));
			return { invited: inv.email };
		});
	},
	zurueckziehen: async (event) => {
		const data = await event.request.formData();
		return act(event, data, async () => {
			await revokeInvitation(event.locals.actor, await networkId(event.params.network), String(data.get('id') ?? ''));
			return { revoked: true };
		});
	},
	rolle: async (event) => {
		const data = await event.request.formData();
		return act(event, data, async () => {
			await changeMemberRole(event.locals.actor, await networkId(event.params.network), String(data.get('id') ?? ''), Object.fromEntries(data));
			return { roleChanged: true };
		});
	},
	entfernen: async (event) => {
		const data = await event.request.formData();
		return act(event, data, async () => {
			await removeMember(event.locals.actor, await networkId(event.params.network), String(data.get('id') ?? ''));
			return { removed: true };
		});
	}
};
