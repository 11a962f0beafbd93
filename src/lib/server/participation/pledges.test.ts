import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { makeActor, makeBody, makeNetwork } from '../testing/factories';
import { db } from '../db/client';
import { auditLog, citizenProfiles, pledges } from '../db/schema';
import { VISITOR, type Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError } from '../errors';
import {
	createPledgeAction,
	listPledgeActions,
	movePledgeAction,
	myPledgedActionIds,
	pledge,
	pledgeTotals,
	pledgeTotalsByBody,
	setPledgeActionActive,
	updatePledgeAction
} from './pledges';
import { seedPledgesDemo } from './pledges-demo';

useTestDb();

let ipSeq = 0;
/** A fresh client address per call, so the per-address limit only bites where a test wants it. */
const ip = () => `10.0.${Math.floor(ipSeq / 250)}.${ipSeq++ % 250}`;

async function consent(a: Actor) {
	await db().insert(citizenProfiles).values({ userId: a.userId!, consentVersion: 'v1', consentText: 'Ich willige ein.', consentedAt: new Date() });
	return a;
}

async function world() {
	const network = await makeNetwork();
	const town = await makeBody(network.id, 'Wernigerode');
	const other = await makeBody(network.id, 'Thale');
	const coordinator = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member', [town.id]);
	const partner = await makeActor(network.id, 'partner');
	const citizen = await makeActor(network.id, 'citizen');
	const green = await createPledgeAction(coordinator, network.id, { title: 'Ich beziehe Ökostrom', description: '', savingsKg: '700', theme: 'energy' });
	const bike = await createPledgeAction(coordinator, network.id, { title: 'Rad statt Auto', description: 'Kurze Wege', savingsKg: '1.250,5', theme: 'mobility' });
	return { network, town, other, coordinator, member, partner, citizen, green, bike };
}

describe('pledge actions', () => {
	it.each([
		['coordinator', true],
		['member', false],
		['partner', false],
		['citizen', false],
		['visitor', false]
	] as const)('%s may manage pledge actions: %s', async (role, allowed) => {
		const w = await world();
		const actor = role === 'visitor' ? VISITOR : w[role];
		const input = { title: 'LED', description: '', savingsKg: '80', theme: 'energy' };
		const tries = [
			() => createPledgeAction(actor, w.network.id, input),
			() => updatePledgeAction(actor, w.network.id, w.green.id, input),
			() => setPledgeActionActive(actor, w.network.id, w.green.id, false),
			() => movePledgeAction(actor, w.network.id, w.bike.id, 'up'),
			() => listPledgeActions(actor, w.network.id, { withArchived: true })
		];
		for (const t of tries) {
			if (allowed) await expect(t()).resolves.not.toThrow();
			else await expect(t()).rejects.toBeInstanceOf(ForbiddenError);
		}
	});

	it('validates title, description, savings and theme; changes nothing on bad input', async () => {
		const w = await world();
		expect(await fieldErrors(createPledgeAction(w.coordinator, w.network.id, { title: '', description: 'x'.repeat(2001), savingsKg: '100001', theme: 'space' }))).toEqual({
			title: 'validation.required',
			description: 'dir.tooLong2000',
			savingsKg: 'portal.pledgeAction.savingsRange',
			theme: 'validation.choice'
		});
		expect(await fieldErrors(createPledgeAction(w.coordinator, w.network.id, { title: 'x'.repeat(201), savingsKg: '-1', theme: 'energy' }))).toEqual({
			title: 'dir.tooLong200',
			savingsKg: 'portal.pledgeAction.savingsRange'
		});
		expect(await fieldErrors(createPledgeAction(w.coordinator, w.network.id, { title: 'Ohne Zahl', savingsKg: '', theme: 'energy' }))).toEqual({ savingsKg: 'portal.pledgeAction.savingsRange' });
		expect((await listPledgeActions(w.coordinator, w.network.id, { withArchived: true })).map((a) => a.title)).toEqual(['Ich beziehe Ökostrom', 'Rad statt Auto']);
		expect(w.bike.savingsKg).toBe(1250.5);
	});

	it('edits, orders, archives and reactivates, each with an audit entry; archived actions take no pledges', async () => {
		const w = await world();
		await updatePledgeAction(w.coordinator, w.network.id, w.green.id, { title: 'Ökostrom beziehen', description: '', savingsKg: '650', theme: 'energy' });
		await movePledgeAction(w.coordinator, w.network.id, w.bike.id, 'up');
		expect((await listPledgeActions(VISITOR, w.network.id)).map((a) => a.title)).toEqual(['Rad statt Auto', 'Ökostrom beziehen']);
		await setPledgeActionActive(w.coordinator, w.network.id, w.green.id, false);
		expect((await listPledgeActions(VISITOR, w.network.id)).map((a) => a.title)).toEqual(['Rad statt Auto']);
		expect(await fieldErrors(pledge(VISITOR, w.network.id, { actionIds: [w.green.id], bodyId: w.town.id, postcode: '38855' }, { ip: ip() }))).toEqual({
			actionIds: 'portal.pledge.actionGone'
		});
		await setPledgeActionActive(w.coordinator, w.network.id, w.green.id, true);
		const audit = await db()
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.recordType, 'pledge_action'), eq(auditLog.networkId, w.network.id)));
		expect(audit.map((a) => a.action).sort()).toEqual(['create', 'create', 'update', 'update', 'update', 'update', 'update']);
		// Another network's action is not found.
		const n2 = await makeNetwork();
		const c2 = await makeActor(n2.id, 'coordinator');
		await expect(updatePledgeAction(c2, n2.id, w.green.id, { title: 'x', savingsKg: '1', theme: 'energy' })).rejects.toBeInstanceOf(NotFoundError);
	});
});

