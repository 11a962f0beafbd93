import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { useSmtpCapture } from '../testing/smtp';
import { makeActor, makeNetwork } from '../testing/factories';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog } from '../db/schema';
import { runDueJobs } from '../jobs';
import { accessibilityFeedback } from './schema';
import { listFeedback, setFeedbackState, submitFeedback } from './feedback';
import { HONEYPOT_FIELD } from './abuse';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR } from '../auth/actor';

useTestDb();
const received = useSmtpCapture();

let n = 0;
const ip = () => `10.7.0.${n++}`;

async function world() {
	const network = await makeNetwork();
	const coordinator = await makeActor(network.id, 'coordinator');
	const second = await makeActor(network.id, 'coordinator');
	const member = await makeActor(network.id, 'member');
	const other = await makeNetwork();
	const otherCoordinator = await makeActor(other.id, 'coordinator');
	return { network, coordinator, second, member, other, otherCoordinator };
}

const input = (networkId: string, over: Record<string, string> = {}) => ({
	networkId,
	pageUrl: '/harz/massnahmen',
	message: 'Die Karte lässt sich nicht mit der Tastatur bedienen.',
	name: 'Erika Muster',
	email: 'Erika@Example.org',
	...over
});

describe('accessibility feedback', () => {
	it('is stored and mailed to every coordinator of the network (queued), not to others', async () => {
		const w = await world();
		received.length = 0;
		const f = await submitFeedback(input(w.network.id), { ip: ip() });
		expect(f).toMatchObject({ state: 'open', email: 'erika@example.org', pageUrl: '/harz/massnahmen' });
		for (let i = 0; i < 3; i++) await runDueJobs('feedback-test');
		expect(received.map((r) => r.to[0]).sort()).toEqual([w.coordinator.email, w.second.email].sort());
		expect(received[0].subject).toBe(`Rückmeldung zur Barrierefreiheit: ${w.network.name}`);
		expect(received[0].text).toContain('Die Karte lässt sich nicht mit der Tastatur bedienen.');
		expect(received[0].text).toContain('Antwort erbeten an: Erika Muster, erika@example.org');
		expect(received[0].text).toContain(`/${w.network.slug}/intern/beteiligung/rueckmeldungen`);
		const [entry] = await db().select().from(auditLog).where(eq(auditLog.recordId, f.id));
		expect(JSON.stringify(entry.after)).not.toContain('Erika');
	});

	it('name and e-mail are optional', async () => {
		const w = await world();
		const f = await submitFeedback(input(w.network.id, { name: '', email: '', pageUrl: '' }), { ip: ip() });
		expect(f).toMatchObject({ name: '', email: '', pageUrl: '' });
	});

	it.each([
		['no message', { message: '  ' }, { message: 'validation.required' }],
		['a message over 5000 characters', { message: 'x'.repeat(5001) }, { message: 'dir.tooLong5000' }],
		['a bad e-mail address', { email: 'erika@' }, { email: 'validation.email' }],
		['no network', { networkId: '' }, { networkId: 'citizen.feedback.networkRequired' }],
		['an unknown network', { networkId: '00000000-0000-4000-8000-000000000000' }, { networkId: 'citizen.feedback.networkRequired' }],
		['too many links', { message: 'https://a.example https://b.example https://c.example https://d.example' }, { message: 'participation.tooManyLinks' }],
		['the honeypot filled', { [HONEYPOT_FIELD]: 'x' }, { _form: 'participation.honeypot' }]
	])('refuses %s and stores nothing', async (_l, over, errors) => {
		const w = await world();
		expect(await fieldErrors(submitFeedback(input(w.network.id, over as Record<string, string>), { ip: ip() }))).toMatchObject(errors);
		expect(await db().select().from(accessibilityFeedback).where(eq(accessibilityFeedback.networkId, w.network.id))).toHaveLength(0);
	});

	it('is rate limited per address', async () => {
		const w = await world();
		const addr = ip();
		for (let i = 0; i < 10; i++) await submitFeedback(input(w.network.id), { ip: addr });
		expect(await fieldErrors(submitFeedback(input(w.network.id), { ip: addr }))).toEqual({ _form: 'participation.rateLimited' });
	});

	it('coordinators list it (paginated) and mark it done; others may not; networks stay apart', async () => {
		const w = await world();
		const f = await submitFeedback(input(w.network.id), { ip: ip() });
		await submitFeedback(input(w.other.id), { ip: ip() });
		const list = await listFeedback(w.coordinator, w.network.id);
		expect(list).toMatchObject({ total: 1, open: 1, items: [expect.objectContaining({ id: f.id })] });
		await setFeedbackState(w.coordinator, w.network.id, f.id, 'done');
		expect(await listFeedback(w.coordinator, w.network.id)).toMatchObject({ open: 0, items: [expect.objectContaining({ state: 'done' })] });
		await expect(setFeedbackState(w.otherCoordinator, w.other.id, f.id, 'open')).rejects.toBeInstanceOf(NotFoundError);
		await expect(setFeedbackState(w.coordinator, w.network.id, 'kaputt', 'open')).rejects.toBeInstanceOf(NotFoundError);
	});

	it.each([
		['a visitor', () => VISITOR],
		['a member', (w: Awaited<ReturnType<typeof world>>) => w.member],
		['a coordinator of another network', (w: Awaited<ReturnType<typeof world>>) => w.otherCoordinator]
	])('%s may not read or change it', async (_l, who) => {
		const w = await world();
		const f = await submitFeedback(input(w.network.id), { ip: ip() });
		const actor = who(w);
		await expect(listFeedback(actor, w.network.id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(setFeedbackState(actor, w.network.id, f.id, 'done')).rejects.toBeInstanceOf(ForbiddenError);
	});
});
