// Download of a filtered application list as .xlsx or CSV: the list page's parameters plus
// ?format=xlsx|csv. Layouts don't run for endpoints: the service checks the working area itself.
import type { RequestHandler } from './$types';
import { guard } from '$lib/server/http/route';
import { networkFromParams } from '$lib/server/network/directory-pages';
import { applicationFilterFromUrl, EXPORT_PREFIX, exportApplications } from '$lib/server/funding/applications';
import { CONTENT_TYPES, exportFilename, exportFormatOf } from '$lib/server/files/spreadsheet-export';

export const GET: RequestHandler = async (event) => {
	const network = await networkFromParams(event);
	const format = exportFormatOf(event.url);
	const bytes = await guard(event, () => exportApplications(event.locals.actor, network.id, applicationFilterFromUrl(event.url), format));
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': CONTENT_TYPES[format],
			'content-disposition': `attachment; filename="${exportFilename(EXPORT_PREFIX, network.slug, format)}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
