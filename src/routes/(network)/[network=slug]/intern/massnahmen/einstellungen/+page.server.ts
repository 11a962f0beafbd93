// Network settings of the measures module: after how many days without a status update the weekly
// reminder counts a measure as stale. The working area reads it; coordinators change it.
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getMeasureSettings, updateMeasureSettings } from '$lib/server/measures/reminders';
import { act, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const settings = await guard(event, () => getMeasureSettings(locals.actor, network.id));
	const title = translate(locals.locale, 'settings.title');
	return {
		settings,
		saved: url.searchParams.has('gespeichert'),
		title: `${title} – ${network.name}`,
		crumbs: internCrumbs(
			locals.locale,
			network,
			{ label: translate(locals.locale, 'settings.crumbList'), href: `/${network.slug}/intern/massnahmen` },
			{ label: title }
		)
	};
};

export const actions: Actions = {
	update: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const r = await act(event, data, () => updateMeasureSettings(event.locals.actor, network.id, formObject(data)));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/massnahmen/einstellungen?gespeichert=1`);
	}
};