describe('pledging', () => {
	it('without an account: town and a five-digit postcode are required, nothing else is stored', async () => {
		const w = await world();
		expect(await fieldErrors(pledge(VISITOR, w.network.id, { actionIds: [w.green.id] }, { ip: ip() }))).toEqual({
			bodyId: 'portal.pledge.townRequired',
			postcode: 'portal.pledge.postcodeRequired'
		});
		for (const bad of ['3885', '388555', 'abcde', '38 85']) {
			expect(await fieldErrors(pledge(VISITOR, w.network.id, { actionIds: [w.green.id], bodyId: w.town.id, postcode: bad }, { ip: ip() }))).toEqual({ postcode: 'portal.pledge.postcodeInvalid' });
		}
		expect(await fieldErrors(pledge(VISITOR, w.network.id, { actionIds: [], bodyId: w.town.id, postcode: '38855' }, { ip: ip() }))).toEqual({ actionIds: 'portal.pledge.chooseAction' });
		const foreign = await makeBody((await makeNetwork()).id);
		expect(await fieldErrors(pledge(VISITOR, w.network.id, { actionIds: [w.green.id], bodyId: foreign.id, postcode: '38855' }, { ip: ip() }))).toEqual({ bodyId: 'validation.choice' });
		expect(await fieldErrors(pledge(VISITOR, w.network.id, { actionIds: [w.green.id], bodyId: w.town.id, postcode: '38855', website: 'http://spam' }, { ip: ip() }))).toEqual({ _form: 'participation.honeypot' });
		expect(await db().select().from(pledges).where(eq(pledges.networkId, w.network.id))).toHaveLength(0);

		const r = await pledge(VISITOR, w.network.id, { actionIds: [w.green.id, w.bike.id], bodyId: w.town.id, postcode: '38855' }, { ip: ip() });
		expect(r).toEqual({ count: 2, withAccount: false });
		const rows = await db().select().from(pledges).where(eq(pledges.networkId, w.network.id));
		expect(rows.map((p) => ({ bodyId: p.bodyId, postcode: p.postcode, userId: p.userId }))).toEqual([
			{ bodyId: w.town.id, postcode: '38855', userId: null },
			{ bodyId: w.town.id, postcode: '38855', userId: null }
		]);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordType, 'pledge'), eq(auditLog.networkId, w.network.id)));
		expect(audit).toHaveLength(2);
		expect(JSON.stringify(audit)).not.toContain('38855');
	});

	it('with an account: one pledge per action; a second is refused with a message and stores nothing', async () => {
		const w = await world();
		const resident = await consent(await makeActor(null, 'citizen'));
		expect(await pledge(resident, w.network.id, { actionIds: [w.green.id] }, { ip: ip() })).toEqual({ count: 1, withAccount: true });
		expect(await fieldErrors(pledge(resident, w.network.id, { actionIds: [w.bike.id, w.green.id], bodyId: w.town.id }, { ip: ip() }))).toEqual({ actionIds: 'portal.pledge.already' });
		expect(await myPledgedActionIds(resident, w.network.id)).toEqual([w.green.id]);
		await pledge(resident, w.network.id, { actionIds: [w.bike.id], bodyId: w.town.id }, { ip: ip() });
		const rows = await db().select().from(pledges).where(eq(pledges.userId, resident.userId!));
		expect(rows).toHaveLength(2);
		expect(rows.every((p) => p.postcode === '')).toBe(true);
		// Signed in without consent: pledges like a visitor (postcode, no account).
		const noConsent = await makeActor(null, 'citizen');
		expect(await fieldErrors(pledge(noConsent, w.network.id, { actionIds: [w.green.id], bodyId: w.town.id }, { ip: ip() }))).toEqual({ postcode: 'portal.pledge.postcodeRequired' });
		expect(await pledge(noConsent, w.network.id, { actionIds: [w.green.id], bodyId: w.town.id, postcode: '06502' }, { ip: ip() })).toEqual({ count: 1, withAccount: false });
	});

	it('refuses a flood from one address with a German message, counting every action ticked', async () => {
		const w = await world();
		const more = [];
		for (const title of ['LED-Lampen', 'Weniger Fleisch', 'Dämmung']) {
			more.push(await createPledgeAction(w.coordinator, w.network.id, { title, description: '', savingsKg: '100', theme: 'energy' }));
		}
		const all = { actionIds: [w.green.id, w.bike.id, ...more.map((a) => a.id)], bodyId: w.town.id, postcode: '38855' };
		const addr = ip();
		// One household ticking all five twice is fine, and so are four more (a shared address).
		for (let i = 0; i < 6; i++) expect(await pledge(VISITOR, w.network.id, all, { ip: addr })).toEqual({ count: 5, withAccount: false });
		// Thirty pledges in the hour: a seventh submission is refused, even for a single action.
		expect(await fieldErrors(pledge(VISITOR, w.network.id, all, { ip: addr }))).toEqual({ _form: 'participation.rateLimited' });
		expect(await fieldErrors(pledge(VISITOR, w.network.id, { ...all, actionIds: [w.green.id] }, { ip: addr }))).toEqual({ _form: 'participation.rateLimited' });
		expect(await db().select().from(pledges).where(eq(pledges.networkId, w.network.id))).toHaveLength(30);
		// Another address is not affected.
		await pledge(VISITOR, w.network.id, all, { ip: ip() });
	});

	it('totals per action, per town and network: pledges and tonnes CO2e per year', async () => {
		const w = await world();
		const n2 = await world();
		await pledge(VISITOR, w.network.id, { actionIds: [w.green.id, w.bike.id], bodyId: w.town.id, postcode: '38855' }, { ip: ip() });
		await pledge(VISITOR, w.network.id, { actionIds: [w.green.id], bodyId: w.town.id, postcode: '38855' }, { ip: ip() });
		await pledge(VISITOR, w.network.id, { actionIds: [w.green.id], bodyId: w.other.id, postcode: '06502' }, { ip: ip() });
		await pledge(VISITOR, n2.network.id, { actionIds: [n2.green.id], bodyId: n2.town.id, postcode: '38855' }, { ip: ip() });

		const net = await pledgeTotals(w.network.id);
		expect(net.pledges).toBe(4);
		expect(net.tonnes).toBeCloseTo(3 * 0.7 + 1.2505, 6);
		expect(net.byAction.map((a) => [a.title, a.pledges])).toEqual([
			['Ich beziehe Ökostrom', 3],
			['Rad statt Auto', 1]
		]);
		const town = await pledgeTotals(w.network.id, { bodyId: w.town.id });
		expect(town.pledges).toBe(3);
		expect(town.tonnes).toBeCloseTo(1.4 + 1.2505, 6);
		const byBody = await pledgeTotalsByBody(w.network.id);
		expect(byBody.map((b) => [b.name, b.pledges])).toEqual([
			['Wernigerode', 3],
			['Thale', 1]
		]);
		expect(byBody[1].tonnes).toBeCloseTo(0.7, 6);
		// Archived actions keep their pledges in the totals.
		await setPledgeActionActive(w.coordinator, w.network.id, w.bike.id, false);
		expect((await pledgeTotals(w.network.id)).pledges).toBe(4);
		expect((await pledgeTotals(n2.network.id)).pledges).toBe(1);
	});

	it('demo: five actions and pledges over several towns, once', async () => {
		const network = await makeNetwork();
		for (const name of ['Wernigerode', 'Halberstadt', 'Thale']) await makeBody(network.id, name);
		const c = await makeActor(network.id, 'coordinator');
		const first = await seedPledgesDemo(c, network.id);
		expect(first.actions).toBe(5);
		expect(first.pledges).toBeGreaterThan(20);
		expect((await pledgeTotalsByBody(network.id)).length).toBe(3);
		expect((await seedPledgesDemo(c, network.id)).skipped).toBe(true);
	});
});
