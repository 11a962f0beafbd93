// Where every comment form posts (the comment section sits on idea and measure pages). Success
// returns to the page it came from (`back`, a path inside this network's portal only) at the
// comment; a failure without JavaScript shows this route's own page with the form, the error
// beside the field and the input kept.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act, type FormFailure } from '$lib/server/http/route';
import { failed, networkFromParams, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import { ForbiddenError } from '$lib/server/errors';
import {
	createComment,
	deleteComment,
	firstCommentPage,
	hideComment,
	replyToComment,
	unhideComment
} from '$lib/server/participation/comments';
import { safeNetworkPath } from '$lib/server/http/redirect';

export const load: PageServerLoad = async (event) => {
	const network = await networkFromParams(event);
	const title = translate(event.locals.locale, 'comments.page.title');
	return {
		network: { slug: network.slug, name: network.name },
		title,
		crumbs: publicCrumbs(event.locals.locale, network, { label: title })
	};
};

export type CommentFormId = 'create' | 'reply' | 'hide' | 'delete' | 'unhide';

export interface CommentPageFailure extends FormFailure {
	formId: CommentFormId;
	/** The validated page to return to. */
	back: string;
}

async function run(
	event: RequestEvent<{ network: string }>,
	formId: CommentFormId,
	command: (networkId: string, data: FormData) => Promise<{ id: string }>,
	returnTo: (back: string) => string = (b) => b
) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const back = safeNetworkPath(data.get('back'), network.slug);
	const r = await act(event, data, async () => {
		try {
			return await command(network.id, data);
		} catch (e) {
			// Someone signed out or without consent (a form left open in another tab): the page
			// itself shows the matching hint, and a visitor comes back to it after signing in.
			if (e instanceof ForbiddenError && e.message.startsWith('participation.')) {
				if (e.message === 'participation.signed_out') redirect(303, `/anmelden?weiter=${encodeURIComponent(back)}`);
				redirect(303, `${back}#kommentar-schreiben`);
			}
			throw e;
		}
	});
	if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId, back } satisfies CommentPageFailure);
	redirect(303, `${returnTo(back)}#kommentar-${r.id}`);
}

const ctx = (event: RequestEvent) => ({ ip: event.getClientAddress() });
const commentId = (data: FormData) => String(data.get('commentId') ?? '');

export const actions: Actions = {
	create: (event) => run(event, 'create', (networkId, data) => createComment(event.locals.actor, networkId, data, ctx(event)), firstCommentPage),
	reply: (event) => run(event, 'reply', (networkId, data) => replyToComment(event.locals.actor, networkId, data, ctx(event))),
	delete: (event) => run(event, 'delete', (networkId, data) => deleteComment(event.locals.actor, networkId, commentId(data))),
	hide: (event) => run(event, 'hide', (networkId, data) => hideComment(event.locals.actor, networkId, commentId(data), data)),
	unhide: (event) => run(event, 'unhide', (networkId, data) => unhideComment(event.locals.actor, networkId, commentId(data)))
};
