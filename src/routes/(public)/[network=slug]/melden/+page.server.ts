// Reporting an idea or a comment: anyone may, also without an account. The page shows what is
// reported (a short excerpt) and a reason; success leads to a thank-you page.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { act, guard } from '$lib/server/http/route';
import { failed, networkFromParams, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import { createReport, reportPage, REPORT_REASONS } from '$lib/server/participation/reports';

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	const network = await networkFromParams(event);
	const typ = url.searchParams.get('typ') ?? '';
	const id = url.searchParams.get('id') ?? '';
	const page = await guard(event, () => reportPage(locals.actor, network.id, typ, id));
	const title = translate(locals.locale, 'reports.page.title');
	return {
		network: { slug: network.slug, name: network.name },
		...page,
		reasons: REPORT_REASONS,
		signedIn: !!locals.actor.userId,
		title,
		crumbs: publicCrumbs(locals.locale, network, { label: title })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => createReport(event.locals.actor, network.id, data, { ip: event.getClientAddress() }));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/melden/danke?zurueck=${encodeURIComponent(r.path)}`);
	}
};
