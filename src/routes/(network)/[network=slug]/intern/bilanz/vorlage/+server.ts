// The empty balance template as .xlsx or CSV (?format=xlsx|csv), for the import of a town's balance.
// It holds no data, but lives in the working area: people who may read balances get it.
import type { RequestHandler } from './$types';
import { guard } from '$lib/server/http/route';
import { networkFromParams } from '$lib/server/network/directory-pages';
import { canBalance } from '$lib/server/balance/service';
import { ForbiddenError } from '$lib/server/errors';
import { TEMPLATE_TYPES, balanceTemplate, templateFilename, type TemplateFormat } from '$lib/server/balance/template';

export const GET: RequestHandler = async (event) => {
	const network = await networkFromParams(event);
	const format: TemplateFormat = event.url.searchParams.get('format') === 'csv' ? 'csv' : 'xlsx';
	await guard(event, async () => {
		if (!canBalance(event.locals.actor, 'balance.read', { networkId: network.id })) throw new ForbiddenError();
	});
	const bytes = await balanceTemplate(format);
	return new Response(bytes as BodyInit, {
		headers: {
			'content-type': TEMPLATE_TYPES[format],
			'content-disposition': `attachment; filename="${templateFilename(format)}"`,
			'cache-control': 'private, max-age=3600',
			'x-content-type-options': 'nosniff'
		}
	});
};
