// Network meetings in rotating towns: agenda, invitations and answers, minutes with decisions,
// and follow-up tasks that stay open across meetings. Attachments are rows of `files` owned by the
// meeting (record type 'meeting'); links to measures, offers and activities go through
// record_links and, for agenda items, a generic reference resolved by the registry.
import { sql, type SQL } from 'drizzle-orm';
import { type AnyPgColumn, boolean, check, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bodies, people } from '../network/schema';
import { networkRef, timestamps, tsvector } from '../db/columns';

export const meetingStatus = pgEnum('meeting_status', ['planned', 'invited', 'held', 'cancelled']);

export const meetings = pgTable(
	'meetings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		title: text('title').notNull(),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		/** The municipality that hosts it; the network meets in another town each time. */
		hostBodyId: uuid('host_body_id').references(() => bodies.id, { onDelete: 'set null' }),
		/** e.g. "Bunter Hof" with its address; and/or an online link (hybrid). */
		venueName: text('venue_name').notNull().default(''),
		venueAddress: text('venue_address').notNull().default(''),
		onlineUrl: text('online_url').notNull().default(''),
		/** Safe Markdown. */
		description: text('description').notNull().default(''),
		status: meetingStatus('status').notNull().default('planned'),
		isPublic: boolean('is_public').notNull().default(false),
		/** Days before the start when the reminder goes out; null = no reminder. */
		reminderDays: integer('reminder_days').default(3),
		invitationsSentAt: timestamp('invitations_sent_at', { withTimezone: true }),
		/** Minutes (Protokoll) in safe Markdown, written after the meeting. */
		minutes: text('minutes').notNull().default(''),
		minutesUpdatedAt: timestamp('minutes_updated_at', { withTimezone: true }),
		/** Raised whenever time, place or status change, so calendar clients update the event (iCalendar SEQUENCE). */
		sequence: integer('sequence').notNull().default(0),
		isDemo: boolean('is_demo').notNull().default(false),
		version: integer('version').notNull().default(1),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps(),
		/** For the search page (title, venue, description and minutes). */
		search: tsvector('search').generatedAlwaysAs(
			(): SQL =>
				sql`setweight(to_tsvector('german', coalesce(${meetings.title}, '') || ' ' || coalesce(${meetings.venueName}, '')), 'A') || setweight(to_tsvector('german', coalesce(${meetings.description}, '') || ' ' || coalesce(${meetings.minutes}, '')), 'B')`
		)
	},
	(t) => [
		index('meetings_network_starts_idx').on(t.networkId, t.startsAt),
		index('meetings_search_idx').using('gin', t.search),
		index('meetings_starts_status_idx').on(t.startsAt, t.status),
		check('meetings_order_ck', sql`${t.endsAt} > ${t.startsAt}`),
		check('meetings_reminder_ck', sql`${t.reminderDays} IS NULL OR (${t.reminderDays} >= 0 AND ${t.reminderDays} <= 60)`)
	]
);

/**
 * One agenda item. `refType`/`refId` point at any registered record (a measure, an offer, a joint
 * activity, …), so later modules plug in without a column of their own; `followUpId` marks an
 * item pulled in from the open follow-ups.
 */
export const agendaItems = pgTable(
	'agenda_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0),
		title: text('title').notNull(),
		/** Presenter: a person of the directory, or a body, or free text ("Energieagentur"). */
		presenterPersonId: uuid('presenter_person_id').references(() => people.id, { onDelete: 'set null' }),
		presenterBodyId: uuid('presenter_body_id').references(() => bodies.id, { onDelete: 'set null' }),
		presenterText: text('presenter_text').notNull().default(''),
		durationMinutes: integer('duration_minutes'),
		notes: text('notes').notNull().default(''),
		refType: text('ref_type'),
		refId: text('ref_id'),
		followUpId: uuid('follow_up_id').references((): AnyPgColumn => followUps.id, { onDelete: 'set null' }),
		/** Who proposed it (members propose items; coordinators manage the agenda). */
		proposedBy: text('proposed_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(t) => [
		index('agenda_items_meeting_idx').on(t.meetingId, t.position),
		// "Discussed in": the meetings whose agenda points at a record (activities, offers, …).
		index('agenda_items_ref_idx').on(t.networkId, t.refType, t.refId),
		index('agenda_items_follow_up_idx').on(t.followUpId),
		check('agenda_items_duration_ck', sql`${t.durationMinutes} IS NULL OR (${t.durationMinutes} > 0 AND ${t.durationMinutes} <= 1440)`)
	]
);

export const meetingAnswer = pgEnum('meeting_answer', ['yes', 'no', 'maybe']);

/**
 * Who was invited and how they answered: one row per meeting and person. A row with invitedAt
 * and no answer is "not answered yet" (reminded, if the meeting has a reminder).
 */
export const meetingParticipants = pgTable(
	'meeting_participants',
	{
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		networkId: networkRef(),
		invitedAt: timestamp('invited_at', { withTimezone: true }),
		answer: meetingAnswer('answer'),
		comment: text('comment').notNull().default(''),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		/**
		 * The meeting's sequence this person was last mailed (invitation or update): a second
		 * "send" mails only those behind the current sequence, however long after the first.
		 */
		invitedSequence: integer('invited_sequence'),
		remindedAt: timestamp('reminded_at', { withTimezone: true })
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index('meeting_participants_user_idx').on(t.userId)]
);

/** Decisions taken at a meeting, in order. */
export const meetingDecisions = pgTable(
	'meeting_decisions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0),
		text: text('text').notNull(),
		...timestamps()
	},
	(t) => [index('meeting_decisions_meeting_idx').on(t.meetingId, t.position)]
);

export const followUpState = pgEnum('follow_up_state', ['open', 'in_progress', 'done', 'dropped']);

/** A follow-up task from a meeting; stays in the network's open list until done or dropped. */
export const followUps = pgTable(
	'follow_ups',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		/** The meeting it came from; null for a task created in the list itself. */
		meetingId: uuid('meeting_id').references(() => meetings.id, { onDelete: 'set null' }),
		title: text('title').notNull(),
		/** Owner: a person of the directory and/or a body. */
		ownerPersonId: uuid('owner_person_id').references(() => people.id, { onDelete: 'set null' }),
		ownerBodyId: uuid('owner_body_id').references(() => bodies.id, { onDelete: 'set null' }),
		dueOn: date('due_on'),
		state: followUpState('state').notNull().default('open'),
		note: text('note').notNull().default(''),
		doneAt: timestamp('done_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		version: integer('version').notNull().default(1),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(t) => [
		index('follow_ups_network_state_due_idx').on(t.networkId, t.state, t.dueOn),
		index('follow_ups_meeting_idx').on(t.meetingId),
		index('follow_ups_owner_person_idx').on(t.ownerPersonId)
	]
);
