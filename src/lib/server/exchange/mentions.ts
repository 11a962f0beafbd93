// @mentions: people write "@Vorname Nachname" as plain text. On save the text is matched against
// the display names of the network's coordinators, members and partners (longest name first,
// case-insensitive, at a word boundary); a name of someone outside the network stays plain text
// and notifies nobody. The matches are kept in exchange_mentions.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { users } from '../auth/schema';
import { memberships } from '../network/schema';
import type { Actor } from '../auth/actor';
import { likePattern } from '../network/directory-shared';
import { exchangeMentions } from './schema';
import { mustRead, type Reader } from './shared';

export interface Person {
	id: string;
	name: string;
}

const WORKING_ROLES = ['coordinator', 'member', 'partner'] as const;

/** The people a post may mention: the network's working area with an account that was not deleted. */
function networkPeople(tx: Reader, networkId: string, extra?: SQL) {
	return tx
		.select({ id: users.id, name: users.name })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.networkId, networkId), inArray(memberships.role, [...WORKING_ROLES]), isNull(users.deletedAt), extra));
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The people a text mentions (ids, in order of first mention). At each "@" that starts a word, the
 * longest name of `people` that follows it (ignoring case) and ends at a word boundary wins, so
 * "@Anna Maria Schulz" is Anna Maria Schulz, not Anna Maria, when both are in the network.
 */
export function findMentions(text: string, people: Person[]): string[] {
	if (!text.includes('@')) return [];
	const named = people
		.map((p) => ({ id: p.id, name: p.name.trim().toLocaleLowerCase('de') }))
		.filter((p) => p.name.length > 0)
		.sort((a, b) => b.name.length - a.name.length);
	const lower = text.toLocaleLowerCase('de');
	const found: string[] = [];
	for (let i = lower.indexOf('@'); i >= 0; i = lower.indexOf('@', i + 1)) {
		// "anna@example.org" is an address, not a mention.
		if (i > 0 && WORD_CHAR.test(lower[i - 1])) continue;
		const hit = named.find((p) => lower.startsWith(p.name, i + 1) && !WORD_CHAR.test(lower[i + 1 + p.name.length] ?? ' '));
		if (hit && !found.includes(hit.id)) found.push(hit.id);
	}
	return found;
}

/** Resolves the mentions of a text against the network's people. */
export async function resolveMentions(tx: Reader, networkId: string, text: string): Promise<string[]> {
	if (!text.includes('@')) return [];
	// A network has tens to a few hundred people; their names are matched in memory.
	return findMentions(text, await networkPeople(tx, networkId).limit(5000));
}

/**
 * Stores the mentions of a post (after create or edit) and returns who is mentioned now and who was
 * not mentioned before (only they are notified about an edit). Removed names are removed.
 */
export async function saveMentions(tx: Tx, networkId: string, postId: string, text: string): Promise<{ all: string[]; added: string[] }> {
	const now = await resolveMentions(tx, networkId, text);
	const before = (await tx.select({ userId: exchangeMentions.userId }).from(exchangeMentions).where(eq(exchangeMentions.postId, postId))).map((r) => r.userId);
	const added = now.filter((id) => !before.includes(id));
	const removed = before.filter((id) => !now.includes(id));
	if (removed.length) await tx.delete(exchangeMentions).where(and(eq(exchangeMentions.postId, postId), inArray(exchangeMentions.userId, removed)));
	if (added.length) await tx.insert(exchangeMentions).values(added.map((userId) => ({ postId, userId, networkId }))).onConflictDoNothing();
	return { all: now, added };
}

/**
 * People of the network whose name starts with `q` or has a word starting with it, for the mention
 * autocomplete: at most 10, only for the network's working area.
 */
export async function searchPeople(actor: Actor, networkId: string, q: string): Promise<Person[]> {
	mustRead(actor, networkId);
	const term = q.replace(/\u0000/g, '').replace(/^@/, '').trim().slice(0, 100);
	if (!term) return [];
	const starts = likePattern(term).slice(1);
	const word = `% ${starts}`;
	return networkPeople(db(), networkId, sql`(${users.name} ilike ${starts} or ${users.name} ilike ${word})`)
		.orderBy(asc(users.name))
		.limit(10);
}
