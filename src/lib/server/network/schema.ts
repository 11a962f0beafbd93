// The network directory: networks, their member bodies, people, partners, and who may do what.
import { sql } from 'drizzle-orm';
import {
	boolean,
	date,
	doublePrecision,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';

export const networks = pgTable('networks', {
	id: uuid('id').primaryKey().defaultRandom(),
	/** Readable URL segment: /harz */
	slug: text('slug').notNull().unique(),
	name: text('name').notNull(),
	region: text('region').notNull().default(''),
	description: text('description').notNull().default(''),
	/** Loaded from the demo seed; shown as demo data. */
	isDemo: boolean('is_demo').notNull().default(false),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const bodyKind = pgEnum('body_kind', ['landkreis', 'stadt', 'gemeinde', 'verbandsgemeinde']);
export const conceptStatus = pgEnum('concept_status', ['none', 'in_preparation', 'adopted']);

/** Member bodies of a network: the district, its towns, municipalities and Verbandsgemeinden. */
export const bodies = pgTable(
	'bodies',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: uuid('network_id')
			.notNull()
			.references(() => networks.id, { onDelete: 'cascade' }),
		/** Amtlicher Gemeindeschlüssel: 8 digits, a district's Kreisschlüssel 5 digits. */
		ags: text('ags').notNull(),
		name: text('name').notNull(),
		kind: bodyKind('kind').notNull(),
		verbandsgemeinde: text('verbandsgemeinde'),
		population: integer('population'),
		populationYear: integer('population_year'),
		areaKm2: doublePrecision('area_km2'),
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon'),
		conceptStatus: conceptStatus('concept_status').notNull().default('none'),
		conceptAdoptedOn: date('concept_adopted_on'),
		conceptResolution: text('concept_resolution'),
		managerFundedUntil: date('manager_funded_until'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('bodies_network_ags_uq').on(t.networkId, t.ags),
		index('bodies_network_name_idx').on(t.networkId, t.name)
	]
);

export const personFunction = pgEnum('person_function', [
	'klimaschutzmanager',
	'buergermeister',
	'bauamt',
	'other'
]);

/** People of the network as the directory shows them; linked to an account when they have one. */
export const people = pgTable(
	'people',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: uuid('network_id')
			.notNull()
			.references(() => networks.id, { onDelete: 'cascade' }),
		bodyId: uuid('body_id').references(() => bodies.id, { onDelete: 'set null' }),
		partnerId: uuid('partner_id').references(() => partners.id, { onDelete: 'set null' }),
		userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
		name: text('name').notNull(),
		function: personFunction('function').notNull().default('other'),
		functionNote: text('function_note').notNull().default(''),
		email: text('email').notNull().default(''),
		phone: text('phone').notNull().default(''),
		tenureFrom: date('tenure_from'),
		tenureUntil: date('tenure_until'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('people_network_name_idx').on(t.networkId, t.name),
		index('people_network_body_idx').on(t.networkId, t.bodyId),
		index('people_user_idx').on(t.userId)
	]
);

export const partners = pgTable(
	'partners',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: uuid('network_id')
			.notNull()
			.references(() => networks.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		url: text('url').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('partners_network_name_idx').on(t.networkId, t.name)]
);

export const networkRole = pgEnum('network_role', ['coordinator', 'member', 'partner', 'citizen']);

/** A person's role in one network. Members additionally belong to one or more bodies. */
export const memberships = pgTable(
	'memberships',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: uuid('network_id')
			.notNull()
			.references(() => networks.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: networkRole('role').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('memberships_network_user_uq').on(t.networkId, t.userId),
		index('memberships_user_idx').on(t.userId)
	]
);

export const membershipBodies = pgTable(
	'membership_bodies',
	{
		membershipId: uuid('membership_id')
			.notNull()
			.references(() => memberships.id, { onDelete: 'cascade' }),
		bodyId: uuid('body_id')
			.notNull()
			.references(() => bodies.id, { onDelete: 'cascade' }),
		networkId: uuid('network_id')
			.notNull()
			.references(() => networks.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.membershipId, t.bodyId] })]
);

/** One-time, expiring invitation links. Only the SHA-256 of the token is stored. */
export const invitations = pgTable(
	'invitations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		networkId: uuid('network_id')
			.notNull()
			.references(() => networks.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		name: text('name').notNull().default(''),
		role: networkRole('role').notNull(),
		bodyIds: uuid('body_ids')
			.array()
			.notNull()
			.default(sql`'{}'::uuid[]`),
		tokenHash: text('token_hash').notNull().unique(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		acceptedBy: text('accepted_by').references(() => users.id, { onDelete: 'set null' }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('invitations_network_created_idx').on(t.networkId, t.createdAt)]
);
