import type { ParamMatcher } from '@sveltejs/kit';

/** A network's URL segment: lowercase letters, digits and dashes. */
export const match: ParamMatcher = (param) => /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(param);
