// Deleting one's own post takes a confirmation step (this page); the POST deletes it softly.
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { deletePost, readablePost } from '$lib/server/exchange/posts';
import { canExchange } from '$lib/server/exchange/permissions';
import { postSubject } from '$lib/server/exchange/shared';
import { exchangeCrumbs, postAction } from '$lib/server/exchange/pages';
import { renderMarkdown } from '$lib/server/markdown';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const { thread, post } = await guard(event, () => readablePost(locals.actor, network.id, params.postId));
	if (!canExchange(locals.actor, 'exchange.post.delete', postSubject(thread, post))) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const title = translate(locals.locale, 'exchange.delete.title');
	return {
		thread: { id: thread.id, title: thread.title },
		post: { id: post.id, isOpening: post.isOpening, html: renderMarkdown(post.body) },
		title: `${title} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network, { label: thread.title, href: `/${network.slug}/intern/austausch/diskussionen/${thread.id}` }, { label: title })
	};
};

export const actions: Actions = {
	default: postAction('deleted', (actor, networkId, postId) => deletePost(actor, networkId, postId))
};
