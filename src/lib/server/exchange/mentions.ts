// @mentions: people write "@Vorname Nachname" as plain text. On save the text is matched against
// the display names of the network's coordinators, members and partners (longest name first,
// case-insensitive, at a word boundary); a name of someone outside the network stays plain text
// and notifies nobody. The matches are kept in exchange_mentions.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { users } from '../auth/schema';
import { memberships } from '../network/schema';
import { WORKING_AREA_ROLES, type Actor } from '../auth/actor';
import { likePattern } from '../network/directory-shared';
import { exchangeMentions } from './schema';
import { mustRead, type Reader } from './shared';

export interface Person {
	id: string;
	name: string;
}

/** The people a post may mention: the network's working area with an account that was not deleted. */
function networkPeople(tx: Reader, networkId: string, extra?: SQL) {
	return tx
		.select({ id: users.id, name: users.name })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.networkId, networkId), inArray(memberships.role, [...WORKING_AREA_ROLES]), isNull(users.deletedAt), extra));
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const LETTER = /\p{L}/u;
/** Joins two parts of one name: "Müller-Lüdenscheidt", "O’Neill", "D'Angelo". */
const JOINER = /[-’']/u;

/**
 * Whether a name ends as a word at `at`: not before a letter or digit, nor before a hyphen or
 * apostrophe followed by a letter – "@Anna Müller-Lüdenscheidt" is someone else than "Anna Müller"
 * (and "@Anna Müller's" stays plain text too: safer than telling the wrong person).
 */
function endsWord(text: string, at: number): boolean {
	const c = text[at];
	if (c === undefined) return true;
	if (WORD_CHAR.test(c)) return false;
	return !(JOINER.test(c) && LETTER.test(text[at + 1] ?? ''));
}

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
		const hit = named.find((p) => lower.startsWith(p.name, i + 1) && endsWord(lower, i + 1 + p.name.length));
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
 * never mentioned in this post before: only they are notified about an edit. Rows are kept when an
 * edit removes a name, so removing and re-adding it does not notify the person a second time
 * (exchange_mentions: everyone the post has ever mentioned, one notification per post and person).
 */
export async function saveMentions(tx: Tx, networkId: string, postId: string, text: string): Promise<{ all: string[]; added: string[] }> {
	const now = await resolveMentions(tx, networkId, text);
	if (!now.length) return { all: now, added: [] };
	const added = (
		await tx
			.insert(exchangeMentions)
			.values(now.map((userId) => ({ postId, userId, networkId })))
			.onConflictDoNothing()
			.returning({ userId: exchangeMentions.userId })
	).map((r) => r.userId);
	// In order of first mention (the insert's answer has no order).
	return { all: now, added: now.filter((id) => added.includes(id)) };
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
