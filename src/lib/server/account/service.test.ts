import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor, makeNetwork } from '../testing/factories';
import { deleteAccount, exportAccount, DELETED_NAME } from './service';
import { db } from '../db/client';
import { invitations, memberships, sessions, users } from '../db/schema';
import { createInvitation } from '../network/invitations';
import { listAudit, recordChange } from '../audit/service';
import { ValidationError } from '../errors';

useTestDb();

describe('own account', () => {
	it('exports what is stored about the person', async () => {
		const n = await makeNetwork();
		const me = await makeActor(n.id, 'partner');
		const data = await exportAccount(me);
		expect(data.account.email).toBe(me.email);
		expect(data.memberships).toEqual([expect.objectContaining({ slug: n.slug, role: 'partner' })]);
	});

	it('deletes the account but keeps what the person did, shown as former member', async () => {
		const n = await makeNetwork();
		const coord = await makeActor(n.id, 'coordinator');
		const me = await makeActor(n.id, 'member');
		await recordChange(db(), me, { networkId: n.id, action: 'update', recordType: 'network', recordId: n.id, before: { name: 'a' }, after: { name: 'b' } });
		await db().insert(sessions).values({ id: 's1', token: 't1', userId: me.userId!, expiresAt: new Date(Date.now() + 1e6) });

		await expect(deleteAccount(me, { confirmEmail: 'falsch@example.org' })).rejects.toBeInstanceOf(ValidationError);
		expect((await db().select().from(users).where(eq(users.id, me.userId!)))[0].deletedAt).toBeNull();

		const inv = await createInvitation(coord, n.id, { email: me.email, role: 'partner' }).catch(() => null);
		expect(inv).toBeNull(); // already a member: no invitation
		await db().insert(invitations).values({ networkId: n.id, email: me.email, name: 'Ich', role: 'member', tokenHash: 'h-' + me.userId, expiresAt: new Date() });
		await recordChange(db(), coord, { networkId: n.id, action: 'create', recordType: 'invitation', recordId: 'x', after: { email: me.email, name: 'Ich', role: 'member' } });

		await deleteAccount(me, { confirmEmail: me.email.toUpperCase() });
		const invs = await db().select().from(invitations).where(eq(invitations.networkId, n.id));
		expect(invs.map((i) => i.email).join()).not.toContain(me.email);
		const invAudit = (await listAudit(coord, n.id, { recordType: 'invitation' })).entries[0];
		expect(invAudit.after).toEqual({ role: 'member' });
		const [u] = await db().select().from(users).where(eq(users.id, me.userId!));
		expect(u.deletedAt).not.toBeNull();
		expect(u.name).toBe(DELETED_NAME);
		expect(u.email).not.toContain(me.email);
		expect(await db().select().from(sessions).where(eq(sessions.userId, me.userId!))).toHaveLength(0);
		expect(await db().select().from(memberships).where(eq(memberships.userId, me.userId!))).toHaveLength(0);

		const log = await listAudit(coord, n.id, { recordType: 'network' });
		const mine = log.entries.find((e) => e.action === 'update');
		expect(mine).toMatchObject({ actorName: null, actorDeleted: true, after: { name: 'b' } });
	});

	it('the last coordinator cannot delete their account', async () => {
		const n = await makeNetwork();
		const coord = await makeActor(n.id, 'coordinator');
		await expect(deleteAccount(coord, { confirmEmail: coord.email })).rejects.toSatisfy(
			(e) => e instanceof ValidationError && e.fieldErrors._form === 'account.lastCoordinator'
		);
	});
});
