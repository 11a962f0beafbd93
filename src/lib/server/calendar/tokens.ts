// Private calendar-feed links: a calendar client has no session, so each person of the working
// area gets a secret link per network. The token is 32 random bytes (base64url) shown once; only
// its SHA-256 is stored. One active link per person and network: a new one revokes the old one.
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { db } from '../db/client';
import { calendarTokens, memberships, networks } from '../db/schema';
import { loadActor, type Actor } from '../auth/actor';
import { recordChange } from '../audit/service';
import { ForbiddenError, NotFoundError } from '../errors';
import { config } from '../config';
import { canCalendar } from './permissions';

/** 32 bytes in base64url without padding. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** last_used_at is written at most this often (a feed is fetched every few minutes). */
export const LAST_USED_RESOLUTION_MS = 3600_000;

export function hashCalendarToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export interface CalendarFeedUrls {
	/** https://…/<slug>/kalender/<token>.ics */
	https: string;
	/** The same as webcal://, which opens the calendar app's subscribe dialogue. */
	webcal: string;
}

export function calendarFeedUrls(slug: string, token: string): CalendarFeedUrls {
	const https = `${config.origin}/${slug}/kalender/${token}.ics`;
	return { https, webcal: https.replace(/^https?:\/\//, 'webcal://') };
}

export interface CalendarTokenStatus {
	id: string;
	createdAt: Date;
	lastUsedAt: Date | null;
}

function requireSubscriber(actor: Actor, networkId: string) {
	if (!canCalendar(actor, 'calendar.subscribe', { networkId })) throw new ForbiddenError();
}

/** The person's active link of the network (without the secret), or null. */
export async function calendarTokenStatus(actor: Actor, networkId: string): Promise<CalendarTokenStatus | null> {
	requireSubscriber(actor, networkId);
	const [row] = await db()
		.select({ id: calendarTokens.id, createdAt: calendarTokens.createdAt, lastUsedAt: calendarTokens.lastUsedAt })
		.from(calendarTokens)
		.where(and(eq(calendarTokens.networkId, networkId), eq(calendarTokens.userId, actor.userId!), isNull(calendarTokens.revokedAt)))
		.orderBy(desc(calendarTokens.createdAt))
		.limit(1);
	return row ?? null;
}

export interface CreatedCalendarToken {
	/** The secret itself: shown once, never stored. */
	token: string;
	urls: CalendarFeedUrls;
	status: CalendarTokenStatus;
}

/** Creates the person's link of the network; an earlier active link stops working. */
export async function createCalendarToken(actor: Actor, networkId: string): Promise<CreatedCalendarToken> {
	requireSubscriber(actor, networkId);
	const userId = actor.userId!;
	const token = randomBytes(32).toString('base64url');
	return db().transaction(async (tx) => {
		// Locking the membership row serialises one person's link changes in the network, so two
		// clicks at once can't leave two active links.
		const [m] = await tx
			.select({ id: memberships.id })
			.from(memberships)
			.where(and(eq(memberships.networkId, networkId), eq(memberships.userId, userId)))
			.for('update');
		if (!m) throw new ForbiddenError();
		const [network] = await tx.select({ slug: networks.slug }).from(networks).where(eq(networks.id, networkId));
		if (!network) throw new NotFoundError();
		const now = new Date();
		const revoked = await tx
			.update(calendarTokens)
			.set({ revokedAt: now })
			.where(and(eq(calendarTokens.networkId, networkId), eq(calendarTokens.userId, userId), isNull(calendarTokens.revokedAt)))
			.returning({ id: calendarTokens.id });
		for (const r of revoked) {
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'calendar_token', recordId: r.id, before: { revoked: false }, after: { revoked: true } });
		}
		const [row] = await tx
			.insert(calendarTokens)
			.values({ networkId, userId, tokenHash: hashCalendarToken(token), createdAt: now })
			.returning({ id: calendarTokens.id, createdAt: calendarTokens.createdAt, lastUsedAt: calendarTokens.lastUsedAt });
		await recordChange(tx, actor, { networkId, action: 'create', recordType: 'calendar_token', recordId: row.id, after: { revoked: false } });
		return { token, urls: calendarFeedUrls(network.slug, token), status: row };
	});
}

/** Ends the person's active link of the network. False when there was none. */
export async function revokeCalendarToken(actor: Actor, networkId: string): Promise<boolean> {
	requireSubscriber(actor, networkId);
	return db().transaction(async (tx) => {
		const revoked = await tx
			.update(calendarTokens)
			.set({ revokedAt: new Date() })
			.where(and(eq(calendarTokens.networkId, networkId), eq(calendarTokens.userId, actor.userId!), isNull(calendarTokens.revokedAt)))
			.returning({ id: calendarTokens.id });
		for (const r of revoked) {
			await recordChange(tx, actor, { networkId, action: 'update', recordType: 'calendar_token', recordId: r.id, before: { revoked: false }, after: { revoked: true } });
		}
		return revoked.length > 0;
	});
}

export type ResolvedCalendarToken =
	| { ok: true; tokenId: string; userId: string; networkId: string; slug: string; networkName: string; actor: Actor; lastUsedAt: Date | null }
	| { ok: false; reason: 'unknown' | 'revoked' | 'membership_ended' };

/**
 * Who a feed link belongs to, as that person is now: the link works while it is not revoked and
 * the person still belongs to the network's working area (a deleted account, a removed
 * membership or a change to citizen end it).
 */
export async function resolveCalendarToken(token: string): Promise<ResolvedCalendarToken> {
	if (!TOKEN_RE.test(token)) return { ok: false, reason: 'unknown' };
	const [row] = await db()
		.select({ t: calendarTokens, slug: networks.slug, networkName: networks.name })
		.from(calendarTokens)
		.innerJoin(networks, eq(networks.id, calendarTokens.networkId))
		.where(eq(calendarTokens.tokenHash, hashCalendarToken(token)));
	if (!row) return { ok: false, reason: 'unknown' };
	if (row.t.revokedAt) return { ok: false, reason: 'revoked' };
	const actor = await loadActor(row.t.userId);
	if (!canCalendar(actor, 'calendar.subscribe', { networkId: row.t.networkId })) return { ok: false, reason: 'membership_ended' };
	return {
		ok: true,
		tokenId: row.t.id,
		userId: row.t.userId,
		networkId: row.t.networkId,
		slug: row.slug,
		networkName: row.networkName,
		actor,
		lastUsedAt: row.t.lastUsedAt
	};
}

/** Notes a fetch of the feed, at most once per hour (one conditional UPDATE; no write otherwise). */
export async function markCalendarTokenUsed(tokenId: string, now = new Date()): Promise<boolean> {
	const rows = await db()
		.update(calendarTokens)
		.set({ lastUsedAt: now })
		.where(
			and(
				eq(calendarTokens.id, tokenId),
				isNull(calendarTokens.revokedAt),
				or(isNull(calendarTokens.lastUsedAt), lt(calendarTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))
			)
		)
		.returning({ id: calendarTokens.id });
	return rows.length > 0;
}
