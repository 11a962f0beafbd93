// The coordinator's pledge actions: create, edit, order, archive and reactivate, with the number
// of pledges each has. Every form posts here; the service checks the permission again.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	createPledgeAction,
	listPledgeActions,
	movePledgeAction,
	pledgeActionAsForm,
	pledgeTotals,
	setPledgeActionActive,
	updatePledgeAction
} from '$lib/server/participation/pledges';
import { actNamed, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

const OK_KEYS = ['created', 'saved', 'archived', 'reactivated', 'moved'] as const;
type OkKey = (typeof OK_KEYS)[number];

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const [actions, totals] = await guard(event, () => Promise.all([listPledgeActions(locals.actor, network.id, { withArchived: true }), pledgeTotals(network.id)]));
	const counts = new Map(totals.byAction.map((a) => [a.actionId, a.pledges]));
	const ok = url.searchParams.get('ok');
	const title = translate(locals.locale, 'portal.pledgeAction.heading');
	return {
		actions: actions.map((a) => ({ ...a, pledges: counts.get(a.id) ?? 0, form: pledgeActionAsForm(a) })),
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? (ok as OkKey) : null,
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'ideas.mod.title'), href: `/${network.slug}/intern/beteiligung` },
			{ label: title }
		)
	};
};

/** Runs one of the page's forms; the failure names the form, success redirects with a message. */
async function run(event: RequestEvent, formId: (data: FormData) => string, ok: OkKey, fn: (input: Record<string, string | string[]>, networkId: string, data: FormData) => Promise<unknown>) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	return actNamed(event, data, formId(data), `/${network.slug}/intern/beteiligung/zusagen?ok=${ok}`, () => fn(formObject(data), network.id, data));
}

const idOf = (data: FormData) => String(data.get('id') ?? '');

export const actions: Actions = {
	create: (event) => run(event, () => 'create', 'created', (input, networkId) => createPledgeAction(event.locals.actor, networkId, input)),
	update: (event) =>
		run(event, (d) => `edit-${idOf(d)}`, 'saved', (input, networkId, d) => updatePledgeAction(event.locals.actor, networkId, idOf(d), input)),
	archive: (event) => run(event, () => 'state', 'archived', (_i, networkId, d) => setPledgeActionActive(event.locals.actor, networkId, idOf(d), false)),
	reactivate: (event) => run(event, () => 'state', 'reactivated', (_i, networkId, d) => setPledgeActionActive(event.locals.actor, networkId, idOf(d), true)),
	move: (event) =>
		run(event, () => 'move', 'moved', (_i, networkId, d) => movePledgeAction(event.locals.actor, networkId, idOf(d), d.get('direction') === 'up' ? 'up' : 'down'))
};
