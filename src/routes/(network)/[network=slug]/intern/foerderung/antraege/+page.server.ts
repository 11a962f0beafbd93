// The network's funding applications: filters in the URL (shareable), paged, exportable.
import type { PageServerLoad } from './$types';
import { applicantBodyOptions, applicationFilterFromUrl, applicationFilterToQuery, listApplications, programmeOptions } from '$lib/server/funding/applications';
import { applicationBodyIds } from '$lib/server/funding/permissions';
import { clampPage, internCrumbs, pageParam } from '$lib/server/network/directory-pages';
import { guard } from '$lib/server/http/route';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const filter = applicationFilterFromUrl(url);
	const [applications, programmes, bodies] = await guard(event, () =>
		Promise.all([
			listApplications(locals.actor, network.id, { ...filter, page: pageParam(url) }),
			programmeOptions(locals.actor, network.id),
			applicantBodyOptions(locals.actor, network.id)
		])
	);
	clampPage(url, applications);
	const mine = applicationBodyIds(locals.actor, network.id);
	const title = translate(locals.locale, 'funding.applications.title');
	return {
		applications,
		programmes,
		bodies,
		filter,
		query: applicationFilterToQuery(filter).toString(),
		canApply: mine === null || mine.length > 0,
		deleted: url.searchParams.has('geloescht'),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'funding.title'), href: `/${network.slug}/intern/foerderung` }, { label: title })
	};
};
