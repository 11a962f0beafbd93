import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, fundingApplications, fundingProgrammes, fundingWindows } from '../db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { VISITOR, type Actor } from '../auth/actor';
import {
	addWindow,
	createProgramme,
	deleteWindow,
	getProgramme,
	listProgrammes,
	programmeFilterFromUrl,
	programmeFormValues,
	setProgrammeArchived,
	updateProgramme,
	updateWindow
} from './programmes';
import { fundingWorld, makeApplication, programmeInput } from './testing';

useTestDb();

async function programmeCount(networkId: string) {
	return (await db().select().from(fundingProgrammes).where(eq(fundingProgrammes.networkId, networkId))).length;
}

async function windowsOf(programmeId: string) {
	return db().select().from(fundingWindows).where(eq(fundingWindows.programmeId, programmeId)).orderBy(fundingWindows.closesOn);
}

describe('programmes', () => {
	it('a coordinator creates one; it is audited and stored as typed', async () => {
		const w = await fundingWorld();
		const p = await createProgramme(w.coordinator, w.network.id, programmeInput({ title: 'Programm B', ratePercent: '62,5', rateWeakPercent: '62,5' }));
		expect(p).toMatchObject({ title: 'Programm B', funder: 'ZUG', measureNumber: '4.1.8', ratePercent: 62.5, rateWeakPercent: 62.5, version: 1, isDemo: false });
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, p.id));
		expect(audit.map((a) => [a.action, a.recordType])).toEqual([['create', 'funding_programme']]);
	});

	it('refuses a rate of 140 %, a weak rate below the normal one, and a weak rate alone; nothing is written', async () => {
		const w = await fundingWorld();
		const before = await programmeCount(w.network.id);
		expect(await fieldErrors(createProgramme(w.coordinator, w.network.id, programmeInput({ ratePercent: '140' })))).toMatchObject({ ratePercent: 'funding.rate.range' });
		expect(await fieldErrors(createProgramme(w.coordinator, w.network.id, programmeInput({ ratePercent: '-1', rateWeakPercent: '101' })))).toEqual({
			ratePercent: 'funding.rate.range',
			rateWeakPercent: 'funding.rate.range'
		});
		expect(await fieldErrors(createProgramme(w.coordinator, w.network.id, programmeInput({ ratePercent: '70', rateWeakPercent: '50' })))).toEqual({ rateWeakPercent: 'funding.rate.weakBelow' });
		expect(await fieldErrors(createProgramme(w.coordinator, w.network.id, programmeInput({ ratePercent: '', rateWeakPercent: '50' })))).toEqual({
			rateWeakPercent: 'funding.rate.weakWithoutRate'
		});
		expect(await fieldErrors(createProgramme(w.coordinator, w.network.id, programmeInput({ ratePercent: 'siebzig' })))).toEqual({ ratePercent: 'funding.rate.range' });
		expect(await fieldErrors(createProgramme(w.coordinator, w.network.id, programmeInput({ title: '', funder: ' ', url: 'javascript:alert(1)' })))).toEqual({
			title: 'validation.required',
			funder: 'validation.required',
			url: 'validation.url'
		});
		expect(await fieldErrors(createProgramme(w.coordinator, w.network.id, programmeInput({ title: 'x'.repeat(1_000_000), eligibility: 'y'.repeat(20001) })))).toEqual({
			title: 'dir.tooLong200',
			eligibility: 'dir.tooLong20000'
		});
		// The same rule on update: the stored programme stays as it was.
		expect(await fieldErrors(updateProgramme(w.coordinator, w.network.id, w.programme.id, programmeInput({ ratePercent: '140' })))).toEqual({ ratePercent: 'funding.rate.range' });
		expect(await programmeCount(w.network.id)).toBe(before);
		const [stored] = await db().select().from(fundingProgrammes).where(eq(fundingProgrammes.id, w.programme.id));
		expect(stored).toMatchObject({ ratePercent: 70, version: 1 });
	});

	it('keeps script payloads and NUL bytes as plain text', async () => {
		const w = await fundingWorld();
		const p = await createProgramme(w.coordinator, w.network.id, programmeInput({ title: '<script>alert(1)</script>\u0000', funder: '"><img src=x onerror=alert(1)>' }));
		expect(p.title).toBe('<script>alert(1)</script>');
		expect(p.funder).toBe('"><img src=x onerror=alert(1)>');
	});

	it('only coordinators manage programmes; members and partners read', async () => {
		const w = await fundingWorld();
		for (const a of [w.member, w.partner, w.citizen, VISITOR]) {
			await expect(createProgramme(a, w.network.id, programmeInput())).rejects.toThrow(ForbiddenError);
			await expect(updateProgramme(a, w.network.id, w.programme.id, programmeInput())).rejects.toThrow(ForbiddenError);
			await expect(setProgrammeArchived(a, w.network.id, w.programme.id, true)).rejects.toThrow(ForbiddenError);
			await expect(addWindow(a, w.network.id, w.programme.id, { closesOn: '2031-01-01' })).rejects.toThrow(ForbiddenError);
			await expect(programmeFormValues(a, w.network.id, w.programme.id)).rejects.toThrow(ForbiddenError);
		}
		for (const a of [w.member, w.partner]) {
			const d = await getProgramme(a, w.network.id, w.programme.id);
			expect(d.canManage).toBe(false);
			expect((await listProgrammes(a, w.network.id)).total).toBe(1);
		}
		expect((await getProgramme(w.member, w.network.id, w.programme.id)).canApply).toBe(true);
		expect((await getProgramme(w.partner, w.network.id, w.programme.id)).canApply).toBe(false);
		expect((await getProgramme(w.coordinator, w.network.id, w.programme.id)).canManage).toBe(true);
		await expect(getProgramme(w.citizen, w.network.id, w.programme.id)).rejects.toThrow(ForbiddenError);
		await expect(listProgrammes(VISITOR, w.network.id)).rejects.toThrow(ForbiddenError);
	});

	it('refuses a stale edit with the current version, raises the version and renames the calendar events', async () => {
		const w = await fundingWorld();
		// A form without its version (or a malformed one) would overwrite blindly: refused.
		for (const version of [undefined, '', 'x', '-1']) {
			try {
				await updateProgramme(w.coordinator, w.network.id, w.programme.id, programmeInput({ title: 'Ohne', ...(version === undefined ? {} : { version }) }));
				expect.unreachable();
			} catch (e) {
				expect((e as ValidationError).fieldErrors).toEqual({ _form: 'funding.versionMissing' });
				expect((e as ValidationError).values).toEqual({ version: '1' });
			}
		}
		const saved = await updateProgramme(w.coordinator, w.network.id, w.programme.id, programmeInput({ title: 'Neu', version: '1' }));
		expect(saved).toMatchObject({ title: 'Neu', version: 2 });
		expect((await windowsOf(w.programme.id)).map((x) => x.sequence)).toEqual([1, 1]);
		try {
			await updateProgramme(w.coordinator, w.network.id, w.programme.id, programmeInput({ title: 'Alt', version: '1' }));
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).fieldErrors).toEqual({ _form: 'funding.editedMeanwhile' });
			expect((e as ValidationError).values).toEqual({ version: '2' });
		}
		// A change that doesn't show in the calendar leaves the windows' sequence alone.
		await updateProgramme(w.coordinator, w.network.id, w.programme.id, programmeInput({ title: 'Neu', eligibleCosts: 'Sachkosten', version: '2' }));
		expect((await windowsOf(w.programme.id)).map((x) => x.sequence)).toEqual([1, 1]);
		const audit = await db().select().from(auditLog).where(and(eq(auditLog.recordId, w.programme.id), eq(auditLog.action, 'update'))).orderBy(auditLog.id);
		expect(audit).toHaveLength(2);
		expect(audit[0].after).toMatchObject({ title: 'Neu', version: 2 });
	});

	it('archives and restores; lists active ones by default and filter by text', async () => {
		const w = await fundingWorld();
		await createProgramme(w.coordinator, w.network.id, programmeInput({ title: 'Stadt und Land', funder: 'BMDV', measureNumber: '' }));
		const archived = await setProgrammeArchived(w.coordinator, w.network.id, w.programme.id, true);
		expect(archived.archivedAt).toBeInstanceOf(Date);
		expect((await listProgrammes(w.member, w.network.id)).items.map((p) => p.title)).toEqual(['Stadt und Land']);
		expect((await listProgrammes(w.member, w.network.id, { status: 'archived' })).items.map((p) => p.title)).toEqual([w.programme.title]);
		expect((await listProgrammes(w.member, w.network.id, { status: 'all' })).total).toBe(2);
		expect((await listProgrammes(w.member, w.network.id, { status: 'all', q: 'bmdv' })).items.map((p) => p.title)).toEqual(['Stadt und Land']);
		expect((await listProgrammes(w.member, w.network.id, { status: 'all', q: '4.1.8' })).items.map((p) => p.id)).toEqual([w.programme.id]);
		expect((await listProgrammes(w.member, w.network.id, { status: 'all', q: '%' })).total).toBe(0);
		// Archived programmes take no new applications, but stay readable.
		expect((await getProgramme(w.member, w.network.id, w.programme.id)).canApply).toBe(false);
		await setProgrammeArchived(w.coordinator, w.network.id, w.programme.id, false);
		expect((await listProgrammes(w.member, w.network.id)).total).toBe(2);
		expect(programmeFilterFromUrl(new URL('http://x/?stand=archiviert&q=%00abc'))).toEqual({ q: 'abc', status: 'archived' });
		expect(programmeFilterFromUrl(new URL('http://x/?stand=quatsch'))).toEqual({ q: undefined, status: 'active' });
	});

	it('pages, shows the next deadline and the active applications, and stays in its network', async () => {
		const w = await fundingWorld();
		for (let i = 0; i < 3; i++) await createProgramme(w.coordinator, w.network.id, programmeInput({ title: `Z-Programm ${i}` }));
		await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, { state: 'preparing' });
		await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, { state: 'rejected' });
		const p1 = await listProgrammes(w.member, w.network.id, { pageSize: 2, today: '2030-04-01' });
		expect(p1).toMatchObject({ total: 4, page: 1, pageSize: 2 });
		expect(p1.items[0]).toMatchObject({ id: w.programme.id, nextClosesOn: '2030-09-30', activeApplications: 1 });
		expect(p1.items[1].nextClosesOn).toBeNull();
		const p2 = await listProgrammes(w.member, w.network.id, { pageSize: 2, page: 2 });
		expect(p2.items.map((p) => p.title)).toEqual(['Z-Programm 1', 'Z-Programm 2']);

		const foreign = await fundingWorld();
		expect((await listProgrammes(foreign.coordinator, foreign.network.id)).items.map((p) => p.id)).toEqual([foreign.programme.id]);
		await expect(getProgramme(foreign.coordinator, w.network.id, w.programme.id)).rejects.toThrow(ForbiddenError);
		await expect(getProgramme(foreign.coordinator, foreign.network.id, w.programme.id)).rejects.toThrow(NotFoundError);
		await expect(updateProgramme(foreign.coordinator, foreign.network.id, w.programme.id, programmeInput())).rejects.toThrow(NotFoundError);
		await expect(getProgramme(w.member, w.network.id, 'not-a-uuid')).rejects.toThrow(NotFoundError);
	});
});

