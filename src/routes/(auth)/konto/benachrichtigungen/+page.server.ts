import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act, guard } from '$lib/server/http/route';
import { pageParam } from '$lib/server/paging';
import { listMyNotifications, markAllRead, markRead, openNotification } from '$lib/server/notifications/service';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	if (!locals.actor.userId) redirect(303, `/anmelden?weiter=${encodeURIComponent(url.pathname + url.search)}`);
	const unreadOnly = url.searchParams.get('ungelesen') === '1';
	const networkId = url.searchParams.get('netzwerk') || null;
	const list = await guard(event, () => listMyNotifications(locals.actor, { page: pageParam(url), unreadOnly, networkId }));
	const title = translate(locals.locale, 'notifications.title');
	return {
		title,
		crumbs: [
			{ label: translate(locals.locale, 'shell.home'), href: '/' },
			{ label: translate(locals.locale, 'notifications.account'), href: '/konto' },
			{ label: title }
		],
		list,
		filter: { unreadOnly, networkId },
		networks: locals.actor.memberships.filter((m) => m.role !== 'citizen').map((m) => ({ id: m.networkId, name: m.networkName }))
	};
};

export const actions: Actions = {
	/** Marks read and goes to the notification's page (a path inside the app only). */
	oeffnen: async (event) => {
		const data = await event.request.formData();
		const to = await guard(event, () => openNotification(event.locals.actor, data.get('id')));
		redirect(303, to);
	},
	gelesen: async (event) => {
		const data = await event.request.formData();
		return act(event, data, async () => {
			await markRead(event.locals.actor, data.get('id'));
			return { saved: 'read' };
		});
	},
	alleGelesen: async (event) => {
		const data = await event.request.formData();
		// markAllRead answers with a count; the page only needs to know it worked.
		return act(event, data, async () => {
			await markAllRead(event.locals.actor, { networkId: String(data.get('netzwerk') ?? '') || null });
			return { saved: 'allRead' };
		});
	}
};
