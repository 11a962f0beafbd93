// Citizen sign-up: e-mail and name (or a group's name), consent; no password. The same answer
// whether or not the address has an account (see signUpCitizen).
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { CONSENT_TEXT, signUpCitizen } from '$lib/server/participation/profiles';
import { safeRedirectTarget } from '$lib/server/http/redirect';
import { formValues } from '$lib/server/http/route';
import { ValidationError } from '$lib/server/errors';
import { formObject } from '$lib/server/validation';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = ({ locals, url }) => {
	const target = safeRedirectTarget(url.searchParams.get('weiter'), '');
	if (locals.actor.userId) redirect(303, target || '/konto');
	const title = translate(locals.locale, 'citizen.signup.title');
	return {
		title,
		crumbs: [{ label: translate(locals.locale, 'shell.home'), href: '/' }, { label: title }],
		target,
		consentText: CONSENT_TEXT
	};
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const target = safeRedirectTarget(data.get('weiter'), '') || undefined;
		try {
			await signUpCitizen(formObject(data), { ip: event.getClientAddress(), headers: event.request.headers, target });
		} catch (e) {
			if (e instanceof ValidationError) return fail(400, { values: formValues(data), errors: e.fieldErrors });
			throw e;
		}
		return { sent: true, email: String(data.get('email') ?? '').trim() };
	}
};
