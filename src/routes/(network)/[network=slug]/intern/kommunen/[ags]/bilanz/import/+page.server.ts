// Import of one year's balance from a spreadsheet. Step 1 uploads (upload action, then
// ?vorschau=<id>, post/redirect/get); step 2 shows what was detected, the column mapping (map
// action, a plain form) and the preview; step 3 applies (apply action) and lands on the town's
// balance page with ?importiert=<year>. Every action checks the permission again in the service.
import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { translate } from '$lib/i18n';
import { act, guard } from '$lib/server/http/route';
import { failed, networkFromParams } from '$lib/server/network/directory-pages';
import { getBodyByAgs } from '$lib/server/network/directory';
import { canBalance, lastYear } from '$lib/server/balance/service';
import { ForbiddenError } from '$lib/server/errors';
import { isUuid } from '$lib/server/ids';
import { IMPORT_MAX_BYTES, applyBalanceImport, describeIssue, getBalanceImport, setImportMapping, uploadBalanceFile } from '$lib/server/balance/import';
import { CARRIER_NAMES, knownCarrierNames, knownSectorNames } from '$lib/server/balance/template';
import { balanceTown } from '../town.server';

export const load: PageServerLoad = async (event) => {
	const { parent, locals, url } = event;
	const { network } = await parent();
	const town = await balanceTown(event, network);
	const subject = { networkId: network.id, bodyId: town.body.id };
	await guard(event, async () => {
		if (!canBalance(locals.actor, 'balance.edit', subject)) throw new ForbiddenError();
	});
	const previewId = url.searchParams.get('vorschau');
	const view = previewId ? await guard(event, () => getBalanceImport(locals.actor, network.id, town.body.id, previewId)) : null;
	const title = translate(locals.locale, 'bimport.title');
	return {
		title,
		crumbs: town.crumbs(locals.locale, { label: title }),
		town: town.body,
		balanceHref: town.href,
		templateHref: `/${network.slug}/intern/bilanz/vorlage?format=xlsx`,
		templateCsvHref: `/${network.slug}/intern/bilanz/vorlage?format=csv`,
		// Balances are for past years: last year is the usual one.
		defaultYear: String(lastYear() - 2),
		sectors: knownSectorNames(),
		carriers: knownCarrierNames(),
		carrierNames: CARRIER_NAMES,
		view: view && {
			...view,
			issues: view.issues.map((i) => describeIssue(locals.locale, i)),
			warnings: view.warnings.map((i) => describeIssue(locals.locale, i))
		}
	};
};

async function townOf(event: Parameters<Actions[string]>[0]) {
	const network = await networkFromParams(event);
	const body = await guard(event, () => getBodyByAgs(event.locals.actor, network.id, event.params.ags ?? ''));
	return { network, body, base: `/${network.slug}/intern/kommunen/${body.ags}/bilanz` };
}

const strings = (data: FormData) => Object.fromEntries([...data].filter(([, v]) => typeof v === 'string')) as Record<string, string>;

export const actions: Actions = {
	upload: async (event) => {
		const { network, body, base } = await townOf(event);
		const data = await event.request.formData();
		const file = data.get('datei');
		const r = await act(event, data, async () => {
			// Checked before reading: an oversized upload is never parsed (null tells the service).
			const bytes = !(file instanceof File) ? new Uint8Array(0) : file.size > IMPORT_MAX_BYTES ? null : new Uint8Array(await file.arrayBuffer());
			return uploadBalanceFile(event.locals.actor, network.id, body.id, {
				year: String(data.get('jahr') ?? ''),
				inhabitants: String(data.get('einwohner') ?? ''),
				filename: file instanceof File ? file.name : '',
				bytes
			});
		});
		if (failed(r)) return r;
		redirect(303, `${base}/import?vorschau=${r}`);
	},
	map: async (event) => {
		const { network, body, base } = await townOf(event);
		const data = await event.request.formData();
		const id = String(data.get('importId') ?? '');
		if (!isUuid(id)) error(404, 'Nicht gefunden');
		const r = await act(event, data, () => setImportMapping(event.locals.actor, network.id, body.id, id, strings(data)));
		if (failed(r)) return r;
		redirect(303, `${base}/import?vorschau=${id}#vorschau`);
	},
	apply: async (event) => {
		const { network, body, base } = await townOf(event);
		const data = await event.request.formData();
		const id = String(data.get('importId') ?? '');
		if (!isUuid(id)) error(404, 'Nicht gefunden');
		const r = await act(event, data, () => applyBalanceImport(event.locals.actor, network.id, body.id, id));
		if (failed(r)) return r;
		redirect(303, `${base}?importiert=${r.year}`);
	}
};
