// One application: facts, and links to measures (and other records).
import type { Actions, PageServerLoad } from './$types';
import { getApplication } from '$lib/server/funding/applications';
import { listLinks } from '$lib/server/links/service';
import { linkActions } from '$lib/server/links/actions';
import { guard } from '$lib/server/http/route';
import { internCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

const OK_KEYS = ['created', 'saved', 'linkAdded', 'linkRemoved'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const application = await guard(event, () => getApplication(locals.actor, network.id, params.id));
	const links = await listLinks(locals.actor, { type: 'funding_application', id: application.id });
	const ok = url.searchParams.get('ok');
	const base = `/${network.slug}/intern/foerderung`;
	const name = `${application.body.name}: ${application.title || application.programme.title}`;
	return {
		application,
		links,
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${name} – ${network.name}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'funding.title'), href: base },
			{ label: translate(locals.locale, 'funding.applications.title'), href: `${base}/antraege` },
			{ label: name }
		)
	};
};

export const actions: Actions = {
	...linkActions({
		ref: (event) => ({ type: 'funding_application', id: event.params.id! }),
		check: (event, networkId) => getApplication(event.locals.actor, networkId, event.params.id!),
		here: (event, network) => `/${network.slug}/intern/foerderung/antraege/${event.params.id}`
	})
};
