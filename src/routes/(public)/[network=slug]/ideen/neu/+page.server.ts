// Submitting an idea. Visitors and accounts without consent see a hint with links instead of the
// form; the action checks everything again in the service (honeypot, consent, fields, photo, limit).
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getNetworkBySlug } from '$lib/server/network/networks';
import { act, guard } from '$lib/server/http/route';
import { failed, networkFromParams, publicCrumbs } from '$lib/server/network/directory-pages';
import { formObject } from '$lib/server/validation';
import { participantState } from '$lib/server/participation/participant';
import { IDEA_THEMES, networkBodies, submitIdea, TEXT_MAX, TITLE_MAX, PLACE_MAX, ALT_MAX } from '$lib/server/participation/ideas';
import { PHOTO_MAX_BYTES } from '$lib/server/participation/photos';
import { getPortalSettings } from '$lib/server/participation/settings';
import { translate } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	const { params, locals, url } = event;
	const network = await guard(event, () => getNetworkBySlug(params.network));
	const [participant, settings, bodies] = await Promise.all([participantState(locals.actor), getPortalSettings(network.id), networkBodies(network.id)]);
	const located = bodies.filter((b) => b.lat !== null && b.lon !== null);
	// The map opens over the network's towns (their mean position), else over Germany.
	const center: [number, number] | null = located.length
		? [located.reduce((s, b) => s + b.lat!, 0) / located.length, located.reduce((s, b) => s + b.lon!, 0) / located.length]
		: null;
	const title = translate(locals.locale, 'ideas.new.title');
	const preset = url.searchParams.get('kommune');
	return {
		network: { slug: network.slug, name: network.name },
		participant,
		ideasOpen: settings.ideasOpen,
		map: { tileUrl: settings.tileUrl, attribution: settings.tileAttribution, center },
		bodies: bodies.map((b) => ({ id: b.id, name: b.name })),
		themes: [...IDEA_THEMES],
		values: { bodyId: bodies.find((b) => b.ags === preset)?.id ?? '' },
		limits: { title: TITLE_MAX, text: TEXT_MAX, place: PLACE_MAX, alt: ALT_MAX, photoMb: PHOTO_MAX_BYTES / 1024 / 1024 },
		back: url.pathname,
		title: `${title} – ${network.name}`,
		crumbs: publicCrumbs(locals.locale, network, { label: translate(locals.locale, 'ideas.list.title'), href: `/${network.slug}/ideen` }, { label: title })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const network = await networkFromParams(event);
		const data = await event.request.formData();
		const file = data.get('photo');
		const upload = file instanceof File && file.size > 0 ? { bytes: new Uint8Array(await file.arrayBuffer()) } : null;
		const r = await act(event, data, () => submitIdea(event.locals.actor, network.id, formObject(data), upload, { ip: event.getClientAddress() }));
		if (failed(r)) {
			// A browser never refills a file field: say so when the photo itself was fine.
			const errors = r.data.errors;
			if (upload && !errors.photo) errors.photo = 'ideas.photo.again';
			return r;
		}
		redirect(303, `/${network.slug}/ideen/${r.id}?ok=created`);
	}
};
