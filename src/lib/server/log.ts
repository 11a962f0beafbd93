// Structured logs: one JSON object per line on stdout, with the request id when there is one.
import { AsyncLocalStorage } from 'node:async_hooks';

export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

type Fields = Record<string, unknown>;

function write(level: 'debug' | 'info' | 'warn' | 'error', event: string, fields?: Fields) {
	if (level === 'debug' && !process.env.LOG_DEBUG) return;
	if (process.env.LOG_SILENT && level !== 'error') return;
	const ctx = requestContext.getStore();
	const line = JSON.stringify({
		time: new Date().toISOString(),
		level,
		event,
		...(ctx ? { requestId: ctx.requestId } : {}),
		...fields
	});
	if (level === 'error') console.error(line);
	else console.log(line);
}

export const log = {
	debug: (event: string, fields?: Fields) => write('debug', event, fields),
	info: (event: string, fields?: Fields) => write('info', event, fields),
	warn: (event: string, fields?: Fields) => write('warn', event, fields),
	error: (event: string, fields?: Fields) => write('error', event, fields)
};

export function currentRequestId(): string | undefined {
	return requestContext.getStore()?.requestId;
}
