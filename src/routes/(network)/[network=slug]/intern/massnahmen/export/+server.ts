// Download of a filtered measure list as .xlsx or CSV. The same query parameters as the list page
// (filterFromUrl), plus ?format=xlsx|csv. Layouts don't run for endpoints: the service checks the
// working area itself, guard() turns a refusal into 403 (or the sign-in page for visitors).
import type { RequestHandler } from './$types';
import { guard } from '$lib/server/http/route';
import { networkFromParams } from '$lib/server/network/directory-pages';
import { filterFromUrl } from '$lib/server/measures/list';
import { CONTENT_TYPES, exportFilename, exportMeasures, type ExportFormat } from '$lib/server/measures/spreadsheet';

export const GET: RequestHandler = async (event) => {
	const network = await networkFromParams(event);
	const format: ExportFormat = event.url.searchParams.get('format') === 'csv' ? 'csv' : 'xlsx';
	const bytes = await guard(event, () => exportMeasures(event.locals.actor, network.id, filterFromUrl(event.url), format));
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': CONTENT_TYPES[format],
			'content-disposition': `attachment; filename="${exportFilename(network.slug, format)}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
