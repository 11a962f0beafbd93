// Serves a stored file to those who may see its record. Everyone else gets the same 404 as for
// a file that does not exist, so ids reveal nothing. The headers keep uploaded bytes from ever
// running as a page of this site: nosniff, a sandboxing CSP, and download unless PDF/image.
import { Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { contentDisposition, INLINE_TYPES, openFile } from '$lib/server/files/service';

export const GET: RequestHandler = async ({ params, locals }) => {
	const opened = await openFile(locals.actor, params.id);
	if (!opened) error(404, 'Nicht gefunden');
	const { file, stream } = opened;
	const inline = INLINE_TYPES.includes(file.contentType);
	return new Response(Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>, {
		headers: {
			'Content-Type': file.contentType,
			'Content-Length': String(file.size),
			'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', file.filename),
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy': "default-src 'none'; sandbox",
			'Cross-Origin-Resource-Policy': 'same-origin',
			'Cache-Control': 'private, no-store'
		}
	});
};
