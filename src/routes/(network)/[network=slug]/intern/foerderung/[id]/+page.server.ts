// One funding programme: facts, rates, eligibility, its windows (coordinators add, edit and delete
// them here; deleting asks first on the page itself, ?frist-loeschen=<window id>, so it works
// without JavaScript), the towns' applications to it, and links to other records.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { addWindow, deleteWindow, getProgramme, updateWindow } from '$lib/server/funding/programmes';
import { listLinks } from '$lib/server/links/service';
import { linkActions } from '$lib/server/links/actions';
import { renderMarkdown } from '$lib/server/markdown';
import { actNamed, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

const OK_KEYS = ['created', 'saved', 'archived', 'restored', 'windowAdded', 'windowSaved', 'windowDeleted', 'linkAdded', 'linkRemoved'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const detail = await guard(event, () => getProgramme(locals.actor, network.id, params.id));
	const links = await listLinks(locals.actor, { type: 'funding_programme', id: detail.programme.id });
	const ok = url.searchParams.get('ok');
	const p = detail.programme;
	const toDelete = detail.canManage ? detail.windows.find((w) => w.id === url.searchParams.get('frist-loeschen')) : undefined;
	return {
		...detail,
		links,
		/** The window whose deletion is being confirmed, with how many applications (any state) chose it. */
		confirmDeleteWindow: toDelete
			? { id: toDelete.id, closesOn: toDelete.closesOn, applications: detail.applications.filter((a) => a.windowId === toDelete.id).length }
			: null,
		eligibilityHtml: renderMarkdown(p.eligibility),
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${p.title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'funding.title'), href: `/${network.slug}/intern/foerderung` }, { label: p.title })
	};
};

function run(event: RequestEvent<{ network: string; id: string }>, formId: string, okKey: (typeof OK_KEYS)[number], fn: (input: Record<string, string | string[]>, networkId: string) => Promise<unknown>) {
	return networkFromParams(event).then(async (network) => {
		const data = await event.request.formData();
		const done = `/${network.slug}/intern/foerderung/${event.params.id}?ok=${okKey}#fristen`;
		return actNamed(event, data, formId, done, () => fn(formObject(data), network.id));
	});
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export const actions: Actions = {
	addWindow: (event) => run(event, 'window-new', 'windowAdded', (input, networkId) => addWindow(event.locals.actor, networkId, event.params.id, input)),
	updateWindow: async (event) => {
		const data = await event.request.clone().formData();
		const windowId = String(data.get('windowId') ?? '');
		return run(event, `window-${windowId}`, 'windowSaved', (input, networkId) => updateWindow(event.locals.actor, networkId, event.params.id, windowId, input));
	},
	deleteWindow: (event) =>
		run(event, 'window-delete', 'windowDeleted', (input, networkId) => deleteWindow(event.locals.actor, networkId, event.params.id, str(input.windowId))),
	...linkActions({
		ref: (event) => ({ type: 'funding_programme', id: event.params.id! }),
		check: (event, networkId) => getProgramme(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/foerderung/${event.params.id}`
	})
};
