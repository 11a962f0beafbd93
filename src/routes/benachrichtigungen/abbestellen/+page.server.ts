// The unsubscribe link of notification mails: works without signing in and without JavaScript.
// GET only shows what the link would unsubscribe (link scanners of mail servers fetch links, so a
// GET changes nothing); the button posts to the default action. The RFC 8058 one-click POST of a
// mail client ("List-Unsubscribe=One-Click", token in the URL, no cookies) reaches the same
// default action – which is why there is no +server.ts here (it would take GETs without
// Accept: text/html away from the page).
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { unsubscribe, unsubscribeTarget } from '$lib/server/notifications/service';
import { describeUnsubscribe } from '$lib/server/notifications/unsubscribe-text';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async ({ url, locals }) => {
	const token = url.searchParams.get('token');
	const target = unsubscribeTarget(token);
	if (!target) error(400, translate(locals.locale, 'notifications.unsubscribe.invalid'));
	const title = translate(locals.locale, 'notifications.unsubscribe.title');
	return { title, token: token!, what: describeUnsubscribe(locals.locale, target.scope) };
};

export const actions: Actions = {
	default: async ({ request, url, locals }) => {
		const data = await request.formData();
		const token = String(data.get('token') ?? url.searchParams.get('token') ?? '');
		const kinds = await unsubscribe(token);
		// An error, not fail(): a mail provider's one-click POST (JSON answer) must see the 400 status.
		if (kinds === null) error(400, translate(locals.locale, 'notifications.unsubscribe.invalid'));
		return { done: kinds.length > 0 };
	}
};
