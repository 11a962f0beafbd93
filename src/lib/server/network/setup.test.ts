// setUpNetwork writes the network, the Kommunalrichtlinie and the coordinator's invitation (with
// its mail job) in one transaction: when a later step fails, nothing of the earlier ones stays.
// The steps are made to fail by wrapping the real functions; the database is real.
import { describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { makeActor } from '../testing/factories';
import { db } from '../db/client';
import { auditLog, fundingProgrammes, invitations, jobs, networks } from '../db/schema';
import { setUpNetwork } from './setup';

const fail = vi.hoisted(() => ({ seed: false, invitation: false }));

vi.mock('../funding/seed', async (importOriginal) => {
	const real = await importOriginal<typeof import('../funding/seed')>();
	return {
		...real,
		seedKommunalrichtlinie: async (...args: Parameters<typeof real.seedKommunalrichtlinie>) => {
			if (fail.seed) throw new Error('seed failed');
			return real.seedKommunalrichtlinie(...args);
		}
	};
});

vi.mock('./invitations', async (importOriginal) => {
	const real = await importOriginal<typeof import('./invitations')>();
	return {
		...real,
		createInvitation: async (...args: Parameters<typeof real.createInvitation>) => {
			// After the real invitation is written and its mail queued, so both must roll back too.
			const created = await real.createInvitation(...args);
			if (fail.invitation) throw new Error('invitation failed');
			return created;
		}
	};
});

useTestDb();

async function traces(slug: string) {
	const [n] = await db().select().from(networks).where(eq(networks.slug, slug));
	if (!n) return { network: 0, programmes: 0, invitations: 0, audit: 0 };
	return {
		network: 1,
		programmes: (await db().select().from(fundingProgrammes).where(eq(fundingProgrammes.networkId, n.id))).length,
		invitations: (await db().select().from(invitations).where(eq(invitations.networkId, n.id))).length,
		audit: (await db().select().from(auditLog).where(eq(auditLog.networkId, n.id))).length
	};
}

const mailJobs = async (email: string) => (await db().select().from(jobs).where(eq(jobs.kind, 'mail.send'))).filter((j) => JSON.stringify(j.payload).includes(email)).length;

describe('setUpNetwork in one transaction', () => {
	it('writes network, programme and invitation together', async () => {
		const op = await makeActor(null, 'operator');
		const r = await setUpNetwork(op, { slug: 'ganz', name: 'Netzwerk Ganz', coordinatorEmail: 'k@ganz.example' });
		expect(r.invitation.email).toBe('k@ganz.example');
		expect(await traces('ganz')).toMatchObject({ network: 1, programmes: 1, invitations: 1 });
		expect(await mailJobs('k@ganz.example')).toBe(1);
	});

	it('a failing seed leaves no network behind', async () => {
		const op = await makeActor(null, 'operator');
		fail.seed = true;
		try {
			await expect(setUpNetwork(op, { slug: 'halb', name: 'Netzwerk Halb', coordinatorEmail: 'k@halb.example' })).rejects.toThrow('seed failed');
		} finally {
			fail.seed = false;
		}
		expect(await traces('halb')).toEqual({ network: 0, programmes: 0, invitations: 0, audit: 0 });
		expect(await mailJobs('k@halb.example')).toBe(0);
		// The slug is free again: the operator can simply try once more.
		await setUpNetwork(op, { slug: 'halb', name: 'Netzwerk Halb', coordinatorEmail: 'k@halb.example' });
		expect(await traces('halb')).toMatchObject({ network: 1, programmes: 1, invitations: 1 });
	});

	it('a failing invitation takes back the network, its programme and the queued mail', async () => {
		const op = await makeActor(null, 'operator');
		fail.invitation = true;
		try {
			await expect(setUpNetwork(op, { slug: 'fast', name: 'Netzwerk Fast', coordinatorEmail: 'k@fast.example' })).rejects.toThrow('invitation failed');
		} finally {
			fail.invitation = false;
		}
		expect(await traces('fast')).toEqual({ network: 0, programmes: 0, invitations: 0, audit: 0 });
		expect(await mailJobs('k@fast.example')).toBe(0);
	});
});
