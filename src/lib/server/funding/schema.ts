// Funding programmes (e.g. Kommunalrichtlinie 4.1.8) with their application windows, and each
// municipality's applications to them. The funding calendar reads the windows and who applies.
import { sql } from 'drizzle-orm';
import { boolean, check, date, doublePrecision, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bodies, people } from '../network/schema';
import { networkRef, timestamps } from '../db/columns';

export const fundingProgrammes = pgTable(
	'funding_programmes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		title: text('title').notNull(),
		funder: text('funder').notNull(),
		/** The funder's number of the funding focus, e.g. "4.1.8" of the Kommunalrichtlinie. */
		measureNumber: text('measure_number').notNull().default(''),
		/** Funding rate in percent of eligible costs; the higher rate for financially weak municipalities. */
		ratePercent: doublePrecision('rate_percent'),
		rateWeakPercent: doublePrecision('rate_weak_percent'),
		eligibleCosts: text('eligible_costs').notNull().default(''),
		/** Safe Markdown: who may apply, exclusions, durations. */
		eligibility: text('eligibility').notNull().default(''),
		url: text('url').notNull().default(''),
		/** The date the facts were taken from the guideline ("Fassung vom 10.10.2024"). */
		sourceNote: text('source_note').notNull().default(''),
		archivedAt: timestamp('archived_at', { withTimezone: true }),
		isDemo: boolean('is_demo').notNull().default(false),
		version: integer('version').notNull().default(1),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(t) => [
		index('funding_programmes_network_title_idx').on(t.networkId, t.title),
		check('funding_programmes_rate_ck', sql`${t.ratePercent} IS NULL OR (${t.ratePercent} >= 0 AND ${t.ratePercent} <= 100)`),
		check('funding_programmes_rate_weak_ck', sql`${t.rateWeakPercent} IS NULL OR (${t.rateWeakPercent} >= 0 AND ${t.rateWeakPercent} <= 100)`)
	]
);

/** An application window (or a single deadline: opens = null). */
export const fundingWindows = pgTable(
	'funding_windows',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		programmeId: uuid('programme_id')
			.notNull()
			.references(() => fundingProgrammes.id, { onDelete: 'cascade' }),
		opensOn: date('opens_on'),
		closesOn: date('closes_on').notNull(),
		note: text('note').notNull().default(''),
		/** Raised on every change, so calendar clients update the deadline (iCalendar SEQUENCE). */
		sequence: integer('sequence').notNull().default(0),
		...timestamps()
	},
	(t) => [
		index('funding_windows_network_closes_idx').on(t.networkId, t.closesOn),
		index('funding_windows_programme_idx').on(t.programmeId, t.closesOn),
		check('funding_windows_order_ck', sql`${t.opensOn} IS NULL OR ${t.opensOn} <= ${t.closesOn}`)
	]
);

export const applicationState = pgEnum('application_state', ['considering', 'preparing', 'submitted', 'approved', 'rejected', 'withdrawn']);

/** A municipality's application to a programme. Links to measures go through record_links. */
export const fundingApplications = pgTable(
	'funding_applications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: networkRef(),
		programmeId: uuid('programme_id')
			.notNull()
			.references(() => fundingProgrammes.id, { onDelete: 'cascade' }),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		/** The window (deadline) the town aims at; null when not decided yet. */
		windowId: uuid('window_id').references(() => fundingWindows.id, { onDelete: 'set null' }),
		title: text('title').notNull().default(''),
		state: applicationState('state').notNull().default('considering'),
		requestedEur: doublePrecision('requested_eur'),
		grantedEur: doublePrecision('granted_eur'),
		submittedOn: date('submitted_on'),
		decidedOn: date('decided_on'),
		contactPersonId: uuid('contact_person_id').references(() => people.id, { onDelete: 'set null' }),
		note: text('note').notNull().default(''),
		isDemo: boolean('is_demo').notNull().default(false),
		version: integer('version').notNull().default(1),
		createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
		updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(t) => [
		index('funding_applications_network_state_idx').on(t.networkId, t.state),
		index('funding_applications_programme_idx').on(t.programmeId),
		index('funding_applications_body_idx').on(t.bodyId),
		index('funding_applications_window_idx').on(t.windowId),
		check('funding_applications_amounts_ck', sql`coalesce(${t.requestedEur}, 0) >= 0 AND coalesce(${t.grantedEur}, 0) >= 0`)
	]
);
