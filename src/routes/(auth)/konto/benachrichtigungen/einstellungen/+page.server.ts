import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act, guard } from '$lib/server/http/route';
import { myPreferences, savePreferences } from '$lib/server/notifications/service';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	if (!locals.actor.userId) redirect(303, `/anmelden?weiter=${encodeURIComponent(url.pathname)}`);
	const preferences = await guard(event, () => myPreferences(locals.actor));
	const title = translate(locals.locale, 'notifications.prefs.title');
	return {
		title,
		crumbs: [
			{ label: translate(locals.locale, 'shell.home'), href: '/' },
			{ label: translate(locals.locale, 'notifications.account'), href: '/konto' },
			{ label: translate(locals.locale, 'notifications.title'), href: '/konto/benachrichtigungen' },
			{ label: title }
		],
		preferences
	};
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		return (await act(event, data, () => savePreferences(event.locals.actor, Object.fromEntries(data)))) ?? { saved: true };
	}
};
