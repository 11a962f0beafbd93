import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { makeBody, makeNetwork } from '../testing/factories';
import { db } from '../db/client';
import { people } from './schema';
import { checkOwners, ownerOptions } from './owners';
import { checkboxValue, optionalUuid, parseFields } from './directory-shared';

useTestDb();

const KEYS = { person: 'x.personUnknown', body: 'x.bodyUnknown' };

describe('task owners', () => {
	let w: Awaited<ReturnType<typeof world>>;
	async function world() {
		const network = await makeNetwork();
		const town = await makeBody(network.id, 'Wernigerode');
		const other = await makeBody(network.id, 'Halberstadt');
		const [klara] = await db().insert(people).values({ networkId: network.id, bodyId: town.id, name: 'Klara Klimaschutz' }).returning();
		const [anton] = await db().insert(people).values({ networkId: network.id, name: 'Anton Agentur' }).returning();
		const foreign = await makeNetwork();
		const foreignTown = await makeBody(foreign.id, 'Magdeburg');
		const [foreignPerson] = await db().insert(people).values({ networkId: foreign.id, bodyId: foreignTown.id, name: 'Fremde Person' }).returning();
		return { network, town, other, klara, anton, foreign, foreignTown, foreignPerson };
	}
	beforeAll(async () => {
		w = await world();
	});

	it("offers the network's people (with their town) and bodies by name, nothing of other networks", async () => {
		const o = await ownerOptions(w.network.id);
		expect(o.people).toEqual([
			{ id: w.anton.id, name: 'Anton Agentur', bodyName: null },
			{ id: w.klara.id, name: 'Klara Klimaschutz', bodyName: 'Wernigerode' }
		]);
		expect(o.bodies).toEqual([
			{ id: w.other.id, name: 'Halberstadt' },
			{ id: w.town.id, name: 'Wernigerode' }
		]);
	});

	it('accepts owners of the network or none, refuses those of another network with the caller\'s keys', async () => {
		await expect(checkOwners(db(), w.network.id, w.klara.id, w.town.id, KEYS)).resolves.toBeUndefined();
		await expect(checkOwners(db(), w.network.id, null, null, KEYS)).resolves.toBeUndefined();
		expect(await fieldErrors(checkOwners(db(), w.network.id, w.foreignPerson.id, w.foreignTown.id, KEYS))).toEqual({ ownerPersonId: 'x.personUnknown', ownerBodyId: 'x.bodyUnknown' });
		expect(await fieldErrors(checkOwners(db(), w.network.id, w.klara.id, w.foreignTown.id, KEYS))).toEqual({ ownerBodyId: 'x.bodyUnknown' });
		await db().transaction(async (tx) => {
			expect(await fieldErrors(checkOwners(tx, w.network.id, w.foreignPerson.id, null, KEYS))).toEqual({ ownerPersonId: 'x.personUnknown' });
		});
	});
});

describe('shared form helpers', () => {
	const shape = () => ({ ownerId: optionalUuid('x.unknown'), isPublic: checkboxValue });

	it('optionalUuid: empty is null, a uuid stays, anything else is the given message', () => {
		const id = '0b9c6f7e-1d2a-4c3b-9e8f-7a6b5c4d3e2f';
		expect(parseFields(shape(), { ownerId: '' }).ownerId).toBeNull();
		expect(parseFields(shape(), {}).ownerId).toBeNull();
		expect(parseFields(shape(), { ownerId: ` ${id} ` }).ownerId).toBe(id);
		for (const bad of ['abc', `${id}x`, "'; drop table people;--", '<script>']) {
			expect(() => parseFields(shape(), { ownerId: bad })).toThrow();
			try {
				parseFields(shape(), { ownerId: bad });
			} catch (e) {
				expect((e as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({ ownerId: 'x.unknown' });
			}
		}
	});

	it('checkboxValue: on/true/1 are checked, missing or anything else is not', () => {
		for (const on of ['on', 'true', '1']) expect(parseFields(shape(), { isPublic: on }).isPublic).toBe(true);
		for (const off of ['', 'off', 'yes', '0']) expect(parseFields(shape(), { isPublic: off }).isPublic).toBe(false);
		expect(parseFields(shape(), {}).isPublic).toBe(false);
	});
});
