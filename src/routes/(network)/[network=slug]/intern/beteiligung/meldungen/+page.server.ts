// The report queue: open (or handled) reports of ideas and comments in the municipalities the
// actor moderates. Each report can hide the comment or reject the idea (with a reason), or be
// dismissed; the service checks the permission again and resolves every report on that text.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { actNamed, guard } from '$lib/server/http/route';
import { clampPage, internCrumbs, networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { formObject } from '$lib/server/validation';
import { translate } from '$lib/i18n';
import { listReports, resolveReport, type ResolveAction } from '$lib/server/participation/reports';

const OK_KEYS = ['hide', 'reject', 'dismiss'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const state = url.searchParams.get('status') === 'erledigt' ? 'resolved' : 'open';
	const list = await guard(event, () => listReports(locals.actor, network.id, { state, page: pageParam(url) }));
	clampPage(url, list);
	const ok = url.searchParams.get('ok');
	const title = translate(locals.locale, 'reports.queue.title');
	return {
		list,
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${title} – ${network.name}`,
		heading: title,
		crumbs: internCrumbs(locals.locale, network, { label: title })
	};
};

function run(action: ResolveAction) {
	return async (event: RequestEvent) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const id = String(data.get('id') ?? '');
		// Back to the same page of the queue, with a note of what happened.
		const u = new URL(event.url);
		u.search = '';
		const page = pageParam(event.url);
		if (page > 1) u.searchParams.set('seite', String(page));
		u.searchParams.set('ok', action);
		return actNamed(event, data, `${action}-${id}`, u.pathname + u.search, () => resolveReport(event.locals.actor, network.id, id, action, formObject(data)));
	};
}

export const actions: Actions = {
	hide: run('hide'),
	reject: run('reject'),
	dismiss: run('dismiss')
};
