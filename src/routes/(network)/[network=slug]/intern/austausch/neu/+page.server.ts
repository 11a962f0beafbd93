// Start a discussion: topic (preselected by ?themenfeld=), title and the opening post. A failed save
// shows the messages beside the fields and keeps everything written (also a 1 MB text: refused
// with a message, never a server error).
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';
import { openTopics } from '$lib/server/exchange/topics';
import { createThread } from '$lib/server/exchange/threads';
import { exchangeCrumbs } from '$lib/server/exchange/pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const topics = await guard(event, () => openTopics(locals.actor, network.id));
	const wanted = url.searchParams.get('themenfeld') ?? '';
	const title = translate(locals.locale, 'exchange.thread.new');
	return {
		topics,
		topicId: topics.some((t) => t.id === wanted) ? wanted : '',
		title: `${title} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network, { label: title })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createThread(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/austausch/diskussionen/${r.thread.id}?ok=created`);
	}
};
