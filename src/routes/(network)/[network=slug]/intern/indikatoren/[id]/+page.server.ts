// One indicator: chart with its data table, values, goals and linked measures. Editors add, change
// and delete values and goals and attach measures here; every change is a plain POST form that
// redirects back (works without JavaScript), deletions ask first via ?wert-loeschen= / ?ziel-loeschen=.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import {
	addValue,
	attachableMeasures,
	attachMeasure,
	deleteGoal,
	deleteValue,
	detachMeasure,
	getIndicator,
	setGoal,
	updateValue
} from '$lib/server/measures/indicators';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { internCrumbs, networkFromParams, failed } from '$lib/server/network/directory-pages';
import { todayIso } from '$lib/server/network/directory-shared';
import { translate } from '$lib/i18n';

/** Confirmations after a redirect (?hinweis=…); anything else in the URL is ignored. */
const NOTICES = ['angelegt', 'gespeichert', 'wert-gespeichert', 'wert-geloescht', 'ziel-gespeichert', 'ziel-geloescht', 'massnahme-verknuepft', 'massnahme-geloest'] as const;

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const indicator = await guard(event, () => getIndicator(locals.actor, network.id, params.id));
	const edit = indicator.canEdit;
	const attachable = edit ? await guard(event, () => attachableMeasures(locals.actor, network.id, indicator.id)) : [];
	const notice = url.searchParams.get('hinweis');
	return {
		indicator,
		attachable,
		editValue: edit ? (indicator.values.find((v) => v.id === url.searchParams.get('wert')) ?? null) : null,
		confirmValue: edit ? (indicator.values.find((v) => v.id === url.searchParams.get('wert-loeschen')) ?? null) : null,
		confirmGoal: edit ? (indicator.goals.find((g) => g.id === url.searchParams.get('ziel-loeschen')) ?? null) : null,
		notice: (NOTICES as readonly string[]).includes(notice ?? '') ? notice : null,
		today: todayIso(),
		title: `${indicator.name} – ${indicator.bodyName}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'indicator.list.title'), href: `/${network.slug}/intern/indikatoren` },
			{ label: indicator.name }
		)
	};
};

/** Runs one command of this page and redirects back to the section it changed. */
async function command(event: RequestEvent, fn: (networkId: string, data: FormData) => Promise<unknown>, notice: (typeof NOTICES)[number], anchor: string) {
	const network = await networkFromParams(event);
	const data = await event.request.formData();
	const r = await act(event, data, () => fn(network.id, data));
	if (failed(r)) return r;
	redirect(303, `/${network.slug}/intern/indikatoren/${event.params.id}?hinweis=${notice}#${anchor}`);
}

const field = (data: FormData, name: string) => String(data.get(name) ?? '');

export const actions: Actions = {
	addValue: (event) => command(event, (n, d) => addValue(event.locals.actor, n, event.params.id, formObject(d)), 'wert-gespeichert', 'werte'),
	updateValue: (event) => command(event, (n, d) => updateValue(event.locals.actor, n, field(d, 'valueId'), formObject(d), { indicatorId: event.params.id }), 'wert-gespeichert', 'werte'),
	deleteValue: (event) => command(event, (n, d) => deleteValue(event.locals.actor, n, field(d, 'valueId'), event.params.id), 'wert-geloescht', 'werte'),
	setGoal: (event) => command(event, (n, d) => setGoal(event.locals.actor, n, event.params.id, formObject(d)), 'ziel-gespeichert', 'ziele'),
	deleteGoal: (event) => command(event, (n, d) => deleteGoal(event.locals.actor, n, field(d, 'goalId'), event.params.id), 'ziel-geloescht', 'ziele'),
	attach: (event) => command(event, (n, d) => attachMeasure(event.locals.actor, n, event.params.id, field(d, 'measureId')), 'massnahme-verknuepft', 'massnahmen'),
	detach: (event) => command(event, (n, d) => detachMeasure(event.locals.actor, n, event.params.id, field(d, 'measureId')), 'massnahme-geloest', 'massnahmen')
};
