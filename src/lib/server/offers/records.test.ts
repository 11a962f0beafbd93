// The offer as a record of the registry: who counts as its editor (links and files on the offer),
// and that a town still links its own measure to any offer from the measure's side.
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../testing/db';
import { ForbiddenError } from '../errors';
import { canEditRecord, resolveRecord } from '../registry';
import { registerAllRecords } from '../records';
import { linkRecords, listLinks, unlinkRecords } from '../links/service';
import { makeMeasure, measureWorld } from '../measures/testing';
import { makeOffer } from './testing';

useTestDb();
registerAllRecords();

describe('offer records', () => {
	it('count only coordinators and the member who entered the offer as its editors', async () => {
		const w = await measureWorld();
		const o = await makeOffer(w.member, w.network.id);
		const ref = { type: 'offer', id: o.id };
		expect(await canEditRecord(w.coordinator, ref)).toBe(true);
		expect(await canEditRecord(w.member, ref)).toBe(true);
		expect(await canEditRecord(w.otherMember, ref)).toBe(false);
		expect(await canEditRecord(w.partner, ref)).toBe(false);
		expect(await canEditRecord(w.citizen, ref)).toBe(false);
		// Readable by the whole working area all the same.
		expect((await resolveRecord(w.otherMember, ref))?.url).toBe(`/${w.network.slug}/intern/angebote/${o.id}`);
		expect(await resolveRecord(w.citizen, ref)).toBeNull();
	});

	it('let a town link its measure to someone else’s offer, but not touch other towns’ links from the offer', async () => {
		const w = await measureWorld();
		const o = await makeOffer(w.member, w.network.id);
		const offer = { type: 'offer', id: o.id };
		const own = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1' });
		const theirs = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'W-1' });
		// From the measure's side: the other town edits its measure and may read the offer.
		const ownLink = await linkRecords(w.otherMember, { type: 'measure', id: own.id }, offer);
		// From the offer's side only its editors may link.
		await expect(linkRecords(w.otherMember, offer, { type: 'measure', id: own.id })).rejects.toBeInstanceOf(ForbiddenError);
		const theirLink = await linkRecords(w.member, { type: 'measure', id: theirs.id }, offer);
		expect((await listLinks(w.otherMember, offer)).map((l) => l.id).sort()).toEqual([ownLink, theirLink].sort());
		// Another town's link on the offer stays: the other member edits neither side.
		await expect(unlinkRecords(w.otherMember, theirLink, offer)).rejects.toBeInstanceOf(ForbiddenError);
		// Its own link it may remove (it edits the measure).
		await unlinkRecords(w.otherMember, ownLink, offer);
		expect((await listLinks(w.coordinator, offer)).map((l) => l.id)).toEqual([theirLink]);
	});
});
