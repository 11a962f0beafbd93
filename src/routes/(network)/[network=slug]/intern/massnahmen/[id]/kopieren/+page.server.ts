// Copy a measure of another town into one of the actor's own concepts ("als Vorlage übernehmen").
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getMeasure } from '$lib/server/measures/measures';
import { copyMeasure, copyTargets } from '$lib/server/measures/copy';
import { act, guard } from '$lib/server/http/route';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params } = event;
	const { network } = await parent();
	const source = await guard(event, () => getMeasure(locals.actor, network.id, params.id));
	const targets = await guard(event, () => copyTargets(locals.actor, network.id));
	// Preselect only when there is a single target: a preselected field of one concept would
	// otherwise be refused after a no-JS user picks another concept.
	const only = targets.length === 1 ? targets[0] : null;
	const sameTheme = only && source.field ? only.fields.find((f) => f.theme === source.field!.theme) : undefined;
	const base = `/${network.slug}/intern/massnahmen`;
	return {
		source: { id: source.id, code: source.code, title: source.title, bodyName: source.bodyName, conceptTitle: source.conceptTitle },
		targets,
		defaults: { conceptId: only?.id ?? '', code: source.code, fieldId: sameTheme?.id ?? '' },
		title: translate(locals.locale, 'copy.title', { code: source.code }),
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'copy.crumbList'), href: base },
			{ label: `${source.code} ${source.title}`, href: `${base}/${source.id}` },
			{ label: translate(locals.locale, 'copy.crumb') }
		)
	};
};

export const actions: Actions = {
	copy: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const str = (k: string) => {
			const v = data.get(k);
			return typeof v === 'string' ? v : '';
		};
		const r = await act(event, data, () =>
			copyMeasure(event.locals.actor, network.id, event.params.id, str('conceptId'), { code: str('code'), fieldId: str('fieldId') })
		);
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/massnahmen/${r.id}?ok=copied`);
	}
};
