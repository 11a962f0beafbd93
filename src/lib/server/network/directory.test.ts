import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { auditLog, bodies, memberships, membershipBodies, people, partners, users } from '../db/schema';
import { loadActor, VISITOR, type Actor, type NetworkRole } from '../auth/actor';
import { createNetwork } from './networks';
import { listAudit } from '../audit/service';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import {
	bodyOptions,
	createBody,
	createPartner,
	createPerson,
	deletePartner,
	deletePerson,
	directoryRecordLinks,
	getBodyByAgs,
	getBodyForEdit,
	getPartner,
	getPartnerForEdit,
	getPerson,
	getPersonForEdit,
	listBodies,
	listPartners,
	listPeople,
	networkOverview,
	updateBody,
	updatePartner,
	updatePerson,
	type Body
} from './directory';
import { parseLocaleNumber } from './directory-shared';

useTestDb();

async function makeUser(name: string, isOperator = false): Promise<string> {
	const id = randomUUID();
	await db().insert(users).values({ id, name, email: `${id}@test.example`, isOperator });
	return id;
}

async function actorFor(networkId: string, role: NetworkRole, bodyIds: string[] = []): Promise<Actor> {
	const userId = await makeUser(`${role} ${randomUUID().slice(0, 4)}`);
	const [m] = await db().insert(memberships).values({ networkId, userId, role }).returning();
	for (const bodyId of bodyIds) await db().insert(membershipBodies).values({ membershipId: m.id, bodyId, networkId });
	return loadActor(userId);
}

/** Catches the error a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
	try {
		await p;
	} catch (e) {
		return e;
	}
	throw new Error('expected the call to fail');
}

async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string>> {
	const e = await rejection(p);
	expect(e).toBeInstanceOf(ValidationError);
	return (e as ValidationError).fieldErrors;
}

const auditCount = async (networkId: string) =>
	(await db().select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.networkId, networkId)))[0].n;

const bodyRow = async (id: string) => (await db().select().from(bodies).where(eq(bodies.id, id)))[0];

interface World {
	id: string;
	coordinator: Actor;
	member: Actor;
	partner: Actor;
	district: Body;
	town: Body;
	other: Body;
	managerId: string;
	partnerOrgId: string;
}

let op: Actor;
let A: World;
let B: World;

/** A network with a district, two towns, a manager, a partner organisation and actors of each role. */
async function world(slug: string, name: string): Promise<World> {
	const net = await createNetwork(op, { slug, name, region: 'Testregion' });
	const coordinator = await actorFor(net.id, 'coordinator');
	const district = await createBody(coordinator, net.id, { name: `Landkreis ${name}`, kind: 'landkreis', ags: '15085' });
	const town = await createBody(coordinator, net.id, {
		name: `Halberstadt ${name}`,
		kind: 'stadt',
		ags: '15085135',
		population: '40069',
		populationYear: '2023',
		areaKm2: '142,98',
		lat: '51.9',
		lon: '11.05'
	});
	const other = await createBody(coordinator, net.id, { name: `Thale ${name}`, kind: 'stadt', ags: '15085330' });
	const member = await actorFor(net.id, 'member', [town.id]);
	const partner = await actorFor(net.id, 'partner');
	const manager = await createPerson(coordinator, net.id, {
		name: `Managerin ${name}`,
		function: 'klimaschutzmanager',
		bodyId: town.id,
		email: `kliman@${slug}.example`,
		phone: '03941 55-0',
		tenureFrom: '2024-01-01'
	});
	const partnerOrg = await createPartner(coordinator, net.id, { name: `Energieagentur ${name}`, url: `https://${slug}.example` });
	return { id: net.id, coordinator, member, partner, district, town, other, managerId: manager.id, partnerOrgId: partnerOrg.id };
}

beforeAll(async () => {
	op = await loadActor(await makeUser('Operator', true));
	A = await world('netz-a', 'A');
	B = await world('netz-b', 'B');
});

