import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { SYSTEM } from '../bootstrap';
import { loadHarzDemo } from '../network/demo/harz';
import { seedMeetingsDemo } from '../meetings/demo';
import { makeActor } from '../testing/factories';
import { exchangeMentions, exchangeThreads, exchangeTopics } from './schema';
import { notifications } from '../notifications/schema';
import { jobs } from '../db/schema';
import { MAIL_JOB } from '../notifications';
import { DEMO_MEMBERS } from '../network/demo/accounts';
import { listThreads } from './threads';
import { answerOf, listPosts } from './posts';
import { getThread } from './threads';
import { registerExchangeRecords } from './records';
import { seedExchangeDemo } from './demo';

useTestDb();
registerExchangeRecords();

describe('exchange demo data', () => {
	it('seeds the default topics and four discussions of the demo accounts, one answered, one mention; idempotent', async () => {
		const { networkId } = await loadHarzDemo(SYSTEM);
		const coordinator = await makeActor(networkId, 'coordinator');
		await seedMeetingsDemo(coordinator, networkId, new Date('2026-09-01T10:00:00Z'));
		const now = new Date('2026-09-01T10:00:00Z');
		expect(await seedExchangeDemo(coordinator, networkId, now)).toEqual({ skipped: false, topics: 7, threads: 4, replies: 8 });
		expect(await seedExchangeDemo(coordinator, networkId, now)).toEqual({ skipped: true, topics: 0, threads: 0, replies: 0 });

		const topics = await db().select().from(exchangeTopics).where(eq(exchangeTopics.networkId, networkId));
		expect(topics).toHaveLength(7);
		const rows = await db().select().from(exchangeThreads).where(eq(exchangeThreads.networkId, networkId));
		expect(rows).toHaveLength(4);
		expect(rows.every((r) => r.isDemo)).toBe(true);

		const list = await listThreads(coordinator, networkId);
		expect(list.items[0].title).toBe('Dienstfahrräder für die Verwaltung: Leasing oder Kauf?');
		const pv = list.items.find((i) => i.title === 'Erfahrungen mit PV auf denkmalgeschützten Dächern?')!;
		expect(pv).toMatchObject({ answered: true, replyCount: 3, authorName: 'Miriam Koch (Demo)', topicTitle: 'Energie' });
		const answer = await answerOf(coordinator, await getThread(coordinator, networkId, pv.id));
		expect(answer?.authorName).toBe('Stefan Lehmann (Demo)');
		const posts = await listPosts(coordinator, networkId, pv.id);
		expect(posts.items[0].html).toContain('Beispieldaten');

		const mentions = await db().select().from(exchangeMentions).where(eq(exchangeMentions.networkId, networkId));
		expect(mentions).toHaveLength(1);

		// Spoken by the shared demo accounts, and nobody was told or mailed: not the invented
		// accounts (reserved addresses), not the real coordinator whose demo thread got a reply.
		const demoNames = new Set(DEMO_MEMBERS.map((d) => d.name));
		expect(list.items.filter((i) => i.authorName && demoNames.has(i.authorName))).toHaveLength(3);
		expect(await db().select().from(notifications).where(eq(notifications.networkId, networkId))).toEqual([]);
		expect(await db().select().from(jobs).where(eq(jobs.kind, MAIL_JOB))).toEqual([]);
	});
});
