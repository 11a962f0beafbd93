import { describe, expect, it, beforeAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor, makeBody, makeNetwork, makeUser } from '../testing/factories';
import { acceptInvitation, createInvitation, findInvitation, listInvitations, revokeInvitation } from './invitations';
import { listMembers, removeMember, changeMemberRole } from './members';
import { setUpNetwork } from './setup';
import { db } from '../db/client';
import { auditLog, invitations, memberships, networks, people } from '../db/schema';
import { ForbiddenError, ValidationError } from '../errors';
import { loadActor, VISITOR } from '../auth/actor';

useTestDb();

beforeAll(() => {
	// Mails go to a throwaway outbox; the SMTP path is tested in mail.test.ts.
	delete process.env.SMTP_URL;
	process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kn-inv-'));
});

const tokenOf = (url: string) => url.split('/einladung/')[1];

async function expectFieldError(p: Promise<unknown>, field: string, key: string) {
	await expect(p).rejects.toSatisfy((e) => e instanceof ValidationError && e.fieldErrors[field] === key);
}

describe('invitations', () => {
	it('a coordinator invites a member who accepts once; the link then stops working', async () => {
		const n = await makeNetwork();
		const body = await makeBody(n.id);
		const coord = await makeActor(n.id, 'coordinator');
		const inv = await createInvitation(coord, n.id, { email: 'Neu@Example.org', role: 'member', bodyIds: [body.id] });
		expect(inv.email).toBe('neu@example.org');
		const token = tokenOf(inv.url);
		expect((await findInvitation(token))?.state).toBe('valid');
		// The token itself is never stored.
		const [row] = await db().select().from(invitations).where(eq(invitations.id, inv.id));
		expect(row.tokenHash).not.toContain(token);

		const [listed] = await db().insert(people).values({ networkId: n.id, name: 'Neu', email: 'NEU@example.org' }).returning();
		const user = await makeUser({ email: 'neu@example.org' });
		const r = await acceptInvitation(token, user.id);
		expect(r.networkSlug).toBe(n.slug);
		const actor = await loadActor(user.id);
		expect(actor.memberships).toEqual([expect.objectContaining({ networkId: n.id, role: 'member', bodyIds: [body.id] })]);
		expect((await findInvitation(token))?.state).toBe('used');
		const [linked] = await db().select().from(people).where(eq(people.id, listed.id));
		expect(linked.userId).toBe(user.id);
		await expectFieldError(acceptInvitation(token, user.id), '_form', 'invitation.invalid');

		const audit = await db().select().from(auditLog).where(eq(auditLog.networkId, n.id));
		expect(audit.map((a) => `${a.action}:${a.recordType}`)).toEqual(expect.arrayContaining(['create:invitation', 'create:membership']));
	});

	it('refuses expired, revoked and foreign-account use and changes nothing', async () => {
		const n = await makeNetwork();
		const coord = await makeActor(n.id, 'coordinator');
		const a = await createInvitation(coord, n.id, { email: 'late@example.org', role: 'partner' });
		await db().update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, a.id));
		expect((await findInvitation(tokenOf(a.url)))?.state).toBe('expired');
		const late = await makeUser({ email: 'late@example.org' });
		await expectFieldError(acceptInvitation(tokenOf(a.url), late.id), '_form', 'invitation.invalid');

		const b = await createInvitation(coord, n.id, { email: 'gone@example.org', role: 'partner' });
		await revokeInvitation(coord, n.id, b.id);
		expect((await findInvitation(tokenOf(b.url)))?.state).toBe('revoked');

		const c = await createInvitation(coord, n.id, { email: 'right@example.org', role: 'partner' });
		const wrong = await makeUser({ email: 'wrong@example.org' });
		await expectFieldError(acceptInvitation(tokenOf(c.url), wrong.id), '_form', 'invitation.otherAccount');
		// The failed attempt rolled back: the invitation is still open for the right person.
		expect((await findInvitation(tokenOf(c.url)))?.state).toBe('valid');
		expect(await db().select().from(memberships).where(eq(memberships.userId, wrong.id))).toHaveLength(0);
		expect(await findInvitation('not-a-token')).toBeNull();
		expect(await findInvitation('A'.repeat(43))).toBeNull();
	});

	it('validates input beside the field', async () => {
		const n = await makeNetwork();
		const other = await makeNetwork();
		const otherBody = await makeBody(other.id);
		const coord = await makeActor(n.id, 'coordinator');
		await expectFieldError(createInvitation(coord, n.id, { email: 'kein-mail', role: 'partner' }), 'email', 'validation.email');
		await expectFieldError(createInvitation(coord, n.id, { email: 'x@example.org', role: 'member' }), 'bodyIds', 'invitation.bodyRequired');
		await expectFieldError(createInvitation(coord, n.id, { email: 'x@example.org', role: 'member', bodyIds: [otherBody.id] }), 'bodyIds', 'invitation.bodyUnknown');
		await expectFieldError(createInvitation(coord, n.id, { email: 'x@example.org', role: 'boss' }), 'role', 'invitation.role');
		await expectFieldError(createInvitation(coord, n.id, { email: coord.email, role: 'partner' }), 'email', 'invitation.alreadyMember');
		await createInvitation(coord, n.id, { email: 'twice@example.org', role: 'partner' });
		await expectFieldError(createInvitation(coord, n.id, { email: 'twice@example.org', role: 'partner' }), 'email', 'invitation.pending');
		const list = await listInvitations(coord, n.id);
		expect(list.items.map((i) => i.email)).toEqual(['twice@example.org']);
	});

	it('only coordinators invite; members, partners, visitors and other networks cannot', async () => {
		const n = await makeNetwork();
		const body = await makeBody(n.id);
		for (const actor of [await makeActor(n.id, 'member', [body.id]), await makeActor(n.id, 'partner'), await makeActor(n.id, 'citizen'), VISITOR, await makeActor((await makeNetwork()).id, 'coordinator')]) {
			await expect(createInvitation(actor, n.id, { email: 'a@example.org', role: 'partner' })).rejects.toBeInstanceOf(ForbiddenError);
		}
		// The operator may invite coordinators, but not members.
		const op = await makeActor(null, 'operator');
		await expect(createInvitation(op, n.id, { email: 'c@example.org', role: 'coordinator' })).resolves.toBeTruthy();
		await expect(createInvitation(op, n.id, { email: 'm@example.org', role: 'partner' })).rejects.toBeInstanceOf(ForbiddenError);
	});
});

