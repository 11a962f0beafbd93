import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor } from '../testing/factories';
import { db } from '../db/client';
import { auditLog, jobs, measures, people, users } from '../db/schema';
import { enqueue, registerJobHandler, runDueJobs } from '../jobs';
import { config } from '../config';
import { ForbiddenError, ValidationError } from '../errors';
import type { Actor } from '../auth/actor';
import { addTask } from './tasks';
import {
	collectReminders,
	getMeasureSettings,
	isoWeek,
	measureRemindersJob,
	REMINDER_JOB,
	sendMeasureReminders,
	updateMeasureSettings
} from './reminders';
import { makeMeasure, measureWorld } from './testing';
import { DEMO_EMAIL_DOMAIN } from '../network/demo/accounts';

useTestDb();

// Mails that the runners deliver go to a throw-away outbox, not the project's data directory.
let dataDir = '';
const savedDataDir = process.env.DATA_DIR;
const savedSmtp = process.env.SMTP_URL;
beforeAll(() => {
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klimanetz-reminders-'));
	process.env.DATA_DIR = dataDir;
	delete process.env.SMTP_URL;
});
afterAll(() => {
	if (savedDataDir === undefined) delete process.env.DATA_DIR;
	else process.env.DATA_DIR = savedDataDir;
	if (savedSmtp !== undefined) process.env.SMTP_URL = savedSmtp;
	fs.rmSync(dataDir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const isoDaysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

async function makeStale(measureId: string, days: number) {
	await db().update(measures).set({ lastUpdateAt: new Date(Date.now() - days * DAY) }).where(eq(measures.id, measureId));
}

/** A person of the directory linked to the actor's account. */
async function personFor(actor: Actor, networkId: string, bodyId: string | null, name: string) {
	const [p] = await db().insert(people).values({ networkId, bodyId, userId: actor.userId, name }).returning();
	return p;
}

interface MailJob {
	to: string;
	subject: string;
	text: string;
	html: string;
}

async function reminderJobsFor(actors: Actor[]) {
	const rows = await db()
		.select()
		.from(jobs)
		.where(
			and(
				eq(jobs.kind, 'mail.send'),
				inArray(
					sql<string>`split_part(${jobs.uniqueKey}, ':', 2)`,
					actors.map((a) => a.userId!)
				),
				like(jobs.uniqueKey, 'measures.reminder:%')
			)
		);
	return rows.map((r) => ({ key: r.uniqueKey!, status: r.status, mail: r.payload as MailJob }));
}

async function world() {
	const w = await measureWorld();
	const contact = await makeActor(w.network.id, 'coordinator');
	const owner = await makeActor(w.network.id, 'partner');
	const contactPerson = await personFor(contact, w.network.id, w.town.id, 'Kim Kontakt');
	const ownerPerson = await personFor(owner, w.network.id, null, 'Olli Owner');
	return { ...w, contact, owner, contactPerson, ownerPerson };
}

describe('weekly reminders', () => {
	it('a stale measure and overdue tasks give one mail per responsible person, once per week', async () => {
		const w = await world();
		const withContact = await makeMeasure(w.member, w.network.id, w.concept.id, {
			code: 'M-1',
			title: 'PV <b>&$1 Rathaus',
			contactPersonId: w.contactPerson.id
		});
		await makeStale(withContact.id, 100);
		// Fresh, but with an overdue task without owner (→ the town's members) and one with an owner.
		const fresh = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2', title: 'LED-Straßenbeleuchtung' });
		await addTask(w.member, w.network.id, fresh.id, { title: 'Förderantrag stellen', dueOn: isoDaysAgo(3), state: 'open' });
		await addTask(w.member, w.network.id, fresh.id, { title: 'Angebote einholen', dueOn: isoDaysAgo(10), state: 'in_progress', ownerPersonId: w.ownerPerson.id });
		// Stale in the other town, no contact: its member.
		const other = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1', title: 'Radverkehrskonzept' });
		await makeStale(other.id, 91);

		const everyone = [w.member, w.otherMember, w.contact, w.owner, w.coordinator, w.partner, w.citizen];
		const first = await sendMeasureReminders();
		expect(first.week).toBe(isoWeek());
		const queued = await reminderJobsFor(everyone);
		expect(queued.map((j) => j.mail.to).sort()).toEqual([w.member.email, w.otherMember.email, w.contact.email, w.owner.email].sort());
		expect(queued.every((j) => j.key.endsWith(`:${first.week}`))).toBe(true);

		const byTo = new Map(queued.map((j) => [j.mail.to, j.mail]));
		const toContact = byTo.get(w.contact.email)!;
		expect(toContact.subject).toContain(`KW ${Number(first.week.slice(-2))}`);
		expect(toContact.text).toContain('M-1 PV <b>&$1 Rathaus (Wernigerode)');
		expect(toContact.text).toContain(`${config.origin}/${w.network.slug}/intern/massnahmen/${withContact.id}`);
		expect(toContact.text).toContain('Seit mehr als 90 Tagen ohne Statusmeldung');
		expect(toContact.text).not.toContain('M-2');
		// User text is escaped in HTML, and every item links to its measure.
		expect(toContact.html).toContain('PV &lt;b&gt;&amp;$1 Rathaus');
		expect(toContact.html).toContain(`<a href="${config.origin}/${w.network.slug}/intern/massnahmen/${withContact.id}"`);
		expect(toContact.html).not.toContain('[[');

		const toMember = byTo.get(w.member.email)!;
		expect(toMember.text).toContain('Förderantrag stellen');
		expect(toMember.text).not.toContain('Angebote einholen');
		expect(toMember.text).not.toContain('M-1 ');
		expect(byTo.get(w.owner.email)!.text).toContain('Angebote einholen');
		expect(byTo.get(w.otherMember.email)!.text).toContain('H-1 Radverkehrskonzept');

		// Again in the same week (a retry, another instance): nothing new.
		const second = await sendMeasureReminders();
		expect(second.queued).toBe(0);
		expect(second.recipients).toBeGreaterThanOrEqual(4);
		expect(await reminderJobsFor(everyone)).toHaveLength(4);
	});

	it('two runners running the job at the same time send each mail once', async () => {
		const w = await world();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', contactPersonId: w.contactPerson.id });
		await makeStale(m.id, 120);
		await addTask(w.member, w.network.id, m.id, { title: 'Statik prüfen', dueOn: isoDaysAgo(1), state: 'open' });
		registerJobHandler(REMINDER_JOB, measureRemindersJob);
		// As if two instances had both queued the weekly run.
		await enqueue(REMINDER_JOB, {});
		await enqueue(REMINDER_JOB, {});
		const everyone = [w.member, w.otherMember, w.contact, w.owner, w.coordinator];
		// Both runners poll at the same time until the queue is empty: first the two weekly runs
		// (one each, or both by one of them), then the mails they queued.
		const pending = async () => {
			const [{ n }] = await db()
				.select({ n: sql<number>`count(*)::int` })
				.from(jobs)
				.where(and(inArray(jobs.status, ['queued', 'running']), inArray(jobs.kind, [REMINDER_JOB, 'mail.send'])));
			return n;
		};
		let reminderRuns = 0;
		for (let i = 0; i < 20 && (await pending()) > 0; i++) {
			const runs = await Promise.all([runDueJobs('instance-a', 5), runDueJobs('instance-b', 5)]);
			reminderRuns += runs.reduce((n, r) => n + r.claimed, 0);
		}
		expect(await pending()).toBe(0);
		const runs = await db().select({ status: jobs.status }).from(jobs).where(eq(jobs.kind, REMINDER_JOB));
		expect(runs.map((r) => r.status)).toEqual(['done', 'done']);
		expect(reminderRuns).toBeGreaterThanOrEqual(2);

		const queued = await reminderJobsFor(everyone);
		expect(queued.map((j) => j.mail.to)).toEqual([w.contact.email]);
		expect(queued[0].status).toBe('done');
		// The stale measure and its overdue task are in the same mail.
		expect(queued[0].mail.text).toContain('Statik prüfen');

		// Delivered: exactly one file in the outbox for this person.
		const safe = w.contact.email.replace(/[^a-zA-Z0-9@._-]/g, '_');
		const files = fs.readdirSync(path.join(dataDir, 'outbox')).filter((f) => f.endsWith(`-${safe}.eml`));
		expect(files).toHaveLength(1);
	});

	it('closed and recently updated measures, and finished or future tasks, produce nothing', async () => {
		const w = await world();
		const done = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', status: 'completed', progress: '100', contactPersonId: w.contactPerson.id });
		await makeStale(done.id, 400);
		await addTask(w.member, w.network.id, done.id, { title: 'Abrechnung', dueOn: isoDaysAgo(30), state: 'open' });
		const dropped = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2', status: 'discarded', statusReason: 'Zu teuer' });
		await makeStale(dropped.id, 400);
		const fresh = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-3', contactPersonId: w.contactPerson.id });
		await makeStale(fresh.id, 89);
		await addTask(w.member, w.network.id, fresh.id, { title: 'Erledigt', dueOn: isoDaysAgo(30), state: 'done' });
		await addTask(w.member, w.network.id, fresh.id, { title: 'Abgesagt', dueOn: isoDaysAgo(30), state: 'cancelled' });
		await addTask(w.member, w.network.id, fresh.id, { title: 'Später', dueOn: isoDaysAgo(-5), state: 'open' });
		await addTask(w.member, w.network.id, fresh.id, { title: 'Heute', dueOn: isoDaysAgo(0), state: 'open' });
		await addTask(w.member, w.network.id, fresh.id, { title: 'Ohne Termin', state: 'open' });

		const mine = new Set([w.member, w.otherMember, w.contact, w.owner].map((a) => a.userId));
		expect((await collectReminders()).filter((r) => mine.has(r.userId))).toEqual([]);
	});

	it('the network setting decides when a measure is stale; people who left the network are skipped', async () => {
		const w = await world();
		const m = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', contactPersonId: w.contactPerson.id });
		await makeStale(m.id, 40);
		const mine = (list: Awaited<ReturnType<typeof collectReminders>>) => list.filter((r) => r.networks.some((n) => n.network.id === w.network.id));
		expect(mine(await collectReminders())).toEqual([]);
		await updateMeasureSettings(w.coordinator, w.network.id, { staleAfterDays: '30' });
		const list = mine(await collectReminders());
		expect(list.map((r) => r.userId)).toEqual([w.contact.userId]);
		expect(list[0].networks[0].stale[0]).toMatchObject({ code: 'M-1', staleAfterDays: 30 });

		// The contact's account is no longer in the network: the town's members are reminded instead.
		await db().execute(sql`delete from memberships where user_id = ${w.contact.userId} and network_id = ${w.network.id}`);
		expect(mine(await collectReminders()).map((r) => r.userId)).toEqual([w.member.userId]);

		// Another network's setting does not apply here.
		const elsewhere = await measureWorld();
		await updateMeasureSettings(elsewhere.coordinator, elsewhere.network.id, { staleAfterDays: '7' });
		const other = await makeMeasure(elsewhere.member, elsewhere.network.id, elsewhere.concept.id, { code: 'M-1' });
		await makeStale(other.id, 20);
		const inOther = (await collectReminders()).filter((r) => r.networks.some((n) => n.network.id === elsewhere.network.id));
		expect(inOther.map((r) => r.userId)).toEqual([elsewhere.member.userId]);
		expect(await getMeasureSettings(w.member, w.network.id)).toEqual({ staleAfterDays: 30, canEdit: false });
	});

	it('the demo’s invented accounts (@demo.klimanetz.example) are never reminded', async () => {
		const w = await world();
		// A demo member of the town and a demo contact person, as the Harz demo has them.
		const demoMember = await makeActor(w.network.id, 'member', [w.town.id]);
		const demoContact = await makeActor(w.network.id, 'member', [w.town.id]);
		for (const a of [demoMember, demoContact]) {
			await db().update(users).set({ email: `${a.userId}@${DEMO_EMAIL_DOMAIN}` }).where(eq(users.id, a.userId!));
		}
		const demoPerson = await personFor(demoContact, w.network.id, w.town.id, 'Miriam Koch (Demo)');
		const withDemoContact = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-1', contactPersonId: demoPerson.id });
		await makeStale(withDemoContact.id, 100);
		const m2 = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'M-2' });
		await addTask(w.member, w.network.id, m2.id, { title: 'Angebote einholen', dueOn: isoDaysAgo(2), state: 'open' });

		const run = await sendMeasureReminders();
		expect(run.queued).toBeGreaterThanOrEqual(1);
		expect(await reminderJobsFor([demoMember, demoContact])).toEqual([]);
		// The town's real member is reminded of both instead: the demo contact does not count as reachable.
		const [toMember] = await reminderJobsFor([w.member]);
		expect(toMember.mail.to).toBe(w.member.email);
		expect(toMember.mail.text).toContain('M-1 ');
		expect(toMember.mail.text).toContain('Angebote einholen');
		expect((await collectReminders()).some((r) => r.email.endsWith(`@${DEMO_EMAIL_DOMAIN}`))).toBe(false);
	});

	it('settings: coordinators only, 7 to 730 whole days, with an audit entry', async () => {
		const w = await world();
		expect(await getMeasureSettings(w.coordinator, w.network.id)).toEqual({ staleAfterDays: 90, canEdit: true });
		expect(await getMeasureSettings(w.partner, w.network.id)).toEqual({ staleAfterDays: 90, canEdit: false });
		await expect(getMeasureSettings(w.citizen, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		for (const a of [w.member, w.partner, w.citizen]) {
			await expect(updateMeasureSettings(a, w.network.id, { staleAfterDays: '60' })).rejects.toBeInstanceOf(ForbiddenError);
		}
		for (const bad of ['6', '731', '1,5', '', 'neunzig', '-30']) {
			const e = await updateMeasureSettings(w.coordinator, w.network.id, { staleAfterDays: bad }).catch((x) => x);
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).fieldErrors).toEqual({ staleAfterDays: 'settings.staleAfterDays' });
		}
		expect(await updateMeasureSettings(w.coordinator, w.network.id, { staleAfterDays: '7' })).toEqual({ staleAfterDays: 7 });
		expect(await updateMeasureSettings(w.coordinator, w.network.id, { staleAfterDays: ' 730 ' })).toEqual({ staleAfterDays: 730 });
		expect((await getMeasureSettings(w.member, w.network.id)).staleAfterDays).toBe(730);
		const audit = await db()
			.select({ before: auditLog.before, after: auditLog.after })
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'measure_settings'), eq(auditLog.recordId, w.network.id)));
		expect(audit).toHaveLength(2);
		expect(audit).toEqual(
			expect.arrayContaining([
				{ before: { staleAfterDays: 90 }, after: { staleAfterDays: 7 } },
				{ before: { staleAfterDays: 7 }, after: { staleAfterDays: 730 } }
			])
		);
	});

	it('weeks are ISO weeks in German time', () => {
		expect(isoWeek(new Date('2025-06-01T12:00:00Z'))).toBe('2025-W22');
		// 22:30 UTC on Sunday is already Monday in Berlin.
		expect(isoWeek(new Date('2025-06-01T22:30:00Z'))).toBe('2025-W23');
		expect(isoWeek(new Date('2025-12-29T12:00:00Z'))).toBe('2026-W01');
		expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
	});
});
