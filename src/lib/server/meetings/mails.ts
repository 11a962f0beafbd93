// The mails around a meeting: invitation, update (after a change), cancellation and reminder.
// German text with date, place, online link, agenda titles and the answer link, plus the meeting
// as an .ics attachment (METHOD:PUBLISH; STATUS and SEQUENCE tell calendar clients to update or
// cancel their copy: the same UID as the meeting in the private calendar feed).
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { db, type Tx } from '../db/client';
import { agendaItems, bodies, meetings, networks } from '../db/schema';
import { config } from '../config';
import { escapeHtml, layout } from '../mail/templates';
import type { Mail } from '../mail';
import { translate } from '$lib/i18n';
import { icsFileName, writeCalendar } from '../calendar/ical';
import { NotFoundError } from '../errors';
import { formatMeetingTime, dayText } from './time';
import { meetingEvent } from './calendar-source';

export type MeetingMailKind = 'invitation' | 'update' | 'cancellation' | 'reminder';

export interface MeetingMailContext {
	meeting: typeof meetings.$inferSelect;
	network: { id: string; slug: string; name: string };
	hostName: string | null;
	/** Agenda item titles in order. */
	agenda: string[];
}

export interface Recipient {
	userId: string;
	name: string;
	email: string;
}

/** A mail lists at most this many agenda items; the rest is counted. */
const MAX_AGENDA = 40;

const de = (key: string, params?: Record<string, string | number>) => translate('de', key, params);

/** Everything the mails of one meeting need, read in the caller's transaction. */
export async function loadMailContext(tx: Tx | ReturnType<typeof db>, networkId: string, meetingId: string): Promise<MeetingMailContext> {
	const [row] = await tx
		.select({ meeting: meetings, network: { id: networks.id, slug: networks.slug, name: networks.name }, hostName: bodies.name })
		.from(meetings)
		.innerJoin(networks, eq(networks.id, meetings.networkId))
		.leftJoin(bodies, and(eq(bodies.id, meetings.hostBodyId), eq(bodies.networkId, meetings.networkId)))
		.where(and(eq(meetings.id, meetingId), eq(meetings.networkId, networkId)));
	if (!row) throw new NotFoundError();
	const agenda = await tx
		.select({ title: agendaItems.title })
		.from(agendaItems)
		.where(and(eq(agendaItems.meetingId, meetingId), eq(agendaItems.networkId, networkId)))
		.orderBy(asc(agendaItems.position), asc(agendaItems.createdAt))
		.limit(MAX_AGENDA + 1);
	return { meeting: row.meeting, network: row.network, hostName: row.hostName, agenda: agenda.map((a) => a.title) };
}

export const meetingUrl = (ctx: MeetingMailContext) => `${config.origin}/${ctx.network.slug}/intern/treffen/${ctx.meeting.id}`;
export const answerUrl = (ctx: MeetingMailContext) => `${meetingUrl(ctx)}/antwort`;

/** "Bunter Hof, Kapellenstraße 1, 38835 Osterwieck" – what there is of name and address. */
export function placeText(m: { venueName: string; venueAddress: string }): string {
	return [m.venueName, m.venueAddress].map((s) => s.trim()).filter(Boolean).join(', ');
}

/** The meeting as a one-event calendar file; a cancelled meeting gets STATUS:CANCELLED. */
export function meetingIcs(ctx: MeetingMailContext, now: Date = new Date()): string {
	const event = meetingEvent(ctx.meeting, { slug: ctx.network.slug, host: ctx.hostName ? { name: ctx.hostName } : null });
	return writeCalendar({ name: ctx.meeting.title }, [event], { now });
}

/** One mail of `kind` to one person. User text is escaped in the HTML; the .ics is attached. */
export function meetingMail(kind: MeetingMailKind, to: Recipient, ctx: MeetingMailContext, now: Date = new Date()): Mail {
	const m = ctx.meeting;
	const params = { title: m.title, network: ctx.network.name, when: formatMeetingTime(m.startsAt, m.endsAt, 'de'), day: dayText(m.startsAt, 'de') };
	const paragraphs: string[] = [de(`meetingMail.${kind}.intro`, params)];
	paragraphs.push(de('meetingMail.when', params));
	const place = placeText(m);
	if (place) paragraphs.push(de('meetingMail.where', { place }));
	if (ctx.hostName) paragraphs.push(de('meetingMail.host', { host: ctx.hostName }));
	if (m.onlineUrl && kind !== 'cancellation') paragraphs.push(de('meetingMail.online', { url: m.onlineUrl }));
	let marker: string | null = null;
	if (ctx.agenda.length && kind !== 'cancellation') {
		paragraphs.push(de('meetingMail.agenda'));
		marker = `[[${randomUUID()}]]`;
		paragraphs.push(marker);
	}
	if (kind !== 'cancellation') paragraphs.push(de(kind === 'reminder' ? 'meetingMail.reminder.answer' : 'meetingMail.answer'));
	paragraphs.push(de(kind === 'cancellation' ? 'meetingMail.icsCancelled' : 'meetingMail.ics'));
	const mail = layout(to.email, de(`meetingMail.${kind}.subject`, params), {
		greeting: to.name ? de('meetingMail.greeting', { name: to.name }) : de('meetingMail.greetingAnonymous'),
		paragraphs,
		action: kind === 'cancellation' ? { label: de('meetingMail.openMeeting'), url: meetingUrl(ctx) } : { label: de('meetingMail.answerAction'), url: answerUrl(ctx) },
		footer: de('meetingMail.footer', { network: ctx.network.name })
	});
	let { text, html } = mail;
	if (marker) {
		const items = ctx.agenda.slice(0, MAX_AGENDA);
		const more = ctx.agenda.length > MAX_AGENDA ? de('meetingMail.agendaMore') : '';
		const textList = [...items.map((t, i) => `${i + 1}. ${t}`), ...(more ? [more] : [])].join('\n');
		const htmlList = `<ol>${items.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ol>` + (more ? `<p>${escapeHtml(more)}</p>` : '');
		// Function replacers: "$" in a title must not be read as a replacement pattern.
		text = text.replace(marker, () => textList);
		html = html.replace(`<p>${marker}</p>`, () => htmlList);
	}
	return {
		...mail,
		text,
		html,
		attachments: [{ filename: icsFileName(m.title), content: meetingIcs(ctx, now), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }]
	};
}
