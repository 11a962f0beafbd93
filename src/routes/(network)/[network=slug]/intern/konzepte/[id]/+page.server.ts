// One concept: facts, its document (link or upload), fields of action (ordered, coloured) and
// its measures. Fields are managed here; each form names itself so errors show beside it.
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { addField, deleteField, getConcept, moveField, updateField } from '$lib/server/measures/concepts';
import { listMeasures } from '$lib/server/measures/list';
import { deleteFile, listFiles, storeFile } from '$lib/server/files/service';
import { renderMarkdown } from '$lib/server/markdown';
import { actNamed, guard } from '$lib/server/http/route';
import { formObject } from '$lib/server/validation';
import { ValidationError } from '$lib/server/errors';
import { clampPage, internCrumbs, networkFromParams, pageParam } from '$lib/server/network/directory-pages';
import { translate } from '$lib/i18n';

const OK_KEYS = ['created', 'saved', 'fieldSaved', 'fieldDeleted', 'uploaded', 'fileDeleted'] as const;
/** Concept documents: PDF and office formats. */
const DOCUMENT_TYPES = [
	'application/pdf',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	'application/vnd.oasis.opendocument.text',
	'application/vnd.oasis.opendocument.presentation'
];

export const load: PageServerLoad = async (event) => {
	const { parent, locals, params, url } = event;
	const { network } = await parent();
	const concept = await guard(event, () => getConcept(locals.actor, network.id, params.id));
	const [measures, files] = await Promise.all([
		listMeasures(locals.actor, network.id, { conceptId: concept.id, sort: 'code', page: pageParam(url) }),
		listFiles(locals.actor, { type: 'concept', id: concept.id })
	]);
	clampPage(url, measures);
	const ok = url.searchParams.get('ok');
	const label = translate(locals.locale, 'concept.list.title');
	return {
		concept,
		descriptionHtml: renderMarkdown(concept.description),
		measures,
		files: files.map((f) => ({ id: f.id, filename: f.filename, size: f.size })),
		ok: (OK_KEYS as readonly string[]).includes(ok ?? '') ? ok : null,
		title: `${concept.title} – ${concept.bodyName}`,
		crumbs: internCrumbs(locals.locale, network, { label, href: `/${network.slug}/intern/konzepte` }, { label: concept.title })
	};
};

function run(
	event: RequestEvent,
	formId: string,
	okKey: (typeof OK_KEYS)[number],
	anchor: string,
	fn: (input: Record<string, string | string[]>, networkId: string, data: FormData) => Promise<unknown>
) {
	return networkFromParams(event).then(async (network) => {
		const data = await event.request.formData();
		const done = `/${network.slug}/intern/konzepte/${event.params.id}?ok=${okKey}#${anchor}`;
		return actNamed(event, data, formId, done, () => fn(formObject(data), network.id, data));
	});
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export const actions: Actions = {
	addField: (event) => run(event, 'field-new', 'fieldSaved', 'handlungsfelder', (input, networkId) => addField(event.locals.actor, networkId, event.params.id!, input)),
	updateField: async (event) => {
		const fieldId = String((await event.request.clone().formData()).get('fieldId') ?? '');
		return run(event, `field-${fieldId}`, 'fieldSaved', 'handlungsfelder', (input, networkId) => updateField(event.locals.actor, networkId, fieldId, input));
	},
	moveField: (event) =>
		run(event, 'field-move', 'fieldSaved', 'handlungsfelder', (input, networkId) =>
			moveField(event.locals.actor, networkId, str(input.fieldId), str(input.direction) === 'up' ? 'up' : 'down')
		),
	deleteField: (event) => run(event, 'field-delete', 'fieldDeleted', 'handlungsfelder', (input, networkId) => deleteField(event.locals.actor, networkId, str(input.fieldId))),
	upload: (event) =>
		run(event, 'upload', 'uploaded', 'dokument', async (_input, networkId, data) => {
			const file = data.get('file');
			if (!(file instanceof File) || file.size === 0) throw new ValidationError({ file: 'file.empty' });
			return storeFile(event.locals.actor, {
				recordType: 'concept',
				recordId: event.params.id!,
				networkId,
				filename: file.name,
				contentType: file.type,
				bytes: Buffer.from(await file.arrayBuffer()),
				allowedTypes: DOCUMENT_TYPES
			});
		}),
	deleteFile: (event) => run(event, 'file-delete', 'fileDeleted', 'dokument', (input) => deleteFile(event.locals.actor, str(input.fileId)))
};
