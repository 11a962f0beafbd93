// A person's own notifications and preferences. Every function works on the signed-in actor's
// rows only (user_id = actor on every query): nobody sees or marks another person's notifications.
import { and, desc, eq, exists, inArray, isNull, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { WORKING_AREA_ROLES, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { recordChange } from '../audit/service';
import { isUuid } from '../ids';
import { pageOpts } from '../paging';
import { memberships, networks } from '../network/schema';
import { users } from '../auth/schema';
import { notificationPreferences, notifications } from './schema';
import { CHANNELS, isChannel, notificationKind, notificationKinds, type Channel } from './kinds';
import { readUnsubscribeToken, type UnsubscribeScope } from './tokens';

function me(actor: Actor): string {
	if (!actor.userId) throw new ForbiddenError();
	return actor.userId;
}

/**
 * Only notifications of networks where the person still works (coordinator, member, partner): after
 * leaving a network its items neither count nor show (their links would end in a 404). A semi-join
 * on the membership's unique (network_id, user_id) index, so the count still walks the partial
 * index of the person's unread rows.
 */
const stillInNetwork = () =>
	exists(
		db()
			.select({ one: sql`1` })
			.from(memberships)
			.where(
				and(
					eq(memberships.networkId, notifications.networkId),
					eq(memberships.userId, notifications.userId),
					inArray(memberships.role, [...WORKING_AREA_ROLES])
				)
			)
	);

/** Number of unread notifications (the header link); one count on the partial index of unread rows. */
export async function unreadCount(userId: string): Promise<number> {
	const [{ n }] = await db()
		.select({ n: sql<number>`count(*)::int` })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt), stillInNetwork()));
	return Number(n);
}

export interface NotificationItem {
	id: string;
	kind: string;
	title: string;
	excerpt: string;
	url: string;
	networkId: string;
	networkName: string;
	createdAt: Date;
	readAt: Date | null;
}

export async function listMyNotifications(
	actor: Actor,
	opts: { page?: number; unreadOnly?: boolean; networkId?: string | null } = {}
): Promise<{ items: NotificationItem[]; total: number; unread: number; page: number; pageSize: number }> {
	const userId = me(actor);
	const { page, pageSize, offset } = pageOpts(opts, 25, 25);
	const networkId = isUuid(opts.networkId) ? opts.networkId : null;
	const where = and(
		eq(notifications.userId, userId),
		stillInNetwork(),
		opts.unreadOnly ? isNull(notifications.readAt) : undefined,
		networkId ? eq(notifications.networkId, networkId) : undefined
	);
	const [items, [{ total }], unread] = await Promise.all([
		db()
			.select({
				id: notifications.id,
				kind: notifications.kind,
				title: notifications.title,
				excerpt: notifications.excerpt,
				url: notifications.url,
				networkId: notifications.networkId,
				networkName: networks.name,
				createdAt: notifications.createdAt,
				readAt: notifications.readAt
			})
			.from(notifications)
			.innerJoin(networks, eq(networks.id, notifications.networkId))
			.where(where)
			.orderBy(desc(notifications.createdAt), desc(notifications.id))
			.limit(pageSize)
			.offset(offset),
		db().select({ total: sql<number>`count(*)::int` }).from(notifications).where(where),
		unreadCount(userId)
	]);
	return { items, total: Number(total), unread, page, pageSize };
}

// Marking read is the person's own reading state, not a change to shared data: it is not written
// to the (per-network, coordinator-read) audit log.

/**
 * Marks one of the actor's notifications read (keeping the first reading time) and returns its url;
 * 404 for anyone else's, a made-up id, or one of a network the person has left.
 */
async function readOne(actor: Actor, id: unknown): Promise<string> {
	const userId = me(actor);
	if (!isUuid(id)) throw new NotFoundError();
	const [row] = await db()
		.update(notifications)
		.set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
		.where(and(eq(notifications.id, id), eq(notifications.userId, userId), stillInNetwork()))
		.returning({ url: notifications.url });
	if (!row) throw new NotFoundError();
	return row.url;
}

/** Marks one of the actor's notifications read; 404 for anyone else's (or a made-up id). */
export async function markRead(actor: Actor, id: unknown): Promise<void> {
	await readOne(actor, id);
}

/** Marks all of the actor's unread notifications read (optionally of one network); returns how many. */
export async function markAllRead(actor: Actor, opts: { networkId?: string | null } = {}): Promise<number> {
	const userId = me(actor);
	const rows = await db()
		.update(notifications)
		.set({ readAt: sql`now()` })
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt), stillInNetwork(), isUuid(opts.networkId) ? eq(notifications.networkId, opts.networkId) : undefined))
		.returning({ id: notifications.id });
	return rows.length;
}

/** A path inside this app: starts with one slash, no scheme, no protocol-relative or backslash tricks. */
export function isAppPath(url: string): boolean {
	return /^\/(?![/\\])[^\s\\]*$/.test(url);
}

/** "Öffnen": marks read and returns where to go (always a path inside the app). */
export async function openNotification(actor: Actor, id: unknown): Promise<string> {
	const url = await readOne(actor, id);
	return isAppPath(url) ? url : '/konto/benachrichtigungen';
}

// ---- preferences -----------------------------------------------------------------------------

export interface KindPreference {
	kind: string;
	/** The part before the dot: the module that raises it (groups the settings page). */
	module: string;
	labelKey: string;
	hintKey: string;
	channel: Channel;
	isDefault: boolean;
}

