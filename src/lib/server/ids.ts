/** A uuid as a regular-expression source, for path patterns that capture one (record types). */
export const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const UUID_RE = new RegExp(`^${UUID_PATTERN}$`);

/** Ids from URLs and forms are checked before they reach a uuid column (which would throw). */
export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID_RE.test(s);
