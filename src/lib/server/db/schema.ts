// Schema barrel: every module's tables, for Drizzle's relational queries and drizzle-kit.
export * from '../auth/schema';
export * from '../network/schema';
export * from '../audit/schema';
export * from '../jobs/schema';
export * from '../files/schema';
export * from '../measures/schema';
export * from '../links/schema';
export * from '../participation/schema';
export * from '../balance/schema';
export * from '../offers/schema';
export * from '../funding/schema';
export * from '../calendar/schema';
export * from '../meetings/schema';
export * from '../activities/schema';
export * from '../exchange/schema';
export * from '../notifications/schema';
