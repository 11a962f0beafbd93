const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from URLs and forms are checked before they reach a uuid column (which would throw). */
export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_RE.test(s);
