// One-click unsubscribe links in notification mails. The link must work without signing in (mail
// clients post it by themselves, RFC 8058), so it carries a token that names the person, the kind
// ('*' for all kinds) and the mail it came from, signed with the instance secret: nobody can
// forge a link for someone else or for another kind.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { authSecret } from '../auth/secret';
import { config } from '../config';

export interface UnsubscribeScope {
	userId: string;
	/** A registered kind, or '*' for every kind. */
	kind: string;
	/** Which mail the link was in: 'immediate', 'daily' or 'weekly'. */
	channelScope: string;
}

const PART = /^[A-Za-z0-9._*@:-]{1,200}$/;

function sign(payload: string): Buffer {
	// A separate label keeps these signatures apart from anything else signed with the same secret.
	return createHmac('sha256', authSecret()).update(`notifications.unsubscribe\n${payload}`).digest();
}

export function unsubscribeToken(s: UnsubscribeScope): string {
	for (const p of [s.userId, s.kind, s.channelScope]) if (!PART.test(p)) throw new Error('unsubscribe token part has unexpected characters');
	const payload = `${s.userId}|${s.kind}|${s.channelScope}`;
	return `${Buffer.from(payload).toString('base64url')}.${sign(payload).toString('base64url')}`;
}

/** The scope of a valid token; null for anything tampered with, truncated or made up. */
export function readUnsubscribeToken(token: unknown): UnsubscribeScope | null {
	if (typeof token !== 'string' || token.length > 1000) return null;
	const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
	if (!m) return null;
	const payload = Buffer.from(m[1], 'base64url').toString('utf8');
	const given = Buffer.from(m[2], 'base64url');
	const expected = sign(payload);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	const parts = payload.split('|');
	if (parts.length !== 3 || !parts.every((p) => PART.test(p))) return null;
	return { userId: parts[0], kind: parts[1], channelScope: parts[2] };
}

export function unsubscribeUrl(s: UnsubscribeScope): string {
	return new URL(`/benachrichtigungen/abbestellen?token=${unsubscribeToken(s)}`, config.origin).toString();
}

export const settingsUrl = () => new URL('/konto/benachrichtigungen/einstellungen', config.origin).toString();
