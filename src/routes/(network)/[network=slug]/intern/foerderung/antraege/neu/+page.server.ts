// Record an application: ?programm=<id> names the programme; without it the page asks for one.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { applicationFormOptions, createApplication } from '$lib/server/funding/applications';
import { listProgrammes } from '$lib/server/funding/programmes';
import { applicationBodyIds } from '$lib/server/funding/permissions';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { isUuid } from '$lib/server/ids';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const mine = applicationBodyIds(locals.actor, network.id);
	if (mine !== null && !mine.length) error(403, 'Für diese Seite fehlt Ihnen die Berechtigung.');
	const programmeId = url.searchParams.get('programm') ?? '';
	const base = `/${network.slug}/intern/foerderung`;
	const title = translate(locals.locale, 'funding.application.new');
	const crumbs = internCrumbs(
		locals.locale,
		network,
		{ label: translate(locals.locale, 'funding.title'), href: base },
		{ label: translate(locals.locale, 'funding.applications.title'), href: `${base}/antraege` },
		{ label: title }
	);
	if (!isUuid(programmeId)) {
		// A network has a handful of programmes: the first hundred active ones to choose from.
		const programmes = await guard(event, () => listProgrammes(locals.actor, network.id, { pageSize: 100 }));
		return { choose: true as const, programmes: programmes.items.map((p) => ({ id: p.id, title: p.title })), options: null, title, crumbs };
	}
	const options = await guard(event, () => applicationFormOptions(locals.actor, network.id, programmeId));
	if (options.programme.archivedAt) error(404, 'Nicht gefunden');
	// ?kommune=<AGS> preselects the body.
	const ags = url.searchParams.get('kommune') ?? '';
	return {
		choose: false as const,
		programmes: [],
		options: { ...options, programme: { id: options.programme.id, title: options.programme.title } },
		preselected: options.bodies.find((b) => b.ags === ags)?.id ?? '',
		title,
		crumbs
	};
};

export const actions: Actions = {
	create: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createApplication(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/foerderung/antraege/${r.id}?ok=created`);
	}
};
