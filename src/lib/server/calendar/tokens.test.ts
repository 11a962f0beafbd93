import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { auditLog, calendarTokens, memberships, users } from '../db/schema';
import { ForbiddenError } from '../errors';
import { loadActor, VISITOR } from '../auth/actor';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import {
	calendarTokenStatus,
	createCalendarToken,
	hashCalendarToken,
	markCalendarTokenUsed,
	resolveCalendarToken,
	revokeCalendarToken
} from './tokens';

useTestDb();

async function world() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Blankenburg');
	return {
		network,
		town,
		coordinator: await makeActor(network.id, 'coordinator'),
		member: await makeActor(network.id, 'member', [town.id]),
		partner: await makeActor(network.id, 'partner'),
		citizen: await makeActor(network.id, 'citizen')
	};
}

describe('calendar feed tokens', () => {
	it('creates a secret link whose hash alone is stored, and resolves it to the person and network', async () => {
		const w = await world();
		expect(await calendarTokenStatus(w.member, w.network.id)).toBeNull();
		const created = await createCalendarToken(w.member, w.network.id);
		expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(created.urls.https).toMatch(new RegExp(`^https?://[^/]+/${w.network.slug}/kalender/${created.token}\\.ics$`));
		expect(created.urls.webcal).toBe(created.urls.https.replace(/^https?:\/\//, 'webcal://'));
		const rows = await db().select().from(calendarTokens).where(eq(calendarTokens.userId, w.member.userId!));
		expect(rows).toHaveLength(1);
		expect(rows[0].tokenHash).toBe(hashCalendarToken(created.token));
		expect(rows[0].tokenHash).not.toContain(created.token);
		const status = await calendarTokenStatus(w.member, w.network.id);
		expect(status).toMatchObject({ id: rows[0].id, lastUsedAt: null });
		expect(status!.createdAt).toBeInstanceOf(Date);

		const r = await resolveCalendarToken(created.token);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r).toMatchObject({ userId: w.member.userId, networkId: w.network.id, slug: w.network.slug, tokenId: rows[0].id });
		expect(r.actor.memberships[0].bodyIds).toEqual([w.town.id]);

		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'calendar_token'), eq(auditLog.recordId, rows[0].id)));
		expect(audit.map((a) => a.action)).toEqual(['create']);
		expect(JSON.stringify(audit)).not.toContain(created.token);
		expect(JSON.stringify(audit)).not.toContain(rows[0].tokenHash);
	});

	it('a new link revokes the old one: one active link per person and network', async () => {
		const w = await world();
		const first = await createCalendarToken(w.coordinator, w.network.id);
		const second = await createCalendarToken(w.coordinator, w.network.id);
		expect(second.token).not.toBe(first.token);
		expect(await resolveCalendarToken(first.token)).toEqual({ ok: false, reason: 'revoked' });
		expect((await resolveCalendarToken(second.token)).ok).toBe(true);
		const active = (await db().select().from(calendarTokens).where(eq(calendarTokens.userId, w.coordinator.userId!))).filter((r) => !r.revokedAt);
		expect(active).toHaveLength(1);
		expect((await calendarTokenStatus(w.coordinator, w.network.id))!.id).toBe(second.status.id);
		// Someone else's link is untouched.
		const partners = await createCalendarToken(w.partner, w.network.id);
		await createCalendarToken(w.coordinator, w.network.id);
		expect((await resolveCalendarToken(partners.token)).ok).toBe(true);
		// Two clicks at once still leave one active link.
		await Promise.all([createCalendarToken(w.member, w.network.id), createCalendarToken(w.member, w.network.id)]);
		const memberActive = (await db().select().from(calendarTokens).where(eq(calendarTokens.userId, w.member.userId!))).filter((r) => !r.revokedAt);
		expect(memberActive).toHaveLength(1);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'calendar_token'), eq(auditLog.recordId, first.status.id)));
		expect(audit.map((a) => a.action).sort()).toEqual(['create', 'update']);
	});

	it('revoking ends the link with reason "revoked"; the status is gone', async () => {
		const w = await world();
		expect(await revokeCalendarToken(w.partner, w.network.id)).toBe(false);
		const created = await createCalendarToken(w.partner, w.network.id);
		expect(await revokeCalendarToken(w.partner, w.network.id)).toBe(true);
		expect(await resolveCalendarToken(created.token)).toEqual({ ok: false, reason: 'revoked' });
		expect(await calendarTokenStatus(w.partner, w.network.id)).toBeNull();
		const [audit] = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'calendar_token'), eq(auditLog.recordId, created.status.id), eq(auditLog.action, 'update')));
		expect(audit).toMatchObject({ before: { revoked: false }, after: { revoked: true }, actorUserId: w.partner.userId });
	});

	it('unknown and malformed links are "unknown"', async () => {
		for (const t of ['', 'x', 'A'.repeat(43), 'A'.repeat(44), '../../etc/passwd', '<script>alert(1)</script>', 'a\u0000b', 'ä'.repeat(43)]) {
			expect(await resolveCalendarToken(t)).toEqual({ ok: false, reason: 'unknown' });
		}
	});

	it('an ended membership, a citizen role or a deleted account end the link ("membership_ended")', async () => {
		const w = await world();
		const removed = await createCalendarToken(w.member, w.network.id);
		await db().delete(memberships).where(and(eq(memberships.userId, w.member.userId!), eq(memberships.networkId, w.network.id)));
		expect(await resolveCalendarToken(removed.token)).toEqual({ ok: false, reason: 'membership_ended' });

		const demoted = await createCalendarToken(w.partner, w.network.id);
		await db().update(memberships).set({ role: 'citizen' }).where(eq(memberships.userId, w.partner.userId!));
		expect(await resolveCalendarToken(demoted.token)).toEqual({ ok: false, reason: 'membership_ended' });

		const deleted = await createCalendarToken(w.coordinator, w.network.id);
		await db().update(users).set({ deletedAt: new Date() }).where(eq(users.id, w.coordinator.userId!));
		expect(await resolveCalendarToken(deleted.token)).toEqual({ ok: false, reason: 'membership_ended' });
	});

	it('only the working area gets a link, and only for its own network', async () => {
		const w = await world();
		const other = await world();
		await expect(createCalendarToken(w.citizen, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(createCalendarToken(VISITOR, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(createCalendarToken(other.coordinator, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(calendarTokenStatus(w.citizen, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(revokeCalendarToken(other.coordinator, w.network.id)).rejects.toThrow(ForbiddenError);
		// A link of another network resolves to that network (the route compares the slug).
		const theirs = await createCalendarToken(other.member, other.network.id);
		const r = await resolveCalendarToken(theirs.token);
		expect(r.ok && r.networkId).toBe(other.network.id);
		// Revoking in one network leaves the person's link of another network alone.
		const both = await makeActor(w.network.id, 'member', [w.town.id]);
		await db().insert(memberships).values({ networkId: other.network.id, userId: both.userId!, role: 'partner' });
		const bothActor = await loadActor(both.userId!);
		const here = await createCalendarToken(bothActor, w.network.id);
		const there = await createCalendarToken(bothActor, other.network.id);
		await revokeCalendarToken(bothActor, w.network.id);
		expect((await resolveCalendarToken(here.token)).ok).toBe(false);
		expect((await resolveCalendarToken(there.token)).ok).toBe(true);
	});

	it('notes the last fetch at most once per hour', async () => {
		const w = await world();
		const created = await createCalendarToken(w.member, w.network.id);
		const t0 = new Date('2030-05-01T10:00:00Z');
		expect(await markCalendarTokenUsed(created.status.id, t0)).toBe(true);
		expect(await markCalendarTokenUsed(created.status.id, new Date(t0.getTime() + 30 * 60_000))).toBe(false);
		expect((await calendarTokenStatus(w.member, w.network.id))!.lastUsedAt!.toISOString()).toBe(t0.toISOString());
		const later = new Date(t0.getTime() + 61 * 60_000);
		expect(await markCalendarTokenUsed(created.status.id, later)).toBe(true);
		expect((await calendarTokenStatus(w.member, w.network.id))!.lastUsedAt!.toISOString()).toBe(later.toISOString());
	});
});
