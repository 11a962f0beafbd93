// The history of a post: its current text and every earlier one, newest first. Everyone who may read
// the discussion may read it, 10 earlier texts a page; a deleted post's history only its author and coordinators.
import type { PageServerLoad } from './$types';
import { guard } from '$lib/server/http/route';
import { pageParam } from '$lib/server/paging';
import { listRevisions } from '$lib/server/exchange/posts';
import { exchangeCrumbs } from '$lib/server/exchange/pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const { thread, post, revisions } = await guard(event, () => listRevisions(locals.actor, network.id, params.postId, { page: pageParam(url) }));
	const title = translate(locals.locale, 'exchange.history.title');
	return {
		thread: { id: thread.id, title: thread.title },
		post: { id: post.id, html: post.html, deleted: !!post.deletedAt, editedAt: post.editedAt, createdAt: post.createdAt },
		revisions,
		title: `${title} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network, { label: thread.title, href: `/${network.slug}/intern/austausch/diskussionen/${thread.id}` }, { label: title })
	};
};
