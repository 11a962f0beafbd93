// Pledges in the portal: the actions to commit to, the totals per action and town, and the form.
// With an account (consent given) a pledge counts once per action; without one the town and the
// postcode are all we ask.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { bodyOptions } from '$lib/server/network/directory';
import { listPledgeActions, myPledgedActionIds, pledge, pledgeTotals, pledgeTotalsByBody } from '$lib/server/participation/pledges';
import { participantState } from '$lib/server/participation/participant';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { cacheForVisitors, failed, networkFromParams, publicCrumbs } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	// Visitors share one cached page; signed-in people see whether they pledged already.
	cacheForVisitors(event);
	const [actions, totals, byBody, bodies, participant, mine] = await Promise.all([
		listPledgeActions(locals.actor, network.id),
		pledgeTotals(network.id),
		pledgeTotalsByBody(network.id),
		bodyOptions(locals.actor, network.id),
		participantState(locals.actor),
		myPledgedActionIds(locals.actor, network.id)
	]);
	const thanks = Number(url.searchParams.get('danke'));
	const title = translate(locals.locale, 'portal.pledge.title');
	return {
		network: { slug: network.slug, name: network.name },
		actions: actions.map((a) => ({ id: a.id, title: a.title, description: a.description, savingsKg: a.savingsKg, theme: a.theme })),
		totals,
		byBody,
		bodies: bodies.map((b) => ({ id: b.id, name: b.name })),
		withAccount: participant === 'ok',
		signedIn: participant !== 'signed_out',
		mine,
		thanks: Number.isInteger(thanks) && thanks > 0 && thanks <= 50 ? thanks : 0,
		title: `${title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label: title })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => pledge(event.locals.actor, network.id, formObject(data), { ip: event.getClientAddress() }));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/zusagen?danke=${r.count}#danke`);
	}
};
