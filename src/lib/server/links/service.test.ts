// Who may remove a link: a coordinator, the person who made it, or an editor of both sides. An
// editor of one side only (a member of another town) may not: the link also shows on the other
// town's page.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { makeActor } from '../testing/factories';
import { db } from '../db/client';
import { auditLog, recordLinks } from '../db/schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR, type Actor } from '../auth/actor';
import { registerAllRecords } from '../records';
import { makeMeasure, measureWorld } from '../measures/testing';
import { translate } from '$lib/i18n';
import { linkRecords, listLinks, mayRemoveLink, unlinkRecords } from './service';

useTestDb();
registerAllRecords();

async function world() {
	const w = await measureWorld();
	const a = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'W-1' });
	const b = await makeMeasure(w.otherMember, w.network.id, w.otherConcept.id, { code: 'H-1' });
	const refA = { type: 'measure', id: a.id };
	const refB = { type: 'measure', id: b.id };
	/** A member who represents both towns (and so edits both measures). */
	const both = await makeActor(w.network.id, 'member', [w.town.id, w.other.id]);
	return { ...w, a, b, refA, refB, both };
}

const linkCount = async (id: string) => (await db().select().from(recordLinks).where(eq(recordLinks.id, id))).length;

describe('mayRemoveLink (rule table)', () => {
	const link = { networkId: 'n1', createdBy: 'maker' };
	const actor = (userId: string, role: 'coordinator' | 'member' | 'partner' | 'citizen' | null): Actor =>
		({ userId, name: '', email: '', isOperator: false, memberships: role ? [{ networkId: 'n1', slug: 'n', networkName: 'N', role, bodyIds: [] }] : [] }) as Actor;
	it.each([
		['coordinator', actor('c', 'coordinator'), false, true],
		['the maker (member)', actor('maker', 'member'), false, true],
		['the maker (partner)', actor('maker', 'partner'), false, true],
		['the maker, no longer in the network', actor('maker', null), true, false],
		['a member editing both sides', actor('m', 'member'), true, true],
		['a member editing one side', actor('m', 'member'), false, false],
		['a partner', actor('p', 'partner'), false, false],
		['a citizen', actor('z', 'citizen'), false, false]
	])('%s → %s', (_label, who, editsBoth, expected) => {
		expect(mayRemoveLink(who, link, editsBoth)).toBe(expected);
	});
	it('a link without maker (account deleted) is removed by coordinators and editors of both sides', () => {
		expect(mayRemoveLink(actor('x', 'member'), { networkId: 'n1', createdBy: null }, false)).toBe(false);
		expect(mayRemoveLink(VISITOR, { networkId: 'n1', createdBy: null }, true)).toBe(false);
	});
});

describe('unlinkRecords', () => {
	it('an editor of the other side only may not remove a town’s link', async () => {
		const w = await world();
		const id = await linkRecords(w.member, w.refA, w.refB, 'gleiche Idee');
		// The other town's member edits measure b, on whose page the link shows too – not enough.
		await expect(unlinkRecords(w.otherMember, id, w.refB)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(unlinkRecords(w.otherMember, id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(unlinkRecords(w.partner, id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(unlinkRecords(w.citizen, id)).rejects.toBeInstanceOf(ForbiddenError);
		await expect(unlinkRecords(VISITOR, id)).rejects.toBeInstanceOf(ForbiddenError);
		expect(await linkCount(id)).toBe(1);
		// The pages offer the button accordingly.
		expect((await listLinks(w.otherMember, w.refB)).map((l) => l.canRemove)).toEqual([false]);
		expect((await listLinks(w.member, w.refA)).map((l) => l.canRemove)).toEqual([true]);
		expect((await listLinks(w.coordinator, w.refB)).map((l) => l.canRemove)).toEqual([true]);
		expect((await listLinks(w.both, w.refB)).map((l) => l.canRemove)).toEqual([true]);
		// Its maker may.
		await unlinkRecords(w.member, id, w.refA);
		expect(await linkCount(id)).toBe(0);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, id));
		expect(audit.map((e) => [e.action, e.actorUserId]).sort()).toEqual([
			['create', w.member.userId],
			['delete', w.member.userId]
		]);
	});

	it('coordinators and editors of both sides may remove anyone’s link', async () => {
		const w = await world();
		const first = await linkRecords(w.member, w.refA, w.refB);
		await unlinkRecords(w.coordinator, first, w.refB);
		expect(await linkCount(first)).toBe(0);
		const second = await linkRecords(w.otherMember, w.refB, w.refA);
		await unlinkRecords(w.both, second, w.refA);
		expect(await linkCount(second)).toBe(0);
	});

	it('a link not on the page, or no link at all, is not found', async () => {
		const w = await world();
		const c = await makeMeasure(w.member, w.network.id, w.concept.id, { code: 'W-2' });
		const id = await linkRecords(w.member, w.refA, w.refB);
		await expect(unlinkRecords(w.member, id, { type: 'measure', id: c.id })).rejects.toBeInstanceOf(NotFoundError);
		await expect(unlinkRecords(w.member, 'kein-uuid')).rejects.toBeInstanceOf(NotFoundError);
		await expect(unlinkRecords(w.member, '00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
		expect(await linkCount(id)).toBe(1);
	});

	it('says that a record can’t be linked to itself in neutral words', async () => {
		const w = await world();
		expect(await fieldErrors(linkRecords(w.member, w.refA, w.refA))).toEqual({ target: 'link.self' });
		expect(translate('de', 'link.self')).toBe('Ein Eintrag kann nicht mit sich selbst verknüpft werden.');
	});
});
