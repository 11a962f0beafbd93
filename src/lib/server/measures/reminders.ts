// Weekly reminders: measures without a status update for longer than the network allows, and
// overdue tasks, go to the people responsible, at most one mail per person and week.
//
// Why it never sends twice: the job runs once per week slot (schedule() keeps one queued run per
// kind across instances, runners claim with SKIP LOCKED), and each mail is queued with the key
// measures.reminder:<user>:<ISO week>, so a second run in the same week — after a crash, or by a
// second instance — queues nothing new. The handler is therefore idempotent.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lt, ne, notInArray, notLike, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, measures, measureSettings, measureTasks, memberships, membershipBodies, networks, people, users } from '../db/schema';
import type { Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { recordChange } from '../audit/service';
import { config } from '../config';
import { enqueue } from '../jobs';
import { escapeHtml, layout } from '../mail/templates';
import type { Mail } from '../mail';
import { number, parseFields, todayIso } from '../network/directory-shared';
import { log } from '../log';
import { DEMO_EMAIL_LIKE } from '../network/demo/accounts';
import { formatDate, translate } from '$lib/i18n';
import { canMeasure } from './permissions';
import { CLOSED_STATUSES } from './measures';

export const REMINDER_JOB = 'measures.reminders';
export const REMINDER_EVERY_SECONDS = 7 * 24 * 3600;
export const DEFAULT_STALE_AFTER_DAYS = 90;
/** A mail lists at most this many entries per section; the rest is counted. */
const MAX_LISTED = 30;

// ---- settings -----------------------------------------------------------------------------------

export interface MeasureSettings {
	staleAfterDays: number;
	canEdit: boolean;
}

/** The network's reminder interval (default 90 days when never set). Readable by the working area. */
export async function getMeasureSettings(actor: Actor, networkId: string): Promise<MeasureSettings> {
	if (!canMeasure(actor, 'measure.read', { networkId })) throw new ForbiddenError();
	const [row] = await db().select().from(measureSettings).where(eq(measureSettings.networkId, networkId));
	return { staleAfterDays: row?.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS, canEdit: canMeasure(actor, 'measure.settings', { networkId }) };
}

const settingsShape = () => ({
	staleAfterDays: number({ min: 7, max: 730, integer: true, key: 'settings.staleAfterDays' })
});

/** Coordinators set after how many days without a status update a measure counts as stale. */
export async function updateMeasureSettings(actor: Actor, networkId: string, input: unknown): Promise<{ staleAfterDays: number }> {
	if (!canMeasure(actor, 'measure.settings', { networkId })) throw new ForbiddenError();
	const data = parseFields(settingsShape(), input, (d, errors) => {
		if (d.staleAfterDays === null && !errors.staleAfterDays) errors.staleAfterDays = 'settings.staleAfterDays';
	});
	const staleAfterDays = data.staleAfterDays!;
	return db().transaction(async (tx) => {
		const [before] = await tx.select().from(measureSettings).where(eq(measureSettings.networkId, networkId)).for('update');
		const [after] = await tx
			.insert(measureSettings)
			.values({ networkId, staleAfterDays })
			.onConflictDoUpdate({ target: measureSettings.networkId, set: { staleAfterDays, updatedAt: new Date() } })
			.returning();
		await recordChange(tx, actor, {
			networkId,
			action: 'update',
			recordType: 'measure_settings',
			recordId: networkId,
			before: { staleAfterDays: before?.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS },
			after: { staleAfterDays: after.staleAfterDays }
		});
		return { staleAfterDays: after.staleAfterDays };
	});
}

// ---- collecting -------------------------------------------------------------------------------

/** ISO 8601 week of a moment in Germany, e.g. "2025-W23" (the Thursday decides the year). */
export function isoWeek(now: Date = new Date()): string {
	const [y, m, d] = todayIso(now).split('-').map(Number);
	const date = new Date(Date.UTC(y, m - 1, d));
	const weekday = date.getUTCDay() || 7;
	date.setUTCDate(date.getUTCDate() + 4 - weekday);
	const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
	const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
	return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

interface NetworkRef {
	id: string;
	slug: string;
	name: string;
}
export interface StaleItem {
	measureId: string;
	code: string;
	title: string;
	bodyName: string;
	lastUpdateAt: Date;
	staleAfterDays: number;
}
export interface TaskItem {
	taskId: string;
	taskTitle: string;
	dueOn: string;
	measureId: string;
	code: string;
	title: string;
	bodyName: string;
}
export interface Reminder {
	userId: string;
	name: string;
	email: string;
	networks: { network: NetworkRef; stale: StaleItem[]; tasks: TaskItem[] }[];
}

interface Recipient {
	userId: string;
	name: string;
	email: string;
}

/**
 * Who is responsible, per network: people linked to an account (still in the network's working
 * area, with an address), and the members representing each body.
 */
async function recipientsFor(personIds: string[], bodyIds: string[]) {
	// The demo's invented accounts (responsible for the demo's stale measures) are never mailed.
	const mailable = and(isNull(users.deletedAt), ne(users.email, ''), notLike(users.email, DEMO_EMAIL_LIKE));
	const persons = personIds.length
		? await db()
				.select({ personId: people.id, userId: users.id, name: users.name, email: users.email })
				.from(people)
				.innerJoin(users, eq(users.id, people.userId))
				// Someone who left the network gets no internal details any more.
				.innerJoin(
					memberships,
					and(eq(memberships.userId, users.id), eq(memberships.networkId, people.networkId), inArray(memberships.role, ['coordinator', 'member', 'partner']))
				)
				.where(and(inArray(people.id, personIds), mailable))
		: [];
	const members = bodyIds.length
		? await db()
				.select({ bodyId: membershipBodies.bodyId, userId: users.id, name: users.name, email: users.email })
				.from(membershipBodies)
				.innerJoin(memberships, and(eq(memberships.id, membershipBodies.membershipId), eq(memberships.role, 'member')))
				.innerJoin(users, eq(users.id, memberships.userId))
				.where(and(inArray(membershipBodies.bodyId, bodyIds), mailable))
		: [];
	const byPerson = new Map<string, Recipient>(persons.map((p) => [p.personId, { userId: p.userId, name: p.name, email: p.email }]));
	const byBody = new Map<string, Recipient[]>();
	for (const m of members) {
		const list = byBody.get(m.bodyId) ?? [];
		list.push({ userId: m.userId, name: m.name, email: m.email });
		byBody.set(m.bodyId, list);
	}
	return { byPerson, byBody };
}

const chunks = <T>(list: T[], size = 500): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/** Everything due this week, grouped by recipient. Reads only; sending is sendMeasureReminders. */
export async function collectReminders(now: Date = new Date()): Promise<Reminder[]> {
	const today = todayIso(now);
	const days = sql<number>`coalesce(${measureSettings.staleAfterDays}, ${DEFAULT_STALE_AFTER_DAYS}::int)`;
	const open = notInArray(measures.status, [...CLOSED_STATUSES]);
	const stale = await db()
		.select({
			measureId: measures.id,
			networkId: measures.networkId,
			bodyId: measures.bodyId,
			contactPersonId: measures.contactPersonId,
			code: measures.code,
			title: measures.title,
			bodyName: bodies.name,
			lastUpdateAt: measures.lastUpdateAt,
			staleAfterDays: days
		})
		.from(measures)
		.innerJoin(bodies, eq(bodies.id, measures.bodyId))
		.leftJoin(measureSettings, eq(measureSettings.networkId, measures.networkId))
		.where(and(open, lt(measures.lastUpdateAt, sql`${now.toISOString()}::timestamptz - ${days} * interval '1 day'`)));
	const tasks = await db()
		.select({
			taskId: measureTasks.id,
			taskTitle: measureTasks.title,
			dueOn: measureTasks.dueOn,
			ownerPersonId: measureTasks.ownerPersonId,
			measureId: measures.id,
			networkId: measures.networkId,
			bodyId: measures.bodyId,
			contactPersonId: measures.contactPersonId,
			code: measures.code,
			title: measures.title,
			bodyName: bodies.name
		})
		.from(measureTasks)
		.innerJoin(measures, and(eq(measures.id, measureTasks.measureId), eq(measures.networkId, measureTasks.networkId)))
		.innerJoin(bodies, eq(bodies.id, measures.bodyId))
		.where(and(open, inArray(measureTasks.state, ['open', 'in_progress']), lt(measureTasks.dueOn, today)));
	if (!stale.length && !tasks.length) return [];

	const personIds = [...new Set([...stale, ...tasks].flatMap((r) => [r.contactPersonId, 'ownerPersonId' in r ? r.ownerPersonId : null]).filter((x): x is string => !!x))];
	const bodyIds = [...new Set([...stale, ...tasks].map((r) => r.bodyId))];
	const byPerson = new Map<string, Recipient>();
	const byBody = new Map<string, Recipient[]>();
	// Chunked: a network-wide backlog must not turn into one query with tens of thousands of parameters.
	for (let i = 0; i < Math.max(chunks(personIds).length, chunks(bodyIds).length); i++) {
		const r = await recipientsFor(chunks(personIds)[i] ?? [], chunks(bodyIds)[i] ?? []);
		for (const [k, v] of r.byPerson) byPerson.set(k, v);
		for (const [k, v] of r.byBody) byBody.set(k, [...(byBody.get(k) ?? []), ...v]);
	}
	const responsible = (r: { contactPersonId: string | null; bodyId: string }, ownerPersonId?: string | null): Recipient[] => {
		const owner = ownerPersonId ? byPerson.get(ownerPersonId) : undefined;
		if (owner) return [owner];
		const contact = r.contactPersonId ? byPerson.get(r.contactPersonId) : undefined;
		return contact ? [contact] : (byBody.get(r.bodyId) ?? []);
	};

	const networkIds = [...new Set([...stale, ...tasks].map((r) => r.networkId))];
	const nets = new Map<string, NetworkRef>(
		(await db().select({ id: networks.id, slug: networks.slug, name: networks.name }).from(networks).where(inArray(networks.id, networkIds))).map((n) => [n.id, n])
	);

	const out = new Map<string, Reminder>();
	const slot = (to: Recipient, networkId: string) => {
		let rem = out.get(to.userId);
		if (!rem) out.set(to.userId, (rem = { userId: to.userId, name: to.name, email: to.email, networks: [] }));
		let n = rem.networks.find((x) => x.network.id === networkId);
		if (!n) rem.networks.push((n = { network: nets.get(networkId)!, stale: [], tasks: [] }));
		return n;
	};
	for (const s of stale) {
		for (const to of responsible(s)) {
			slot(to, s.networkId).stale.push({
				measureId: s.measureId,
				code: s.code,
				title: s.title,
				bodyName: s.bodyName,
				lastUpdateAt: s.lastUpdateAt,
				staleAfterDays: Number(s.staleAfterDays)
			});
		}
	}
	for (const t of tasks) {
		for (const to of responsible(t, t.ownerPersonId)) {
			slot(to, t.networkId).tasks.push({
				taskId: t.taskId,
				taskTitle: t.taskTitle,
				dueOn: t.dueOn!,
				measureId: t.measureId,
				code: t.code,
				title: t.title,
				bodyName: t.bodyName
			});
		}
	}
	const result = [...out.values()];
	for (const r of result) {
		for (const n of r.networks) {
			n.stale.sort((a, b) => a.lastUpdateAt.getTime() - b.lastUpdateAt.getTime() || a.code.localeCompare(b.code, 'de'));
			n.tasks.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.code.localeCompare(b.code, 'de'));
		}
		r.networks.sort((a, b) => a.network.name.localeCompare(b.network.name, 'de'));
	}
	return result;
}

// ---- the mail -----------------------------------------------------------------------------------

const de = (key: string, params?: Record<string, string | number>) => translate('de', key, params);

/** One reminder mail. Lists with links are put into layout()'s HTML in place of unguessable markers. */
export function reminderMail(r: Reminder, week: string): Mail {
	const weekNo = Number(week.slice(-2));
	const lists: { marker: string; items: { text: string; url: string }[]; more: number }[] = [];
	const paragraphs: string[] = [de('reminder.intro')];
	const measureUrl = (n: NetworkRef, id: string) => `${config.origin}/${n.slug}/intern/massnahmen/${id}`;
	const list = (items: { text: string; url: string }[]) => {
		const marker = `[[${randomUUID()}]]`;
		lists.push({ marker, items: items.slice(0, MAX_LISTED), more: Math.max(0, items.length - MAX_LISTED) });
		paragraphs.push(marker);
	};
	for (const n of r.networks) {
		if (r.networks.length > 1) paragraphs.push(n.network.name);
		if (n.stale.length) {
			paragraphs.push(de('reminder.staleHeading', { days: n.stale[0].staleAfterDays }));
			list(
				n.stale.map((s) => ({
					text: de('reminder.staleItem', { code: s.code, title: s.title, body: s.bodyName, date: formatDate(s.lastUpdateAt, 'de') }),
					url: measureUrl(n.network, s.measureId)
				}))
			);
		}
		if (n.tasks.length) {
			paragraphs.push(de('reminder.tasksHeading'));
			list(
				n.tasks.map((t) => ({
					text: de('reminder.taskItem', { task: t.taskTitle, date: formatDate(t.dueOn, 'de'), code: t.code, title: t.title, body: t.bodyName }),
					url: measureUrl(n.network, t.measureId)
				}))
			);
		}
	}
	paragraphs.push(de('reminder.how'));
	const first = r.networks[0].network;
	const subject = de('reminder.subject', { week: weekNo });
	const mail = layout(r.email, subject, {
		greeting: r.name ? de('reminder.greeting', { name: r.name }) : de('reminder.greetingAnonymous'),
		paragraphs,
		action: { label: de('reminder.action'), url: `${config.origin}/${first.slug}/intern/massnahmen` },
		footer: de('reminder.footer')
	});
	let { text, html } = mail;
	for (const l of lists) {
		const moreLine = l.more ? de('reminder.more', { count: l.more }) : '';
		const textList = [...l.items.map((i) => `- ${i.text}\n  ${i.url}`), ...(moreLine ? [moreLine] : [])].join('\n');
		const htmlList =
			`<ul>${l.items.map((i) => `<li><a href="${escapeHtml(i.url)}" style="color: #153d99;">${escapeHtml(i.text)}</a></li>`).join('')}</ul>` +
			(moreLine ? `<p>${escapeHtml(moreLine)}</p>` : '');
		// Function replacers: "$" in a title must not be read as a replacement pattern.
		text = text.replace(l.marker, () => textList);
		html = html.replace(`<p>${l.marker}</p>`, () => htmlList);
	}
	return { ...mail, text, html };
}

// ---- sending ------------------------------------------------------------------------------------

export interface ReminderRun {
	week: string;
	recipients: number;
	/** Mails queued by this run; recipients already reminded this week are skipped. */
	queued: number;
}

/** Queues this week's reminder mails. Safe to run any number of times: one mail per person and week. */
export async function sendMeasureReminders(now: Date = new Date()): Promise<ReminderRun> {
	const week = isoWeek(now);
	const reminders = await collectReminders(now);
	let queued = 0;
	for (const r of reminders) {
		const job = await enqueue('mail.send', reminderMail(r, week), { uniqueKey: `measures.reminder:${r.userId}:${week}` });
		if (job) queued++;
	}
	log.info('measures.reminders', { week, recipients: reminders.length, queued });
	return { week, recipients: reminders.length, queued };
}

/** The weekly job (registered in app.ts). */
export async function measureRemindersJob(): Promise<void> {
	await sendMeasureReminders();
}
