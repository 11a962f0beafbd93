// One meeting: facts (Berlin time, place, online link, status), the agenda with durations and the
// over-length warning, attachments, links to other records, and the sections of the meeting work
// (participation, minutes). Coordinators manage everything here; members propose agenda items.
import { fail, isActionFailure, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getMeeting, markMeetingHeld, reopenMeeting } from '$lib/server/meetings/meetings';
import { addAgendaItem, addFollowUpsToAgenda, getAgenda, moveAgendaItem, presenterOptions } from '$lib/server/meetings/agenda';
import { ATTACHMENT_ACCEPT, deleteAttachment, isBodyTooLarge, listAttachments, TOO_LARGE, uploadAttachment, uploadTooLarge } from '$lib/server/meetings/attachments';
import { listOpenFollowUps } from '$lib/server/meetings/follow-ups';
import { participationView } from '$lib/server/meetings/answers';
import { invitationsBehind } from '$lib/server/meetings/invitations';
import { minutesView } from '$lib/server/meetings/minutes';
import { listLinks } from '$lib/server/links/service';
import { linkActions, LINK_OK_KEYS } from '$lib/server/links/actions';
import { renderMarkdown } from '$lib/server/markdown';
import { act, actNamed, guard, type FormFailure, type NamedFormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { ValidationError } from '$lib/server/errors';
import { internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

const OK_KEYS = ['created', 'saved', 'cancelled', 'cancelledNotified', 'reopened', 'held', 'itemAdded', 'itemProposed', 'itemSaved', 'itemDeleted', 'itemMoved', 'followUpsAdded', 'uploaded', 'fileDeleted', ...LINK_OK_KEYS] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	// Loaded once; the views below take the row instead of loading it again.
	const meeting = await guard(event, () => getMeeting(locals.actor, network.id, params.id));
	const ref = { type: 'meeting', id: meeting.id };
	const [agenda, attachments, links, participation, minutes, behind] = await Promise.all([
		getAgenda(locals.actor, network.id, meeting),
		listAttachments(locals.actor, network.id, meeting),
		listLinks(locals.actor, ref),
		// The meeting work (invitations, answers, minutes, follow-ups): meetings/answers.ts and minutes.ts.
		participationView(locals.actor, network.id, meeting),
		minutesView(locals.actor, network.id, meeting),
		// Invited people who were mailed an older state: the coordinators are offered to send again.
		meeting.canManage ? invitationsBehind(meeting) : 0
	]);
	const presenters = agenda.canPropose ? await presenterOptions(locals.actor, network.id) : { people: [], bodies: [] };
	// Open follow-ups not yet on this agenda, for the coordinators' "pull into the agenda" form.
	let openFollowUps: { id: string; title: string; owner: string | null; dueOn: string | null; overdue: boolean }[] = [];
	if (meeting.canManage && !meeting.isPast && (meeting.status === 'planned' || meeting.status === 'invited')) {
		const onAgenda = new Set(agenda.items.map((i) => i.followUp?.id).filter(Boolean));
		const page = await listOpenFollowUps(locals.actor, network.id, { pageSize: 100 });
		openFollowUps = page.items
			.filter((f) => !onAgenda.has(f.id))
			.map((f) => ({ id: f.id, title: f.title, owner: f.ownerPersonName ?? f.ownerBodyName, dueOn: f.dueOn, overdue: f.overdue }));
	}
	const ok = url.searchParams.get('ok');
	const label = translate(locals.locale, 'meetings.title');
	return {
		meeting,
		descriptionHtml: renderMarkdown(meeting.description),
		started: meeting.startsAt.getTime() <= Date.now(),
		agenda,
		invitationsBehind: behind,
		participation,
		minutes,
		presenters,
		openFollowUps,
		attachments,
		accept: ATTACHMENT_ACCEPT,
		links,
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${meeting.title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label, href: `/${network.slug}/intern/treffen` }, { label: meeting.title })
	};
};

type Event = RequestEvent<{ network: string; id: string }>;
type OkKey = (typeof OK_KEYS)[number];

/** Runs a command of one of the page's forms; success redirects with ?ok=<key returned>#anchor, failure names the form. */
async function run(event: Event, formId: string, anchor: string, fn: (input: Record<string, string | string[]>, networkId: string) => Promise<OkKey>) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const r = await act(event, data, () => fn(formObject(data), network.id));
	if (isActionFailure(r)) return fail(400, { ...(r.data as unknown as FormFailure), formId });
	redirect(303, `/${network.slug}/intern/treffen/${event.params.id}?ok=${r}#${anchor}`);
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

function tooLarge() {
	const failure: NamedFormFailure = { formId: 'upload', values: {}, lists: {}, errors: TOO_LARGE };
	return fail(413, failure);
}

export const actions: Actions = {
	reopen: (event) =>
		run(event, 'reopen', 'steckbrief', async (input, networkId) => {
			await reopenMeeting(event.locals.actor, networkId, event.params.id, input);
			return 'reopened';
		}),
	markHeld: (event) =>
		run(event, 'held', 'steckbrief', async (input, networkId) => {
			await markMeetingHeld(event.locals.actor, networkId, event.params.id, input);
			return 'held';
		}),
	addItem: (event) =>
		run(event, 'item-new', 'tagesordnung', async (input, networkId) => {
			const item = await addAgendaItem(event.locals.actor, networkId, event.params.id, input);
			return item.proposedBy ? 'itemProposed' : 'itemAdded';
		}),
	moveItem: (event) =>
		run(event, 'item-move', 'tagesordnung', async (input, networkId) => {
			await moveAgendaItem(event.locals.actor, networkId, event.params.id, str(input.itemId), str(input.direction) === 'up' ? 'up' : 'down');
			return 'itemMoved';
		}),
	addFollowUps: (event) =>
		run(event, 'followups', 'tagesordnung', async (input, networkId) => {
			await addFollowUpsToAgenda(event.locals.actor, networkId, event.params.id, input.followUpIds ?? []);
			return 'followUpsAdded';
		}),
	upload: async (event) => {
		const network = await networkFromParams(event);
		// Answer a too large upload before reading it (and before the adapter's body limit ends it with a bare 413).
		if (uploadTooLarge(event.request)) return tooLarge();
		let data: FormData;
		try {
			data = await event.request.formData();
		} catch (e) {
			if (isBodyTooLarge(e)) return tooLarge();
			throw e;
		}
		const done = `/${network.slug}/intern/treffen/${event.params.id}?ok=uploaded#anhaenge`;
		return actNamed(event, data, 'upload', done, async () => {
			const file = data.get('file');
			if (!(file instanceof File) || file.size === 0) throw new ValidationError({ file: 'meetings.files.empty' });
			return uploadAttachment(event.locals.actor, network.id, event.params.id, {
				filename: file.name,
				contentType: file.type,
				bytes: Buffer.from(await file.arrayBuffer())
			});
		});
	},
	deleteFile: (event) =>
		run(event, 'file-delete', 'anhaenge', async (input, networkId) => {
			await deleteAttachment(event.locals.actor, networkId, event.params.id, str(input.fileId));
			return 'fileDeleted';
		}),
	...linkActions({
		ref: (event) => ({ type: 'meeting', id: event.params.id! }),
		check: (event, networkId) => getMeeting(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/treffen/${event.params.id}`
	})
};