describe('windows', () => {
	it('refuses an end before the start, on add and edit, and changes nothing', async () => {
		const w = await fundingWorld();
		expect(await fieldErrors(addWindow(w.coordinator, w.network.id, w.programme.id, { opensOn: '2031-05-01', closesOn: '2031-04-30' }))).toEqual({
			closesOn: 'funding.window.endBeforeStart'
		});
		expect(await fieldErrors(addWindow(w.coordinator, w.network.id, w.programme.id, { opensOn: '', closesOn: '' }))).toEqual({ closesOn: 'funding.window.closesRequired' });
		expect(await fieldErrors(addWindow(w.coordinator, w.network.id, w.programme.id, { opensOn: '31.02.2031', closesOn: '2031-13-01' }))).toEqual({
			opensOn: 'dir.date',
			closesOn: 'dir.date'
		});
		expect(await fieldErrors(updateWindow(w.coordinator, w.network.id, w.programme.id, w.early.id, { opensOn: '2030-04-01', closesOn: '2030-03-31' }))).toEqual({
			closesOn: 'funding.window.endBeforeStart'
		});
		const windows = await windowsOf(w.programme.id);
		expect(windows.map((x) => [x.opensOn, x.closesOn, x.sequence])).toEqual([
			['2030-01-01', '2030-03-31', 0],
			[null, '2030-09-30', 0]
		]);
	});

	it('each edit raises the sequence; a stale sequence is refused', async () => {
		const w = await fundingWorld();
		const once = await updateWindow(w.coordinator, w.network.id, w.programme.id, w.early.id, { opensOn: '1.1.2030', closesOn: '15.04.2030', note: 'verlängert', sequence: '0' });
		expect(once).toMatchObject({ opensOn: '2030-01-01', closesOn: '2030-04-15', note: 'verlängert', sequence: 1 });
		// Without its sequence the form is refused, and nothing changes.
		try {
			await updateWindow(w.coordinator, w.network.id, w.programme.id, w.early.id, { opensOn: '', closesOn: '2030-06-30', note: 'verlängert' });
			expect.unreachable();
		} catch (e) {
			expect((e as ValidationError).fieldErrors).toEqual({ _form: 'funding.versionMissing' });
			expect((e as ValidationError).values).toEqual({ sequence: '1' });
		}
		const twice = await updateWindow(w.coordinator, w.network.id, w.programme.id, w.early.id, { opensOn: '', closesOn: '2030-04-15', note: 'verlängert', sequence: '1' });
		expect(twice.sequence).toBe(2);
		try {
			await updateWindow(w.coordinator, w.network.id, w.programme.id, w.early.id, { closesOn: '2030-05-01', sequence: '1' });
			expect.unreachable();
		} catch (e) {
			expect((e as ValidationError).fieldErrors).toEqual({ _form: 'funding.window.editedMeanwhile' });
			expect((e as ValidationError).values).toEqual({ sequence: '2' });
		}
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, w.early.id)).orderBy(auditLog.id);
		expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
	});

	it('a window must belong to the programme in the URL', async () => {
		const w = await fundingWorld();
		const second = await createProgramme(w.coordinator, w.network.id, programmeInput({ title: 'Zweites' }));
		await expect(updateWindow(w.coordinator, w.network.id, second.id, w.early.id, { closesOn: '2031-01-01' })).rejects.toThrow(NotFoundError);
		await expect(deleteWindow(w.coordinator, w.network.id, second.id, w.early.id)).rejects.toThrow(NotFoundError);
		await expect(deleteWindow(w.coordinator, w.network.id, w.programme.id, 'x')).rejects.toThrow(NotFoundError);
	});

	it('deleting a window leaves its applications undecided', async () => {
		const w = await fundingWorld();
		const a = await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, { windowId: w.early.id, state: 'preparing' });
		await deleteWindow(w.coordinator, w.network.id, w.programme.id, w.early.id);
		expect((await windowsOf(w.programme.id)).map((x) => x.id)).toEqual([w.late.id]);
		const [after] = await db().select().from(fundingApplications).where(eq(fundingApplications.id, a.id));
		expect(after.windowId).toBeNull();
		const [entry] = await db().select().from(auditLog).where(and(eq(auditLog.recordId, w.early.id), eq(auditLog.action, 'delete')));
		expect((entry.before as { applicationIds: string[] }).applicationIds).toEqual([a.id]);
	});

	it('the programme page lists windows (past ones marked) and the applications', async () => {
		const w = await fundingWorld();
		await makeApplication(w.otherMember, w.network.id, w.programme.id, w.other.id, { windowId: w.late.id, state: 'submitted', requestedEur: '25.000' });
		await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, { state: 'considering' });
		const d = await getProgramme(w.partner as Actor, w.network.id, w.programme.id, { today: '2030-05-01' });
		expect(d.windows.map((x) => [x.closesOn, x.past, x.applicants])).toEqual([
			['2030-03-31', true, 0],
			['2030-09-30', false, 1]
		]);
		expect(d.nextWindowId).toBe(w.late.id);
		expect(d.undecided).toBe(1);
		expect(d.applications.map((a) => [a.bodyName, a.state, a.windowClosesOn, a.requestedEur])).toEqual([
			['Halberstadt', 'submitted', '2030-09-30', 25000],
			['Wernigerode', 'considering', null, null]
		]);
	});
});