async function storedPreferences(userId: string): Promise<Map<string, Channel>> {
	const rows = await db()
		.select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel })
		.from(notificationPreferences)
		.where(eq(notificationPreferences.userId, userId));
	return new Map(rows.map((r) => [r.kind, r.channel]));
}

/** Every registered kind with the actor's channel (their choice or the default), sorted by module. */
export async function myPreferences(actor: Actor): Promise<KindPreference[]> {
	const stored = await storedPreferences(me(actor));
	return notificationKinds()
		.map((k) => ({
			kind: k.kind,
			module: k.kind.split('.')[0],
			labelKey: k.labelKey,
			hintKey: k.hintKey,
			channel: stored.get(k.kind) ?? k.defaultChannel,
			isDefault: !stored.has(k.kind)
		}))
		.sort((a, b) => a.module.localeCompare(b.module) || a.kind.localeCompare(b.kind));
}

/**
 * Saves the settings form: one field per kind (name = kind, value = channel). An unknown kind or
 * channel refuses the whole form with a German message; nothing is saved then.
 */
export async function savePreferences(actor: Actor, input: Record<string, unknown>): Promise<void> {
	const userId = me(actor);
	const errors: Record<string, string> = {};
	const chosen: [string, Channel][] = [];
	for (const [key, value] of Object.entries(input)) {
		if (!notificationKind(key)) {
			errors._form = 'notifications.prefs.unknownKind';
			continue;
		}
		if (!isChannel(value)) errors[key] = 'notifications.prefs.unknownChannel';
		else chosen.push([key, value]);
	}
	if (!chosen.length && !Object.keys(errors).length) errors._form = 'notifications.prefs.nothing';
	if (Object.keys(errors).length) throw new ValidationError(errors);
	await setChannels(actor, userId, chosen, 'updatePreferences');
}

/**
 * Stores the channels and applies them to what is still waiting to be mailed: pending rows of these
 * kinds move to the new channel, so an unsubscribe or a switch to 'none' stops the next digest and a
 * queued immediate mail (that job sends only rows still on 'immediate'); a switch from immediate to
 * a digest moves the waiting mail into the digest. Rows waiting for a digest stay there when the
 * kind switches to 'immediate' (no burst of single mails; the digest is at most a week away).
 */
async function setChannels(actor: Actor, userId: string, chosen: [string, Channel][], action: string) {
	const byChannel = new Map<Channel, string[]>();
	for (const [kind, channel] of chosen) byChannel.set(channel, [...(byChannel.get(channel) ?? []), kind]);
	await db().transaction(async (tx) => {
		const beforeRows = await tx
			.select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel })
			.from(notificationPreferences)
			.where(and(eq(notificationPreferences.userId, userId), inArray(notificationPreferences.kind, chosen.map(([k]) => k))));
		const before = Object.fromEntries(beforeRows.map((r) => [r.kind, r.channel]));
		await tx
			.insert(notificationPreferences)
			.values(chosen.map(([kind, channel]) => ({ userId, kind, channel })))
			.onConflictDoUpdate({
				target: [notificationPreferences.userId, notificationPreferences.kind],
				set: { channel: sql`excluded.channel`, updatedAt: sql`now()` }
			});
		for (const [channel, kinds] of byChannel) {
			if (channel === 'immediate') continue;
			await tx
				.update(notifications)
				.set({ channel })
				.where(and(eq(notifications.userId, userId), inArray(notifications.kind, kinds), isNull(notifications.mailedAt)));
		}
		await recordChange(tx, actor, {
			networkId: null,
			action,
			recordType: 'notification_preferences',
			recordId: userId,
			before,
			after: Object.fromEntries(chosen)
		});
	});
}

// ---- unsubscribe -------------------------------------------------------------------------------

export interface UnsubscribeTarget {
	scope: UnsubscribeScope;
	/** The kinds the link names (every registered kind for '*'). */
	kinds: string[];
}

/** What a token would unsubscribe; null for an invalid token (or a kind no longer registered). */
export function unsubscribeTarget(token: unknown): UnsubscribeTarget | null {
	const scope = readUnsubscribeToken(token);
	if (!scope) return null;
	if (scope.kind !== '*') return notificationKind(scope.kind) ? { scope, kinds: [scope.kind] } : null;
	if (!['all', 'daily', 'weekly', 'immediate'].includes(scope.channelScope)) return null;
	return { scope, kinds: notificationKinds().map((k) => k.kind) };
}

/**
 * Applies an unsubscribe link: the kind (or, for '*', every kind that currently mails on the
 * link's channel, or every kind for 'all') is set to 'none'. In-app notifications stay. Returns the
 * kinds changed, or null for an invalid token (nothing changes then).
 */
export async function unsubscribe(token: unknown): Promise<string[] | null> {
	const target = unsubscribeTarget(token);
	if (!target) return null;
	const { userId, kind, channelScope } = target.scope;
	// An account removed since the mail went out has nothing left to unsubscribe.
	const [exists] = await db().select({ id: users.id }).from(users).where(eq(users.id, userId));
	if (!exists) return [];
	let kinds = target.kinds;
	if (kind === '*' && channelScope !== 'all') {
		const stored = await storedPreferences(userId);
		kinds = notificationKinds()
			.filter((k) => (stored.get(k.kind) ?? k.defaultChannel) === channelScope)
			.map((k) => k.kind);
	}
	if (!kinds.length) return [];
	// The audit names the person as actor: the signed link is theirs, whoever's browser posts it.
	const actor: Actor = { userId, name: '', email: '', isOperator: false, memberships: [] };
	await setChannels(actor, userId, kinds.map((k) => [k, 'none'] as [string, Channel]), 'unsubscribe');
	return kinds;
}

export { CHANNELS };
