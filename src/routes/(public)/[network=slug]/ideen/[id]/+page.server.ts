// One idea on the portal: text, place, photo, author, supports (with the support form), what became
// of it (merged into another idea, or the measure with its progress), comments and following.
// Pending and rejected ideas only for their author and the moderators (404 for everyone else).
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { actNamed, guard } from '$lib/server/http/route';
import { cacheForVisitors, networkFromParams, publicCrumbs } from '$lib/server/network/directory-pages';
import { renderMarkdown } from '$lib/server/markdown';
import { getIdea, isVisibleState } from '$lib/server/participation/ideas';
import { supportIdea, withdrawSupport } from '$lib/server/participation/supports';
import { participantState } from '$lib/server/participation/participant';
import { loadCommentSection } from '$lib/server/participation/comments';
import { followState } from '$lib/server/participation/follows';
import { translate } from '$lib/i18n';

const OK_KEYS = ['created', 'supported', 'withdrawn'] as const;

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const actor = locals.actor;
	// getIdea returns the page's public shape (no account ids); the text goes out rendered only.
	const { body, ...idea } = await guard(event, () => getIdea(actor, network.id, params.id));
	const visible = isVisibleState(idea.state);
	const target = { type: 'idea' as const, id: idea.id, networkId: network.id };
	const [participant, comments, follow] = await Promise.all([
		participantState(actor),
		visible ? guard(event, () => loadCommentSection(actor, target, url)) : Promise.resolve(null),
		visible ? followState(actor, target) : Promise.resolve(null)
	]);
	// Visitors see the same page as everybody without an account: the shared cache may keep it.
	cacheForVisitors(event);
	const ok = url.searchParams.get('ok');
	const label = translate(locals.locale, 'ideas.list.title');
	return {
		network: { slug: network.slug, name: network.name },
		idea,
		bodyHtml: renderMarkdown(body),
		participant,
		comments,
		follow,
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		back: url.pathname,
		title: `${idea.title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label, href: `/${network.slug}/ideen` }, { label: idea.title })
	};
};

function run(event: RequestEvent, okKey: (typeof OK_KEYS)[number], fn: (networkId: string) => Promise<unknown>) {
	return networkFromParams(event).then(async (network) => {
		const data = await event.request.formData();
		const done = `/${network.slug}/ideen/${event.params.id}?ok=${okKey}#unterstuetzung`;
		return actNamed(event, data, 'support', done, () => fn(network.id));
	});
}

export const actions: Actions = {
	support: (event) => run(event, 'supported', (networkId) => supportIdea(event.locals.actor, networkId, event.params.id ?? '', { ip: event.getClientAddress() })),
	withdraw: (event) => run(event, 'withdrawn', (networkId) => withdrawSupport(event.locals.actor, networkId, event.params.id ?? ''))
};
