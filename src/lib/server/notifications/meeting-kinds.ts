// The meetings module's notification kinds. Registered when this file is first imported (by
// meetings/invitations.ts and meetings/reminders.ts), so every code path that raises them, tests
// included, finds them registered.
import type { Db, Tx } from '../db/client';
import { translate } from '$lib/i18n';
import { placeText, type MeetingMailContext, type MeetingMailKind } from '../meetings/mails';
import { formatMeetingTime, dayText } from '../meetings/time';
import { registerNotificationKind, type NotificationKind } from './kinds';
import { notifyEach } from './notify';

export const MEETING_INVITATION: NotificationKind = {
	kind: 'meeting.invitation',
	labelKey: 'notifications.kind.meetingInvitation',
	hintKey: 'notifications.kind.meetingInvitationHint',
	defaultChannel: 'immediate'
};

export const MEETING_REMINDER: NotificationKind = {
	kind: 'meeting.reminder',
	labelKey: 'notifications.kind.meetingReminder',
	hintKey: 'notifications.kind.meetingReminderHint',
	defaultChannel: 'immediate'
};

registerNotificationKind(MEETING_INVITATION);
registerNotificationKind(MEETING_REMINDER);

/**
 * Raises the in-app notification of a meeting mail for these people (inside the caller's
 * transaction) and returns those who chose NOT to be mailed at once: the meetings module leaves
 * them out of its own mail with the .ics (their notification goes into the digest, or nowhere).
 * Anyone notify() skipped keeps getting the mail as before.
 */
export async function notifyMeeting(tx: Db | Tx, mailKind: MeetingMailKind, ctx: MeetingMailContext, userIds: string[]): Promise<Set<string>> {
	if (!userIds.length) return new Set();
	const m = ctx.meeting;
	const params = { title: m.title, network: ctx.network.name, when: formatMeetingTime(m.startsAt, m.endsAt, 'de'), day: dayText(m.startsAt, 'de') };
	const place = placeText(m);
	const notified = await notifyEach(tx, {
		networkId: ctx.network.id,
		kind: mailKind === 'reminder' ? MEETING_REMINDER.kind : MEETING_INVITATION.kind,
		userIds,
		title: translate('de', `meetingMail.${mailKind}.subject`, params),
		excerpt: [translate('de', 'meetingMail.when', params), place ? translate('de', 'meetingMail.where', { place }) : ''].filter(Boolean).join(' · '),
		url: `/${ctx.network.slug}/intern/treffen/${m.id}`,
		record: { type: 'meeting', id: m.id },
		ownMail: true
	});
	return new Set(notified.filter((n) => n.channel !== 'immediate').map((n) => n.userId));
}
