// Edit one's own post (the opening post with the discussion's title). The version guards against a
// lost update: if the post changed meanwhile, the form comes back with the author's text kept and
// the newer version, so saving again is a deliberate overwrite.
import type { Actions, PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { renderMarkdown } from '$lib/server/markdown';
import { editablePost, editPost } from '$lib/server/exchange/posts';
import { exchangeCrumbs, postAction } from '$lib/server/exchange/pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const { thread, post } = await guard(event, () => editablePost(locals.actor, network.id, params.postId));
	const title = translate(locals.locale, 'exchange.edit.title');
	return {
		thread: { id: thread.id, title: thread.title },
		// html: the current text, shown read-only above the form when the version guard trips.
		post: { id: post.id, isOpening: post.isOpening, body: post.body, html: renderMarkdown(post.body), version: post.version },
		title: `${title} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network, { label: thread.title, href: `/${network.slug}/intern/austausch/diskussionen/${thread.id}` }, { label: title })
	};
};

export const actions: Actions = {
	default: postAction('saved', editPost)
};
