// Re-import of an edited measure list. Step 1 uploads the file (preview action); with no errors the
// plan is stored and the browser is sent to ?vorschau=<id> (post/redirect/get, so reloading the
// preview does not upload again). Step 2 confirms (apply action) and lands on ?uebernommen=<n>.
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { translate } from '$lib/i18n';
import { act, guard } from '$lib/server/http/route';
import { failed, internCrumbs, networkFromParams } from '$lib/server/network/directory-pages';
import { editableBodyIds } from '$lib/server/measures/permissions';
import { COLUMNS, IMPORT_MAX_BYTES, applyImport, describeIssue, getImport, previewImport } from '$lib/server/measures/spreadsheet';
import { ForbiddenError } from '$lib/server/errors';
import { isUuid } from '$lib/server/ids';

/** Only people who may edit some measures get the page (coordinators, members with a town). */
function requireEditor(actor: App.Locals['actor'], networkId: string) {
	const ids = editableBodyIds(actor, networkId);
	if (ids !== null && !ids.length) throw new ForbiddenError();
}

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	await guard(event, async () => requireEditor(locals.actor, network.id));
	const base = `/${network.slug}/intern/massnahmen`;
	const previewId = url.searchParams.get('vorschau');
	const preview = previewId ? await guard(event, () => getImport(locals.actor, network.id, previewId)) : null;
	const applied = Number(url.searchParams.get('uebernommen'));
	const title = translate(locals.locale, 'import.title');
	return {
		title,
		crumbs: internCrumbs(locals.locale, network, { label: translate(locals.locale, 'measure.list.title'), href: base }, { label: title }),
		listHref: base,
		templateHref: `${base}/export?format=xlsx`,
		templateCsvHref: `${base}/export?format=csv`,
		columns: COLUMNS.map((c) => c.header),
		maxMb: IMPORT_MAX_BYTES / 1024 / 1024,
		preview,
		applied: Number.isInteger(applied) && applied > 0 ? applied : null
	};
};

export const actions: Actions = {
	preview: async (event) => {
		const network = await networkFromParams(event);
		const { actor, locale } = event.locals;
		await guard(event, async () => requireEditor(actor, network.id));
		const data = await event.request.formData();
		const file = data.get('datei');
		if (!(file instanceof File) || file.size === 0 || !file.name) {
			return fail(400, { issues: [translate(locale, 'import.fileRequired')], moreErrors: 0 });
		}
		// Checked before reading: an oversized upload is never parsed.
		if (file.size > IMPORT_MAX_BYTES) {
			return fail(400, { issues: [translate(locale, 'import.tooLarge', { max: IMPORT_MAX_BYTES / 1024 / 1024 })], moreErrors: 0 });
		}
		const bytes = new Uint8Array(await file.arrayBuffer());
		const r = await guard(event, () => previewImport(actor, network.id, { filename: file.name, bytes }));
		if (r.errors.length) return fail(400, { issues: r.errors.map((e) => describeIssue(locale, e)), moreErrors: r.moreErrors });
		if (!r.importId) return { noChanges: true };
		redirect(303, `/${network.slug}/intern/massnahmen/import?vorschau=${r.importId}`);
	},
	apply: async (event) => {
		const network = await networkFromParams(event);
		const { actor } = event.locals;
		const data = await event.request.formData();
		const id = String(data.get('importId') ?? '');
		if (!isUuid(id)) error(404, 'Nicht gefunden');
		const r = await act(event, data, () => applyImport(actor, network.id, id));
		if (failed(r)) return r;
		redirect(303, `/${network.slug}/intern/massnahmen/import?uebernommen=${r.updated}`);
	}
};
