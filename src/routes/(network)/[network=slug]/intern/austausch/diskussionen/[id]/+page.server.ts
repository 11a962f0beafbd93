// One discussion: the question, the marked answer right under it, the posts 50 a page with
// #beitrag-<id> anchors (?beitrag=<id> opens the page that post is on), the reply form, follow,
// "Hat geholfen", the coordinators' moderation, attachments and links to other records. Every form
// posts here and works without JavaScript; every rule is checked again in the services.
import { fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actNamed, guard } from '$lib/server/http/route';
import { ValidationError } from '$lib/server/errors';
import { networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { listLinks } from '$lib/server/links/service';
import { linkActions } from '$lib/server/links/actions';
import { getThread, markAnswer, moveThread, setThreadHidden, setThreadLocked } from '$lib/server/exchange/threads';
import { answerOf, listPosts, pageOfPost, replyToThread, setPostHidden } from '$lib/server/exchange/posts';
import { setFollowing } from '$lib/server/exchange/follows';
import { openTopics } from '$lib/server/exchange/topics';
import { ATTACHMENT_ACCEPT, deleteThreadFile, isBodyTooLarge, listThreadFiles, TOO_LARGE, uploadThreadFile, uploadTooLarge } from '$lib/server/exchange/attachments';
import { exchangeCrumbs, okParam, runForm, str } from '$lib/server/exchange/pages';
import { isUuid } from '$lib/server/ids';

const OK = ['created', 'replied', 'answered', 'unanswered', 'followed', 'unfollowed', 'hidden', 'shown', 'locked', 'unlocked', 'moved', 'uploaded', 'fileDeleted', 'deleted', 'saved', 'linkAdded', 'linkRemoved'] as const;
type Ok = (typeof OK)[number];

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const actor = locals.actor;
	const thread = await guard(event, () => getThread(actor, network.id, params.id));
	const wanted = url.searchParams.get('beitrag');
	const page = wanted && isUuid(wanted) ? await pageOfPost(actor, network.id, thread.id, wanted) : pageParam(url);
	const [posts, answer, links, files, topics] = await Promise.all([
		listPosts(actor, network.id, thread.id, { page }),
		answerOf(actor, thread),
		listLinks(actor, { type: 'thread', id: thread.id }),
		listThreadFiles(actor, network.id, thread.id),
		thread.can.moderate ? openTopics(actor, network.id) : Promise.resolve([])
	]);
	return {
		thread,
		posts,
		answer,
		links,
		files,
		topics,
		accept: ATTACHMENT_ACCEPT,
		ok: okParam(url, OK),
		title: `${thread.title} – ${network.name}`,
		crumbs: exchangeCrumbs(locals.locale, network, { label: thread.topic.title, href: `/${network.slug}/intern/austausch/themenfelder/${thread.topic.id}` }, { label: thread.title })
	};
};

/**
 * Runs one of the page's forms (runForm): success goes back to this thread at `anchor`, or to the
 * address `anchor` builds from the result.
 */
function run<T>(event: RequestEvent, formId: string, ok: Ok, anchor: string | ((r: T) => string), fn: (input: Record<string, string | string[]>, networkId: string) => Promise<T>) {
	return runForm(event, formId, fn, (r, slug) => {
		const to = typeof anchor === 'function' ? anchor(r) : `?ok=${ok}#${anchor}`;
		return `/${slug}/intern/austausch/diskussionen/${event.params.id}${to.startsWith('?') ? to : `?ok=${ok}&${to}`}`;
	});
}

export const actions: Actions = {
	reply: (event) =>
		run(event, 'reply', 'replied', (p: { id: string }) => `beitrag=${p.id}#beitrag-${p.id}`, (input, networkId) => replyToThread(event.locals.actor, networkId, event.params.id!, input)),
	answer: (event) =>
		run(event, 'answer', 'answered', 'antwort', (input, networkId) => markAnswer(event.locals.actor, networkId, event.params.id!, str(input.postId))),
	unanswer: (event) => run(event, 'answer', 'unanswered', 'frage', (_input, networkId) => markAnswer(event.locals.actor, networkId, event.params.id!, null)),
	follow: (event) => run(event, 'follow', 'followed', 'frage', (_input, networkId) => setFollowing(event.locals.actor, networkId, event.params.id!, true)),
	unfollow: (event) => run(event, 'follow', 'unfollowed', 'frage', (_input, networkId) => setFollowing(event.locals.actor, networkId, event.params.id!, false)),
	hidePost: async (event) => {
		const postId = String((await event.request.clone().formData()).get('postId') ?? '');
		return run(event, `hide-${postId}`, 'hidden', `beitrag-${postId}`, (input, networkId) => setPostHidden(event.locals.actor, networkId, postId, true, str(input.reason)));
	},
	showPost: async (event) => {
		const postId = String((await event.request.clone().formData()).get('postId') ?? '');
		return run(event, `hide-${postId}`, 'shown', `beitrag-${postId}`, (_input, networkId) => setPostHidden(event.locals.actor, networkId, postId, false));
	},
	hideThread: (event) => run(event, 'moderate', 'hidden', 'moderation', (input, networkId) => setThreadHidden(event.locals.actor, networkId, event.params.id!, true, str(input.reason))),
	showThread: (event) => run(event, 'moderate', 'shown', 'moderation', (_input, networkId) => setThreadHidden(event.locals.actor, networkId, event.params.id!, false)),
	lock: (event) => run(event, 'moderate', 'locked', 'moderation', (_input, networkId) => setThreadLocked(event.locals.actor, networkId, event.params.id!, true)),
	unlock: (event) => run(event, 'moderate', 'unlocked', 'moderation', (_input, networkId) => setThreadLocked(event.locals.actor, networkId, event.params.id!, false)),
	move: (event) => run(event, 'move', 'moved', 'moderation', (input, networkId) => moveThread(event.locals.actor, networkId, event.params.id!, str(input.topicId))),
	upload: async (event) => {
		const network = await networkFromParams(event);
		const tooLarge = () => fail(400, { values: {}, lists: {}, errors: TOO_LARGE, formId: 'upload' });
		// Answer a too large upload before reading it (and before the adapter's body limit ends it with a bare 413).
		if (uploadTooLarge(event.request)) return tooLarge();
		let data: FormData;
		try {
			data = await event.request.formData();
		} catch (e) {
			if (isBodyTooLarge(e)) return tooLarge();
			throw e;
		}
		const done = `/${network.slug}/intern/austausch/diskussionen/${event.params.id}?ok=uploaded#anhaenge`;
		return actNamed(event, data, 'upload', done, async () => {
			const file = data.get('file');
			// No file chosen (browsers send an unnamed empty part) is not the same as an empty file.
			if (!(file instanceof File) || (file.size === 0 && !file.name)) throw new ValidationError({ file: 'exchange.files.empty' });
			if (file.size === 0) throw new ValidationError({ file: 'exchange.files.emptyFile' });
			return uploadThreadFile(event.locals.actor, network.id, event.params.id, { filename: file.name, contentType: file.type, bytes: Buffer.from(await file.arrayBuffer()) });
		});
	},
	deleteFile: (event) => run(event, 'file-delete', 'fileDeleted', 'anhaenge', (input, networkId) => deleteThreadFile(event.locals.actor, networkId, event.params.id!, str(input.fileId))),
	...linkActions({
		ref: (event) => ({ type: 'thread', id: event.params.id! }),
		check: (event, networkId) => getThread(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/austausch/diskussionen/${event.params.id}`
	})
};