describe('accepting never lowers a role', () => {
	it('a person who became coordinator meanwhile stays coordinator; a citizen is raised to member', async () => {
		const n = await makeNetwork();
		const body = await makeBody(n.id);
		const coord = await makeActor(n.id, 'coordinator');
		const inv = await createInvitation(coord, n.id, { email: 'later-coord@example.org', role: 'partner' });
		const u = await makeUser({ email: 'later-coord@example.org' });
		await db().insert(memberships).values({ networkId: n.id, userId: u.id, role: 'coordinator' });
		await acceptInvitation(tokenOf(inv.url), u.id);
		expect((await loadActor(u.id)).memberships[0].role).toBe('coordinator');

		const citizen = await makeActor(n.id, 'citizen');
		const inv2 = await createInvitation(coord, n.id, { email: citizen.email, role: 'member', bodyIds: [body.id] });
		await acceptInvitation(tokenOf(inv2.url), citizen.userId!);
		expect((await loadActor(citizen.userId!)).memberships[0]).toMatchObject({ role: 'member', bodyIds: [body.id] });
	});
});

describe('memberships', () => {
	it('keeps the last coordinator and lists only the own network', async () => {
		const n = await makeNetwork();
		const other = await makeNetwork();
		const coord = await makeActor(n.id, 'coordinator');
		await makeActor(other.id, 'member');
		const partner = await makeActor(n.id, 'partner');
		const list = await listMembers(coord, n.id);
		expect(list.items.map((m) => m.userId).sort()).toEqual([coord.userId, partner.userId].sort());
		const own = list.items.find((m) => m.userId === coord.userId)!;
		await expectFieldError(removeMember(coord, n.id, own.id), '_form', 'members.lastCoordinator');
		await expectFieldError(changeMemberRole(coord, n.id, own.id, { role: 'partner' }), '_form', 'members.lastCoordinator');
		const p = list.items.find((m) => m.userId === partner.userId)!;
		// Another network's coordinator can't touch this membership.
		const foreign = await makeActor(other.id, 'coordinator');
		await expect(removeMember(foreign, n.id, p.id)).rejects.toBeInstanceOf(ForbiddenError);
		await removeMember(coord, n.id, p.id);
		expect((await listMembers(coord, n.id)).total).toBe(1);
	});
});

describe('operator sets up a network', () => {
	it('creates the network and invites its coordinator; a taken or reserved slug changes nothing', async () => {
		const op = await makeActor(null, 'operator');
		const r = await setUpNetwork(op, { slug: 'altmark', name: 'Netzwerk Altmark', coordinatorEmail: 'k@altmark.example' });
		expect(r.network.slug).toBe('altmark');
		expect(r.invitation.url).toContain('/einladung/');
		const count = async () => (await db().select().from(networks)).length;
		const before = await count();
		await expectFieldError(setUpNetwork(op, { slug: 'altmark', name: 'Doppelt', coordinatorEmail: 'x@example.org' }), 'slug', 'network.slugTaken');
		await expectFieldError(setUpNetwork(op, { slug: 'anmelden', name: 'X', coordinatorEmail: 'x@example.org' }), 'slug', 'network.slugReserved');
		await expectFieldError(setUpNetwork(op, { slug: 'Ä B', name: 'X', coordinatorEmail: 'x@example.org' }), 'slug', 'network.slugFormat');
		await expectFieldError(setUpNetwork(op, { slug: 'ok-slug', name: 'x'.repeat(201), coordinatorEmail: 'x@example.org' }), 'name', 'validation.tooLong');
		await expectFieldError(setUpNetwork(op, { slug: 'ok-slug', name: 'Gut', coordinatorEmail: 'kaputt' }), 'coordinatorEmail', 'validation.email');
		expect(await count()).toBe(before);
		const member = await makeActor(r.network.id, 'coordinator');
		await expect(setUpNetwork(member, { slug: 'neu', name: 'Neu', coordinatorEmail: 'x@example.org' })).rejects.toBeInstanceOf(ForbiddenError);
	});
});