describe('bodies: who may edit', () => {
	it('a member edits their own body; the change is audited with before and after', async () => {
		const before = await auditCount(A.id);
		const after = await updateBody(A.member, A.id, A.town.id, { population: '40.100', populationYear: '2024' });
		expect(after.population).toBe(40100);
		expect(after.populationYear).toBe(2024);
		expect(after.areaKm2).toBe(142.98);
		expect(await auditCount(A.id)).toBe(before + 1);
		const log = await listAudit(A.coordinator, A.id, { recordType: 'body', recordId: A.town.id });
		expect(log.entries[0]).toMatchObject({
			action: 'update',
			before: { population: 40069, populationYear: 2023 },
			after: { population: 40100, populationYear: 2024 }
		});
	});

	it("a member may not edit another body (ForbiddenError), and nothing changes", async () => {
		const before = await bodyRow(A.other.id);
		expect(await rejection(updateBody(A.member, A.id, A.other.id, { name: 'Gekapert' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(getBodyForEdit(A.member, A.id, A.other.ags))).toBeInstanceOf(ForbiddenError);
		expect(await bodyRow(A.other.id)).toEqual(before);
	});

	it('a partner can read but not edit', async () => {
		expect((await listBodies(A.partner, A.id)).total).toBe(3);
		expect((await getBodyByAgs(A.partner, A.id, '15085135')).name).toBe('Halberstadt A');
		const ppl = await listPeople(A.partner, A.id);
		expect(ppl.withContact).toBe(true);
		expect(ppl.items[0].email).toBe('kliman@netz-a.example');
		expect((await listPartners(A.partner, A.id)).total).toBeGreaterThan(0);

		expect(await rejection(updateBody(A.partner, A.id, A.town.id, { name: 'X' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(createBody(A.partner, A.id, { name: 'X', kind: 'gemeinde', ags: '15085999' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(createPerson(A.partner, A.id, { name: 'X', function: 'other', bodyId: A.town.id }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(updatePerson(A.partner, A.id, A.managerId, { name: 'X', function: 'other' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(deletePerson(A.partner, A.id, A.managerId))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(createPartner(A.partner, A.id, { name: 'X' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(updatePartner(A.partner, A.id, A.partnerOrgId, { name: 'X' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(deletePartner(A.partner, A.id, A.partnerOrgId))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(getPartnerForEdit(A.partner, A.id, A.partnerOrgId))).toBeInstanceOf(ForbiddenError);
	});

	it('only coordinators create bodies; an AGS is unique within its network', async () => {
		expect(await rejection(createBody(A.member, A.id, { name: 'Huy', kind: 'gemeinde', ags: '15085185' }))).toBeInstanceOf(ForbiddenError);
		const huy = await createBody(A.coordinator, A.id, { name: 'Huy', kind: 'gemeinde', ags: '15085185' });
		expect(huy.networkId).toBe(A.id);
		expect(await fieldErrors(createBody(A.coordinator, A.id, { name: 'Huy 2', kind: 'gemeinde', ags: '15085185' }))).toEqual({
			ags: 'body.agsTaken'
		});
		expect((await fieldErrors(updateBody(A.coordinator, A.id, huy.id, { ags: '15085135' }))).ags).toBe('body.agsTaken');
		// The same AGS in another network is fine (B has its own Halberstadt).
		expect((await getBodyByAgs(B.coordinator, B.id, '15085135')).networkId).toBe(B.id);
	});

	it('visitors and other networks may not edit', async () => {
		expect(await rejection(updateBody(VISITOR, A.id, A.town.id, { name: 'X' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(updateBody(B.coordinator, A.id, A.town.id, { name: 'X' }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(createPartner(B.coordinator, A.id, { name: 'X' }))).toBeInstanceOf(ForbiddenError);
	});
});

describe('bodies: bad input gets the field’s message key and changes nothing', () => {
	const cases: [string, Record<string, string>, Record<string, string>][] = [
		['AGS abc', { ags: 'abc' }, { ags: 'body.agsMunicipality' }],
		['AGS with 7 digits', { ags: '1508513' }, { ags: 'body.agsMunicipality' }],
		['a district with an 8-digit AGS', { kind: 'landkreis', ags: '15085135' }, { ags: 'body.agsDistrict' }],
		['empty AGS', { ags: '' }, { ags: 'validation.required' }],
		['population -1', { population: '-1' }, { population: 'body.population' }],
		['population 12,5', { population: '12,5' }, { population: 'body.population' }],
		['population without year', { population: '100', populationYear: '' }, { populationYear: 'body.populationYearRequired' }],
		['population year 1850', { populationYear: '1850' }, { populationYear: 'body.populationYear' }],
		['population year next year', { populationYear: String(new Date().getFullYear() + 2) }, { populationYear: 'body.populationYear' }],
		['area 0', { areaKm2: '0' }, { areaKm2: 'body.area' }],
		['area 200000', { areaKm2: '200000' }, { areaKm2: 'body.area' }],
		['lat 200', { lat: '200' }, { lat: 'body.lat' }],
		['lon abc', { lon: 'abc' }, { lon: 'body.lon' }],
		['lat without lon', { lat: '51,9', lon: '' }, { lon: 'body.coordinatesPair' }],
		['name of 10,000 characters', { name: 'x'.repeat(10_000) }, { name: 'dir.tooLong200' }],
		['empty name', { name: '  ' }, { name: 'validation.required' }],
		['unknown kind', { kind: 'bundesland' }, { kind: 'validation.choice' }],
		['unknown concept status', { conceptStatus: 'maybe' }, { conceptStatus: 'validation.choice' }],
		['adopted without date', { conceptStatus: 'adopted' }, { conceptAdoptedOn: 'body.adoptedOnRequired' }],
		['adopted in the future', { conceptStatus: 'adopted', conceptAdoptedOn: '2099-01-01' }, { conceptAdoptedOn: 'body.adoptedOnFuture' }],
		['impossible date', { conceptStatus: 'adopted', conceptAdoptedOn: '2024-02-30' }, { conceptAdoptedOn: 'dir.date' }],
		['impossible funding date', { managerFundedUntil: '31.13.2025' }, { managerFundedUntil: 'dir.date' }],
		['resolution text too long', { conceptResolution: 'x'.repeat(501) }, { conceptResolution: 'dir.tooLong500' }]
	];
	it.each(cases)('%s', async (_label, input, expected) => {
		const before = await bodyRow(A.other.id);
		const audits = await auditCount(A.id);
		expect(await fieldErrors(updateBody(A.coordinator, A.id, A.other.id, input))).toEqual(expected);
		expect(await bodyRow(A.other.id)).toEqual(before);
		expect(await auditCount(A.id)).toBe(audits);
	});

	it('reports every bad field at once', async () => {
		const errors = await fieldErrors(updateBody(A.coordinator, A.id, A.other.id, { ags: 'abc', lat: '200', population: '-1' }));
		expect(errors).toEqual({ ags: 'body.agsMunicipality', lat: 'body.lat', population: 'body.population' });
	});

	it('creating with bad input creates nothing', async () => {
		const n = (await listBodies(A.coordinator, A.id)).total;
		await fieldErrors(createBody(A.coordinator, A.id, { name: 'Neu', kind: 'gemeinde', ags: 'abc' }));
		expect((await listBodies(A.coordinator, A.id)).total).toBe(n);
	});
});

describe('bodies: climate-work status', () => {
	it('an adopted concept keeps its date and resolution; other statuses drop them', async () => {
		const b = await updateBody(A.coordinator, A.id, A.other.id, {
			conceptStatus: 'adopted',
			conceptAdoptedOn: '1.6.2024',
			conceptResolution: 'Beschluss 2024/117 des Stadtrats',
			managerFundedUntil: '2026-12-31'
		});
		expect(b).toMatchObject({ conceptStatus: 'adopted', conceptAdoptedOn: '2024-06-01', conceptResolution: 'Beschluss 2024/117 des Stadtrats', managerFundedUntil: '2026-12-31' });
		const c = await updateBody(A.coordinator, A.id, A.other.id, { conceptStatus: 'in_preparation' });
		expect(c).toMatchObject({ conceptStatus: 'in_preparation', conceptAdoptedOn: null, conceptResolution: null });
	});

	it('an adopted concept whose date was never known may stay so while other facts change', async () => {
		await db().update(bodies).set({ conceptStatus: 'adopted', conceptAdoptedOn: null }).where(eq(bodies.id, A.district.id));
		const b = await updateBody(A.coordinator, A.id, A.district.id, { population: '208804', populationYear: '2023' });
		expect(b).toMatchObject({ conceptStatus: 'adopted', conceptAdoptedOn: null, population: 208804 });
	});

	it('overview: bodies with a manager in office today, adopted concepts, counts', async () => {
		const o = await networkOverview(VISITOR, A.id, { today: '2025-01-01' });
		expect(o.bodies[0].kind).toBe('landkreis');
		expect(o.bodies.find((b) => b.id === A.town.id)?.hasManager).toBe(true);
		expect(o.counts.withManager).toBe(1);
		// Before the tenure starts, the town has no manager yet.
		expect((await networkOverview(VISITOR, A.id, { today: '2023-12-31' })).counts.withManager).toBe(0);
		const adopted = o.bodies.filter((b) => b.conceptStatus === 'adopted').length;
		expect(o.counts.conceptAdopted).toBe(adopted);
		expect(o.counts.bodies).toBe(o.bodies.length);
	});

	it('lists search by name and AGS and filter by kind', async () => {
		expect((await listBodies(VISITOR, A.id, { q: 'halber' })).items.map((b) => b.ags)).toEqual(['15085135']);
		expect((await listBodies(VISITOR, A.id, { q: '1508533' })).items.map((b) => b.ags)).toEqual(['15085330']);
		expect((await listBodies(VISITOR, A.id, { kind: 'landkreis' })).items.map((b) => b.ags)).toEqual(['15085']);
		expect((await listBodies(VISITOR, A.id, { q: '%' })).total).toBe(0);
		const p1 = await listBodies(VISITOR, A.id, { page: 1, pageSize: 2 });
		const p2 = await listBodies(VISITOR, A.id, { page: 2, pageSize: 2 });
		expect(p1.items).toHaveLength(2);
		expect(p1.items.map((b) => b.id)).not.toContain(p2.items[0].id);
	});
});

describe('people', () => {
	it('visitors see name, function and body, never e-mail or phone', async () => {
		const list = await listPeople(VISITOR, A.id);
		expect(list.withContact).toBe(false);
		const m = list.items.find((p) => p.id === A.managerId)!;
		expect(m).toMatchObject({ name: 'Managerin A', function: 'klimaschutzmanager', bodyName: 'Halberstadt A' });
		expect(m).not.toHaveProperty('email');
		expect(m).not.toHaveProperty('phone');
		expect(await getPerson(VISITOR, A.id, A.managerId)).not.toHaveProperty('email');
		const citizen = await actorFor(A.id, 'citizen');
		expect(await getPerson(citizen, A.id, A.managerId)).not.toHaveProperty('phone');
		expect((await getPerson(A.member, A.id, A.managerId)).phone).toBe('03941 55-0');
	});

	it('a coordinator creates, edits and deletes people; each change is audited', async () => {
		const p = await createPerson(A.coordinator, A.id, {
			name: 'Erika Muster',
			function: 'buergermeister',
			bodyId: A.other.id,
			email: 'Erika.Muster@Thale.example',
			tenureFrom: '2019-07-01'
		});
		expect(p.email).toBe('erika.muster@thale.example');
		const u = await updatePerson(A.coordinator, A.id, p.id, { name: 'Erika Muster', function: 'buergermeister', bodyId: A.other.id, tenureFrom: '2019-07-01', tenureUntil: '2026-06-30' });
		expect(u.tenureUntil).toBe('2026-06-30');
		expect(u.email).toBe('');
		await deletePerson(A.coordinator, A.id, p.id);
		expect(await rejection(getPerson(A.coordinator, A.id, p.id))).toBeInstanceOf(NotFoundError);
		const log = await listAudit(A.coordinator, A.id, { recordType: 'person', recordId: p.id });
		expect(log.entries.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
		expect(log.entries[1]).toMatchObject({ before: { tenureUntil: null, email: 'erika.muster@thale.example' }, after: { tenureUntil: '2026-06-30', email: '' } });
		expect(log.entries[2].after).toMatchObject({ name: 'Erika Muster', bodyId: A.other.id });
		expect(log.entries[0].before).toMatchObject({ name: 'Erika Muster' });
	});

	it('a member adds and edits people of their own body only', async () => {
		const p = await createPerson(A.member, A.id, { name: 'Bauamt Halberstadt', function: 'bauamt', bodyId: A.town.id });
		await updatePerson(A.member, A.id, p.id, { name: 'Bauamt Halberstadt', function: 'bauamt', functionNote: 'Sachgebiet Hochbau', bodyId: A.town.id });
		expect(await fieldErrors(createPerson(A.member, A.id, { name: 'X', function: 'other', bodyId: A.other.id }))).toEqual({ bodyId: 'person.bodyNotYours' });
		expect(await fieldErrors(createPerson(A.member, A.id, { name: 'X', function: 'other', bodyId: '' }))).toEqual({ bodyId: 'person.bodyNotYours' });
		// Moving a person to a body they do not represent is refused.
		expect(await fieldErrors(updatePerson(A.member, A.id, p.id, { name: 'X', function: 'bauamt', bodyId: A.other.id }))).toEqual({ bodyId: 'person.bodyNotYours' });
		const elsewhere = await createPerson(A.coordinator, A.id, { name: 'Jemand', function: 'other', bodyId: A.other.id });
		expect(await rejection(updatePerson(A.member, A.id, elsewhere.id, { name: 'X', function: 'other', bodyId: A.other.id }))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(getPersonForEdit(A.member, A.id, elsewhere.id))).toBeInstanceOf(ForbiddenError);
		expect(await rejection(deletePerson(A.member, A.id, elsewhere.id))).toBeInstanceOf(ForbiddenError);
		await deletePerson(A.member, A.id, p.id);
	});

	it('a body of another network cannot be assigned', async () => {
		expect(await fieldErrors(createPerson(A.coordinator, A.id, { name: 'X', function: 'other', bodyId: B.town.id }))).toEqual({ bodyId: 'person.bodyUnknown' });
		expect(await fieldErrors(createPerson(A.coordinator, A.id, { name: 'X', function: 'other', bodyId: 'nicht-uuid' }))).toEqual({ bodyId: 'person.bodyUnknown' });
	});

	const bad: [string, Record<string, string>, Record<string, string>][] = [
		['tenure until before from', { tenureFrom: '2024-05-01', tenureUntil: '2024-04-30' }, { tenureUntil: 'person.tenureOrder' }],
		['impossible date', { tenureFrom: '2023-02-29' }, { tenureFrom: 'dir.date' }],
		['name of 10,000 characters', { name: 'x'.repeat(10_000) }, { name: 'dir.tooLong200' }],
		['bad e-mail', { email: 'kein-at-zeichen' }, { email: 'validation.email' }],
		['bad phone', { phone: 'ruf mich an' }, { phone: 'person.phone' }],
		['unknown function', { function: 'chef' }, { function: 'validation.choice' }]
	];
	it.each(bad)('bad input: %s', async (_l, input, expected) => {
		const before = (await db().select().from(people).where(eq(people.id, A.managerId)))[0];
		const audits = await auditCount(A.id);
		const valid = { name: 'Managerin A', function: 'klimaschutzmanager', bodyId: A.town.id };
		expect(await fieldErrors(updatePerson(A.coordinator, A.id, A.managerId, { ...valid, ...input }))).toEqual(expected);
		expect((await db().select().from(people).where(eq(people.id, A.managerId)))[0]).toEqual(before);
		expect(await auditCount(A.id)).toBe(audits);
	});

	it('filters by body and function', async () => {
		const byBody = await listPeople(A.member, A.id, { bodyId: A.town.id });
		expect(byBody.items.every((p) => p.bodyId === A.town.id)).toBe(true);
		const managers = await listPeople(A.member, A.id, { fn: 'klimaschutzmanager' });
		expect(managers.items.map((p) => p.id)).toEqual([A.managerId]);
	});
});

describe('partners', () => {
	it('a coordinator creates, edits and deletes partners; each change is audited', async () => {
		const p = await createPartner(A.coordinator, A.id, { name: 'Uni', description: 'Forschung', url: 'https://uni.example' });
		const u = await updatePartner(A.coordinator, A.id, p.id, { name: 'Universität', description: 'Forschung', url: 'https://uni.example/projekt' });
		expect(u.name).toBe('Universität');
		expect((await getPartner(VISITOR, A.id, p.id)).url).toBe('https://uni.example/projekt');
		await deletePartner(A.coordinator, A.id, p.id);
		const log = await listAudit(A.coordinator, A.id, { recordType: 'partner', recordId: p.id });
		expect(log.entries.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
		expect(log.entries[1]).toMatchObject({ before: { name: 'Uni', url: 'https://uni.example' }, after: { name: 'Universität' } });
	});

	it('bad input: over-long name, bad URL', async () => {
		const n = (await listPartners(A.coordinator, A.id)).total;
		expect(await fieldErrors(createPartner(A.coordinator, A.id, { name: 'x'.repeat(10_000), url: 'javascript:alert(1)' }))).toEqual({
			name: 'dir.tooLong200',
			url: 'validation.url'
		});
		expect((await listPartners(A.coordinator, A.id)).total).toBe(n);
	});
});

describe('isolation: network A never sees network B', () => {
	it('every list and get called with A’s id returns only A’s rows', async () => {
		const bIds = new Set<string>();
		for (const t of [bodies, people, partners]) {
			for (const r of await db().select({ id: t.id }).from(t).where(eq(t.networkId, B.id))) bIds.add(r.id);
		}
		expect(bIds.size).toBeGreaterThan(4);
		const seen: string[] = [];
		for (const actor of [VISITOR, A.coordinator, A.member, A.partner, B.coordinator, op]) {
			const o = await networkOverview(actor, A.id);
			seen.push(...o.bodies.map((b) => b.id));
			const lb = await listBodies(actor, A.id, { pageSize: 100 });
			seen.push(...lb.items.map((b) => b.id));
			seen.push(...(await listBodies(actor, A.id, { q: 'B' })).items.map((b) => b.id));
			seen.push(...(await bodyOptions(actor, A.id)).map((b) => b.id));
			const lp = await listPeople(actor, A.id, { pageSize: 100 });
			seen.push(...lp.items.map((p) => p.id), ...lp.items.map((p) => p.bodyId ?? ''));
			// Filtering A by a body of B finds nothing.
			expect((await listPeople(actor, A.id, { bodyId: B.town.id })).total).toBe(0);
			seen.push(...(await listPartners(actor, A.id, { pageSize: 100 })).items.map((p) => p.id));
			// B's AGS that A does not have, and B's records by id, are not found under A.
			await db().update(bodies).set({ ags: '15085999' }).where(eq(bodies.id, B.other.id));
			expect(await rejection(getBodyByAgs(actor, A.id, '15085999'))).toBeInstanceOf(NotFoundError);
			expect(await rejection(getPerson(actor, A.id, B.managerId))).toBeInstanceOf(NotFoundError);
			expect(await rejection(getPartner(actor, A.id, B.partnerOrgId))).toBeInstanceOf(NotFoundError);
			// The same AGS in both networks gives A's body under A.
			expect((await getBodyByAgs(actor, A.id, '15085135')).id).toBe(A.town.id);
		}
		expect(seen.length).toBeGreaterThan(0);
		expect(seen.filter((id) => bIds.has(id))).toEqual([]);
	});

	it('commands with A’s id never touch B’s rows', async () => {
		const before = await bodyRow(B.town.id);
		expect(await rejection(updateBody(A.coordinator, A.id, B.town.id, { name: 'X' }))).toBeInstanceOf(NotFoundError);
		expect(await rejection(updatePerson(A.coordinator, A.id, B.managerId, { name: 'X', function: 'other' }))).toBeInstanceOf(NotFoundError);
		expect(await rejection(deletePerson(A.coordinator, A.id, B.managerId))).toBeInstanceOf(NotFoundError);
		expect(await rejection(updatePartner(A.coordinator, A.id, B.partnerOrgId, { name: 'X' }))).toBeInstanceOf(NotFoundError);
		expect(await rejection(deletePartner(A.coordinator, A.id, B.partnerOrgId))).toBeInstanceOf(NotFoundError);
		expect(await rejection(getPersonForEdit(A.coordinator, A.id, B.managerId))).toBeInstanceOf(NotFoundError);
		expect(await rejection(getPartnerForEdit(A.coordinator, A.id, B.partnerOrgId))).toBeInstanceOf(NotFoundError);
		expect(await bodyRow(B.town.id)).toEqual(before);
		expect((await db().select().from(people).where(eq(people.id, B.managerId)))[0].name).toBe('Managerin B');
		expect((await db().select().from(partners).where(eq(partners.id, B.partnerOrgId)))[0].name).toBe('Energieagentur B');
	});

	it('audit titles under A resolve only A’s records', async () => {
		const links = await directoryRecordLinks(A.coordinator, A.id, [
			{ recordType: 'body', recordId: B.town.id },
			{ recordType: 'person', recordId: B.managerId },
			{ recordType: 'partner', recordId: B.partnerOrgId },
			{ recordType: 'body', recordId: A.town.id }
		]);
		expect(Object.keys(links).sort()).toEqual([`body:${A.town.id}`, `network:${A.id}`]);
	});

	it('B’s audit entries stay in B', async () => {
		const log = await listAudit(A.coordinator, A.id, { pageSize: 200 });
		const bRecords = await db().select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.networkId, B.id)));
		const bIds = new Set(bRecords.map((r) => r.id));
		expect(log.entries.some((e) => bIds.has(e.id))).toBe(false);
	});
});

describe('number input', () => {
	it.each([
		['1.234', true, 1234],
		['208.804', true, 208804],
		['1.234,5', false, 1234.5],
		['86,72', false, 86.72],
		['51.817', false, 51.817],
		['25.000', false, 25000, true],
		['1.250.000,50', false, 1250000.5, true],
		['86.72', false, 86.72, true],
		['12 000', true, 12000],
		['1,5', true, null],
		['abc', false, null],
		['1e5', false, null]
	] as const)('%s (integer: %s) → %s', (raw, integer, expected, grouped?: boolean) => {
		expect(parseLocaleNumber(raw, integer, grouped ?? integer)).toBe(expected);
	});
});
