// Accessibility statement (BITV 2.0 § 7) with its feedback form. The form works without an
// account and without JavaScript; feedback reaches the chosen network's coordinators.
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { legalPageData } from '$lib/server/http/legal';
import { cacheForVisitors } from '$lib/server/network/directory-pages';
import { feedbackNetworks, submitFeedback } from '$lib/server/participation/feedback';
import { formValues } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { ValidationError } from '$lib/server/errors';

export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	cacheForVisitors(event);
	const networks = await feedbackNetworks();
	// Links from a network's portal may name it and the page the barrier is on.
	const preset = networks.find((n) => n.slug === url.searchParams.get('netzwerk'));
	const page = (url.searchParams.get('seite') ?? '').slice(0, 500);
	return {
		...legalPageData(locals.locale, 'legal.a11y.title'),
		networks: networks.map((n) => ({ id: n.id, name: n.name })),
		preset: { networkId: preset?.id ?? (networks.length === 1 ? networks[0].id : ''), pageUrl: page },
		sent: url.searchParams.has('gesendet')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		try {
			await submitFeedback(formObject(data), { userId: event.locals.actor.userId, ip: event.getClientAddress() });
		} catch (e) {
			if (e instanceof ValidationError) return fail(400, { values: formValues(data), errors: e.fieldErrors });
			throw e;
		}
		redirect(303, '/barrierefreiheit?gesendet=1#rueckmeldung');
	}
};
