import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { VISITOR } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { canEditRecord, recordRefFromPath, resolveRecord } from '../registry';
import { linkByAddress, listLinks } from '../links/service';
import { joinActivity } from './activities';
import { registerActivityRecords } from './records';
import { activityWorld, makeActivity, type ActivityWorld } from './testing';

useTestDb();
registerActivityRecords();

let w: ActivityWorld;
beforeAll(async () => {
	w = await activityWorld();
});

const ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('activity record type', () => {
	it('is found from its pages in the working area and in the portal', () => {
		expect(recordRefFromPath(`/harz/intern/aktivitaeten/${ID}`)).toEqual({ type: 'activity', id: ID });
		expect(recordRefFromPath(`/harz/intern/aktivitaeten/${ID}/bearbeiten`)).toEqual({ type: 'activity', id: ID });
		expect(recordRefFromPath(`/harz/aktivitaeten/${ID}`)).toEqual({ type: 'activity', id: ID });
		expect(recordRefFromPath(`/harz/aktivitaeten/neu`)).toBeNull();
		expect(recordRefFromPath(`/harz/intern/aktivitaeten/${ID}x`)).toBeNull();
	});

	it('resolves for readers only: internal ones for the working area, public ones for everyone', async () => {
		const internal = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id, title: 'Interne Beschaffung' });
		const pub = await makeActivity(w.coordinator, w.network.id, { title: 'Klimaschutztag', isPublic: 'on' });
		const r = await resolveRecord(w.partner, { type: 'activity', id: internal.id });
		expect(r).toMatchObject({ title: 'Interne Beschaffung', url: `/${w.network.slug}/intern/aktivitaeten/${internal.id}`, isPublic: false, networkId: w.network.id });
		expect(await resolveRecord(VISITOR, { type: 'activity', id: internal.id })).toBeNull();
		expect(await resolveRecord(w.foreignCoordinator, { type: 'activity', id: internal.id })).toBeNull();
		expect(await resolveRecord(VISITOR, { type: 'activity', id: pub.id })).toMatchObject({ title: 'Klimaschutztag', isPublic: true });
		expect(await resolveRecord(w.member, { type: 'activity', id: 'nonsense' })).toBeNull();
	});

	it('is edited (and linked) by the coordinator and the members of the proposer, not of towns that joined', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id });
		const ref = { type: 'activity', id: a.id };
		expect(await canEditRecord(w.member, ref)).toBe(true);
		expect(await canEditRecord(w.coordinator, ref)).toBe(true);
		expect(await canEditRecord(w.otherMember, ref)).toBe(false);
		expect(await canEditRecord(w.partner, ref)).toBe(false);
		await joinActivity(w.otherMember, w.network.id, a.id, w.other.id);
		expect(await canEditRecord(w.otherMember, ref)).toBe(false);
		expect(await canEditRecord(w.twoTowns, ref)).toBe(true);
	});

	it('links activities by pasted address, shown on both sides; foreign and non-editors refused', async () => {
		const a = await makeActivity(w.member, w.network.id, { proposerBodyId: w.town.id, title: 'LED-Beschaffung' });
		const b = await makeActivity(w.coordinator, w.network.id, { title: 'Klimaschutztag', isPublic: 'on' });
		await linkByAddress(w.member, { type: 'activity', id: a.id }, `https://klimanetz.example/${w.network.slug}/aktivitaeten/${b.id}`, 'gemeinsam vorstellen');
		const links = await listLinks(w.member, { type: 'activity', id: b.id });
		expect(links.map((l) => [l.other.title, l.note])).toEqual([['LED-Beschaffung', 'gemeinsam vorstellen']]);
		await expect(linkByAddress(w.otherMember, { type: 'activity', id: a.id }, `/${w.network.slug}/intern/aktivitaeten/${b.id}`)).rejects.toBeInstanceOf(ForbiddenError);
		const foreign = await makeActivity(w.foreignCoordinator, w.foreign.id, { title: 'Fremd' });
		expect(await fieldErrors(linkByAddress(w.member, { type: 'activity', id: a.id }, `/${w.foreign.slug}/intern/aktivitaeten/${foreign.id}`))).toEqual({ target: 'link.targetUnknown' });
	});
});
