// Feedback on barriers in the portal (from /barrierefreiheit), for the network's coordinators:
// open first, mark done or open again.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actNamed, guard } from '$lib/server/http/route';
import { clampPage, internCrumbs, networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import { listFeedback, setFeedbackState } from '$lib/server/participation/feedback';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const state = url.searchParams.get('status') === 'erledigt' ? 'done' : 'open';
	const list = await guard(event, () => listFeedback(locals.actor, network.id, { state, page: pageParam(url) }));
	clampPage(url, list);
	const title = translate(locals.locale, 'citizen.feedbackList.title');
	return {
		list: { ...list, state },
		ok: url.searchParams.get('ok') === 'done' ? 'done' : url.searchParams.get('ok') === 'open' ? 'open' : null,
		title: `${title} – ${network.name}`,
		heading: title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'citizen.feedbackList.participation'), href: `/${network.slug}/intern/beteiligung` }, { label: title })
	};
};

function run(state: 'open' | 'done') {
	return async (event: RequestEvent) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const id = String(data.get('id') ?? '');
		const u = new URL(event.url);
		const back = new URLSearchParams();
		if (u.searchParams.get('status') === 'erledigt') back.set('status', 'erledigt');
		const page = pageParam(u);
		if (page > 1) back.set('seite', String(page));
		back.set('ok', state);
		return actNamed(event, data, `${state}-${id}`, `${u.pathname}?${back}`, () => setFeedbackState(event.locals.actor, network.id, id, state));
	};
}

export const actions: Actions = {
	erledigt: run('done'),
	offen: run('open')
};
