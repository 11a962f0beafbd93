// Emission factors of one year (?jahr=, GET): the coordinator keeps them, everyone in the working
// area may read them. Values above 1,5 kg/kWh are saved only when confirmed; a year can start as a
// copy of another ("aus Jahr X übernehmen"). Demo values are marked as examples.
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	FACTOR_WARN,
	FIRST_YEAR,
	copyFactors,
	factorField,
	factorNoteField,
	factorSourceField,
	lastYear,
	latestYears,
	listFactors,
	saveFactors
} from '$lib/server/balance/service';
import { act, guard, type FormFailure } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';
import { yearParam } from '../../kommunen/[ags]/bilanz/year';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const asked = yearParam(url.searchParams.get('jahr'));
	const year = asked !== null && asked >= FIRST_YEAR && asked <= lastYear() ? asked : ((await latestYears(locals.actor, network.id))[0] ?? lastYear() - 1);
	const factors = await guard(event, () => listFactors(locals.actor, network.id, year));
	const values: Record<string, string> = {};
	for (const r of factors.rows) {
		values[factorField(r.carrier)] = r.kgPerKwh === null ? '' : String(r.kgPerKwh).replace('.', ',');
		values[factorSourceField(r.carrier)] = r.source;
		values[factorNoteField(r.carrier)] = r.note;
	}
	const title = translate(locals.locale, 'balanceFactors.title');
	const notice = url.searchParams.get('hinweis');
	return {
		year,
		selectable: Array.from({ length: lastYear() - FIRST_YEAR + 1 }, (_, i) => lastYear() - i),
		copyFrom: factors.years.filter((y) => y !== year).reverse(),
		rows: factors.rows.map((r) => ({
			carrier: r.carrier,
			kgPerKwh: r.kgPerKwh,
			source: r.source,
			note: r.note,
			isExample: r.isExample,
			field: factorField(r.carrier),
			sourceField: factorSourceField(r.carrier),
			noteField: factorNoteField(r.carrier)
		})),
		values,
		warnAbove: FACTOR_WARN,
		canEdit: factors.canEdit,
		saved: notice === 'gespeichert',
		copied: notice === 'uebernommen' ? Number(url.searchParams.get('anzahl')) || 0 : null,
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'balancePage.overview.title'), href: `/${network.slug}/intern/bilanz` }, { label: title })
	};
};

export const actions: Actions = {
	save: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		// The redirect carries the year the service validated: the raw field may hold "2023\r\n".
		const r = await act(event, data, () => saveFactors(event.locals.actor, network.id, String(data.get('year') ?? ''), formObject(data)));
		if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId: 'save' });
		redirect(303, `/${network.slug}/intern/bilanz/faktoren?jahr=${r.year}&hinweis=gespeichert`);
	},
	copy: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => copyFactors(event.locals.actor, network.id, String(data.get('fromYear') ?? ''), String(data.get('toYear') ?? '')));
		if (failed(r)) return fail(400, { ...(r.data as FormFailure), formId: 'copy' });
		redirect(303, `/${network.slug}/intern/bilanz/faktoren?jahr=${r.year}&hinweis=uebernommen&anzahl=${r.copied}`);
	}
};
