// Guards against abuse of everything the public can post: a honeypot field, rate limits per
// account and per address, and a cap on links in free text. Each failure is a ValidationError with
// a German message key, so the form shows it and nothing is stored.
import { hit, type Limit } from '../auth/rate-limit';
import { ValidationError } from '../errors';

import { HONEYPOT_FIELD } from '../../participation';

// The honeypot field's name; forms render it with components/participation/Honeypot.svelte.
export { HONEYPOT_FIELD };

export function checkHoneypot(form: FormData | Record<string, unknown>) {
	const v = form instanceof FormData ? form.get(HONEYPOT_FIELD) : form[HONEYPOT_FIELD];
	if (typeof v === 'string' && v.trim() !== '') throw new ValidationError({ _form: 'participation.honeypot' });
}

export type PostKind = 'idea' | 'comment' | 'support' | 'pledge' | 'report' | 'feedback' | 'signup' | 'follow';

/**
 * Posts allowed per hour, per account and per client address (a school or town hall shares one address).
 * Pledges count per action ticked: someone ticking all five actions of a portal twice an hour
 * stays well inside, a script ticking every action is stopped after a few submissions.
 */
const PER_HOUR: Record<PostKind, { account: number; address: number }> = {
	idea: { account: 5, address: 20 },
	comment: { account: 30, address: 100 },
	support: { account: 100, address: 300 },
	pledge: { account: 30, address: 30 },
	report: { account: 20, address: 30 },
	feedback: { account: 10, address: 10 },
	signup: { account: 3, address: 10 },
	follow: { account: 100, address: 300 }
};

export function postLimits(kind: PostKind, who: { userId?: string | null; ip: string }): Limit[] {
	const l = PER_HOUR[kind];
	const out: Limit[] = [{ key: `post:${kind}:ip:${who.ip}`, max: l.address, windowSeconds: 3600 }];
	if (who.userId) out.push({ key: `post:${kind}:user:${who.userId}`, max: l.account, windowSeconds: 3600 });
	return out;
}

/**
 * Counts one post (or `count` posts made at once, e.g. one pledge per action ticked); too many in
 * the hour → ValidationError({_form: 'participation.rateLimited'}).
 */
export async function limitPosting(kind: PostKind, who: { userId?: string | null; ip: string }, count = 1) {
	for (const l of postLimits(kind, who)) {
		const r = await hit(l, new Date(), count);
		if (!r.allowed) throw new ValidationError({ _form: 'participation.rateLimited' });
	}
}

export const MAX_LINKS = 3;

/** Counts web addresses in a text (Markdown links and bare URLs alike). */
export function countLinks(text: string): number {
	return (text.match(/\b(?:https?:\/\/|www\.)/gi) ?? []).length;
}

/** Field error key when a text holds more links than allowed, else null. */
export function linkError(text: string, max = MAX_LINKS): string | null {
	return countLinks(text) > max ? 'participation.tooManyLinks' : null;
}
