import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { auditLog, fundingApplications, partners, people, recordLinks } from '../db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { VISITOR } from '../auth/actor';
import { linkByAddress, listLinks } from '../links/service';
import { registerMeasureRecords } from '../measures/records';
import { addField, createConcept } from '../measures/concepts';
import { createMeasure } from '../measures/measures';
import { makeNetwork } from '../testing/factories';
import {
	applicationFilterFromUrl,
	applicationFormOptions,
	applicationFormValues,
	createApplication,
	deleteApplication,
	exportApplications,
	getApplication,
	listApplications,
	updateApplication
} from './applications';
import { CONTACT_OPTIONS_MAX, createProgramme, setProgrammeArchived, addWindow } from './programmes';
import { registerFundingRecords } from './records';
import { applicationInput, fundingWorld, makeApplication, programmeInput } from './testing';

useTestDb();
registerMeasureRecords();
registerFundingRecords();

async function count(networkId: string) {
	return (await db().select().from(fundingApplications).where(eq(fundingApplications.networkId, networkId))).length;
}

describe('recording applications', () => {
	it('a member records one for their own town, with grouped amounts and the contact', async () => {
		const w = await fundingWorld();
		const a = await createApplication(
			w.member,
			w.network.id,
			applicationInput(w.programme.id, w.town.id, {
				title: 'Erstvorhaben',
				state: 'approved',
				windowId: w.early.id,
				requestedEur: '125.000',
				grantedEur: '98.500,50',
				submittedOn: '15.01.2030',
				decidedOn: '2030-03-01',
				contactPersonId: w.contact.id,
				note: '<script>alert(1)</script>'
			})
		);
		expect(a).toMatchObject({
			bodyId: w.town.id,
			programmeId: w.programme.id,
			state: 'approved',
			windowId: w.early.id,
			requestedEur: 125000,
			grantedEur: 98500.5,
			submittedOn: '2030-01-15',
			decidedOn: '2030-03-01',
			contactPersonId: w.contact.id,
			note: '<script>alert(1)</script>',
			version: 1
		});
		const d = await getApplication(w.partner, w.network.id, a.id);
		expect(d).toMatchObject({ canEdit: false, body: { name: 'Wernigerode' }, programme: { title: w.programme.title }, window: { closesOn: '2030-03-31' }, contactPerson: { name: 'Klara Klimaschutz' } });
		expect((await getApplication(w.member, w.network.id, a.id)).canEdit).toBe(true);
		const audit = await db().select().from(auditLog).where(eq(auditLog.recordId, a.id));
		expect(audit.map((x) => [x.action, x.recordType])).toEqual([['create', 'funding_application']]);
	});

	it('members of another town, partners, citizens and visitors may not; coordinators may for any town', async () => {
		const w = await fundingWorld();
		for (const a of [w.otherMember, w.partner]) {
			await expect(makeApplication(a, w.network.id, w.programme.id, w.town.id)).rejects.toThrow(ForbiddenError);
		}
		for (const a of [w.citizen, VISITOR]) {
			await expect(makeApplication(a, w.network.id, w.programme.id, w.town.id)).rejects.toThrow(ForbiddenError);
		}
		expect(await count(w.network.id)).toBe(0);
		const byCoordinator = await makeApplication(w.coordinator, w.network.id, w.programme.id, w.other.id);
		await expect(updateApplication(w.member, w.network.id, byCoordinator.id, applicationInput(w.programme.id, w.other.id))).rejects.toThrow(ForbiddenError);
		await expect(updateApplication(w.partner, w.network.id, byCoordinator.id, applicationInput(w.programme.id, w.other.id))).rejects.toThrow(ForbiddenError);
		await expect(deleteApplication(w.member, w.network.id, byCoordinator.id)).rejects.toThrow(ForbiddenError);
		await expect(applicationFormValues(w.partner, w.network.id, byCoordinator.id)).rejects.toThrow(ForbiddenError);
		const edited = await updateApplication(w.otherMember, w.network.id, byCoordinator.id, applicationInput(w.programme.id, w.other.id, { state: 'preparing', version: '1' }));
		expect(edited.state).toBe('preparing');
		// The form offers only the bodies one may apply for.
		expect((await applicationFormOptions(w.member, w.network.id, w.programme.id)).bodies.map((b) => b.name)).toEqual(['Wernigerode']);
		expect((await applicationFormOptions(w.coordinator, w.network.id, w.programme.id)).bodies.map((b) => b.name)).toEqual(['Halberstadt', 'Wernigerode']);
		expect((await applicationFormOptions(w.partner, w.network.id, w.programme.id)).bodies).toEqual([]);
	});

	it('refuses negative amounts, a decision before the submission, a grant without approval, another programme’s window', async () => {
		const w = await fundingWorld();
		const second = await createProgramme(w.coordinator, w.network.id, programmeInput({ title: 'Zweites Programm' }));
		const foreignWindow = await addWindow(w.coordinator, w.network.id, second.id, { closesOn: '2031-01-01' });
		const input = (over: Record<string, string>) => applicationInput(w.programme.id, w.town.id, over);
		expect(await fieldErrors(createApplication(w.member, w.network.id, input({ requestedEur: '-5', grantedEur: '-0,5', state: 'approved' })))).toEqual({
			requestedEur: 'funding.application.amount',
			grantedEur: 'funding.application.amount'
		});
		expect(await fieldErrors(createApplication(w.member, w.network.id, input({ submittedOn: '2030-03-01', decidedOn: '2030-02-28' })))).toEqual({
			decidedOn: 'funding.application.decidedBeforeSubmitted'
		});
		expect(await fieldErrors(createApplication(w.member, w.network.id, input({ state: 'submitted', grantedEur: '1.000' })))).toEqual({
			grantedEur: 'funding.application.grantedOnlyApproved'
		});
		expect(await fieldErrors(createApplication(w.member, w.network.id, input({ windowId: foreignWindow.id })))).toEqual({ windowId: 'funding.application.windowOther' });
		expect(await fieldErrors(createApplication(w.member, w.network.id, input({ windowId: 'kaputt', state: 'erfunden', requestedEur: '1e9' })))).toEqual({
			windowId: 'funding.application.windowOther',
			state: 'validation.choice',
			requestedEur: 'funding.application.amount'
		});
		expect(await fieldErrors(createApplication(w.member, w.network.id, input({ title: 'x'.repeat(1_000_000), note: 'n'.repeat(5001) })))).toEqual({
			title: 'dir.tooLong200',
			note: 'dir.tooLong5000'
		});
		// A person of another network is not a contact here.
		const foreign = await makeNetwork();
		const [stranger] = await db().insert(people).values({ networkId: foreign.id, name: 'Fremd' }).returning();
		expect(await fieldErrors(createApplication(w.member, w.network.id, input({ contactPersonId: stranger.id })))).toEqual({
			contactPersonId: 'funding.application.personUnknown'
		});
		expect(await fieldErrors(createApplication(w.member, w.network.id, { ...input({}), programmeId: 'x', bodyId: '' }))).toEqual({
			programmeId: 'funding.application.programmeUnknown',
			bodyId: 'validation.required'
		});
		expect(await count(w.network.id)).toBe(0);

		// The same rules on update; the stored application stays.
		const a = await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, { requestedEur: '10' });
		expect(await fieldErrors(updateApplication(w.member, w.network.id, a.id, input({ requestedEur: '-1' })))).toEqual({ requestedEur: 'funding.application.amount' });
		expect(await fieldErrors(updateApplication(w.member, w.network.id, a.id, input({ windowId: foreignWindow.id, version: '1' })))).toEqual({ windowId: 'funding.application.windowOther' });
		const [stored] = await db().select().from(fundingApplications).where(eq(fundingApplications.id, a.id));
		expect(stored).toMatchObject({ requestedEur: 10, windowId: null, version: 1 });
	});

	it('refuses archived programmes and bodies or programmes of other networks', async () => {
		const w = await fundingWorld();
		const foreign = await fundingWorld();
		expect(await fieldErrors(makeApplication(w.coordinator, w.network.id, foreign.programme.id, w.town.id))).toEqual({ programmeId: 'funding.application.programmeUnknown' });
		expect(await fieldErrors(makeApplication(w.coordinator, w.network.id, w.programme.id, foreign.town.id))).toEqual({ bodyId: 'funding.application.bodyUnknown' });
		expect(await fieldErrors(makeApplication(w.member, w.network.id, w.programme.id, foreign.town.id))).toEqual({ bodyId: 'funding.application.bodyUnknown' });
		await setProgrammeArchived(w.coordinator, w.network.id, w.programme.id, true);
		expect(await fieldErrors(makeApplication(w.member, w.network.id, w.programme.id, w.town.id))).toEqual({ programmeId: 'funding.application.programmeArchived' });
		expect(await count(w.network.id)).toBe(0);
		await expect(getApplication(foreign.coordinator, w.network.id, foreign.programme.id)).rejects.toThrow(ForbiddenError);
		await expect(getApplication(w.coordinator, w.network.id, 'kein-uuid')).rejects.toThrow(NotFoundError);
	});

	it('offers as contacts the people of the town(s), the coordination and the current contact, by name', async () => {
		const w = await fundingWorld();
		const person = async (name: string, over: Partial<typeof people.$inferInsert> = {}) =>
			(await db().insert(people).values({ networkId: w.network.id, name, ...over }).returning())[0];
		await person('Otto Halberstadt', { bodyId: w.other.id });
		await person('Anna Geschäftsstelle');
		await person('Carla Koordination', { userId: w.coordinator.userId });
		const partnerOrg = (await db().insert(partners).values({ networkId: w.network.id, name: 'Energieagentur' }).returning())[0];
		const partnerPerson = await person('Paul Partner', { partnerId: partnerOrg.id });
		const names = (list: { name: string }[]) => list.map((p) => p.name);
		// A member: their town's people and the coordination, not the other town's or a partner's.
		expect(names((await applicationFormOptions(w.member, w.network.id, w.programme.id)).people)).toEqual([
			'Anna Geschäftsstelle',
			'Carla Koordination',
			'Klara Klimaschutz'
		]);
		// A coordinator recording for any town: every town's people and the coordination.
		expect(names((await applicationFormOptions(w.coordinator, w.network.id, w.programme.id)).people)).toEqual([
			'Anna Geschäftsstelle',
			'Carla Koordination',
			'Klara Klimaschutz',
			'Otto Halberstadt'
		]);
		// Editing: the application's town only, plus the current contact whoever it is.
		const a = await makeApplication(w.coordinator, w.network.id, w.programme.id, w.town.id, { contactPersonId: partnerPerson.id });
		expect(names((await applicationFormValues(w.coordinator, w.network.id, a.id)).people)).toEqual([
			'Anna Geschäftsstelle',
			'Carla Koordination',
			'Klara Klimaschutz',
			'Paul Partner'
		]);
		// Capped: a town with many people doesn't put thousands into the select.
		await db()
			.insert(people)
			.values(Array.from({ length: CONTACT_OPTIONS_MAX + 20 }, (_, i) => ({ networkId: w.network.id, bodyId: w.town.id, name: `Z ${String(i).padStart(4, '0')}` })));
		const capped = (await applicationFormValues(w.coordinator, w.network.id, a.id)).people;
		expect(capped).toHaveLength(CONTACT_OPTIONS_MAX + 1);
		expect(capped.some((p) => p.id === partnerPerson.id)).toBe(true);
		expect(names(capped)).toEqual([...names(capped)].sort((x, y) => x.localeCompare(y, 'de')));
	});

	it('refuses a stale edit and keeps the current version for the form', async () => {
		const w = await fundingWorld();
		const a = await makeApplication(w.member, w.network.id, w.programme.id, w.town.id);
		const form = await applicationFormValues(w.member, w.network.id, a.id);
		expect(form.values).toMatchObject({ state: 'considering', version: '1', windowId: '' });
		expect(form.windows.map((x) => x.closesOn)).toEqual(['2030-03-31', '2030-09-30']);
		// Without its version the form is refused (it would overwrite blindly); nothing changes.
		for (const version of [undefined, '', '1,0']) {
			try {
				await updateApplication(w.member, w.network.id, a.id, applicationInput(w.programme.id, w.town.id, { state: 'submitted', ...(version === undefined ? {} : { version }) }));
				expect.unreachable();
			} catch (e) {
				expect((e as ValidationError).fieldErrors).toEqual({ _form: 'funding.versionMissing' });
				expect((e as ValidationError).values).toEqual({ version: '1' });
			}
		}
		await updateApplication(w.coordinator, w.network.id, a.id, applicationInput(w.programme.id, w.town.id, { state: 'preparing', version: '1' }));
		try {
			await updateApplication(w.member, w.network.id, a.id, applicationInput(w.programme.id, w.town.id, { state: 'withdrawn', version: '1' }));
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).fieldErrors).toEqual({ _form: 'funding.editedMeanwhile' });
			expect((e as ValidationError).values).toEqual({ version: '2' });
		}
		const saved = await updateApplication(w.member, w.network.id, a.id, applicationInput(w.programme.id, w.town.id, { state: 'withdrawn', version: '2' }));
		expect(saved).toMatchObject({ state: 'withdrawn', version: 3 });
		const updates = await db().select().from(auditLog).where(eq(auditLog.recordId, a.id)).orderBy(auditLog.id);
		expect(updates.map((x) => x.action)).toEqual(['create', 'update', 'update']);
	});
});

describe('the list and its export', () => {
	async function listWorld() {
		const w = await fundingWorld();
		const second = await createProgramme(w.coordinator, w.network.id, programmeInput({ title: 'Radverkehr' }));
		const a1 = await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, { state: 'preparing', requestedEur: '25.000', title: '=HYPERLINK("http://evil")' });
		const a2 = await makeApplication(w.otherMember, w.network.id, w.programme.id, w.other.id, { state: 'approved', grantedEur: '1.234,5', submittedOn: '2030-01-02', decidedOn: '2030-02-03' });
		const a3 = await makeApplication(w.otherMember, w.network.id, second.id, w.other.id, { state: 'preparing' });
		return { ...w, second, a1, a2, a3 };
	}

	it('filters by state, programme and town, and pages', async () => {
		const w = await listWorld();
		const all = await listApplications(w.partner, w.network.id);
		expect(all.items.map((a) => a.id)).toEqual([w.a2.id, w.a3.id, w.a1.id]);
		expect((await listApplications(w.partner, w.network.id, { state: 'preparing' })).items.map((a) => a.id)).toEqual([w.a3.id, w.a1.id]);
		expect((await listApplications(w.partner, w.network.id, { programmeId: w.second.id })).items.map((a) => a.id)).toEqual([w.a3.id]);
		expect((await listApplications(w.partner, w.network.id, { ags: w.town.ags })).items.map((a) => a.id)).toEqual([w.a1.id]);
		const page2 = await listApplications(w.partner, w.network.id, { pageSize: 2, page: 2 });
		expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2 });
		expect(page2.items.map((a) => a.id)).toEqual([w.a1.id]);
		const foreign = await fundingWorld();
		expect((await listApplications(foreign.coordinator, foreign.network.id)).total).toBe(0);
		await expect(listApplications(foreign.coordinator, w.network.id)).rejects.toThrow(ForbiddenError);
		await expect(listApplications(w.citizen, w.network.id)).rejects.toThrow(ForbiddenError);
		expect(applicationFilterFromUrl(new URL(`http://x/?stand=approved&programm=${w.second.id}&kommune=${w.town.ags}`))).toEqual({
			state: 'approved',
			programmeId: w.second.id,
			ags: w.town.ags
		});
		expect(applicationFilterFromUrl(new URL('http://x/?stand=<script>&programm=1%27&kommune=abc'))).toEqual({ state: undefined, programmeId: undefined, ags: undefined });
	});

	it('exports the filtered list as CSV (formulas defused) and .xlsx', async () => {
		const w = await listWorld();
		const csv = new TextDecoder().decode(await exportApplications(w.partner, w.network.id, { state: 'preparing' }, 'csv'));
		const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
		expect(lines[0]).toBe('ID;Kommune;AGS;Programm;Förderschwerpunkt;Titel;Stand;Frist;Beantragt (EUR);Bewilligt (EUR);Eingereicht am;Entschieden am;Ansprechperson;Anmerkung');
		expect(lines).toHaveLength(3);
		expect(lines[2]).toContain(';"\'=HYPERLINK(""http://evil"")";');
		expect(lines[2]).toContain(';In Vorbereitung;;25000;;');

		const bytes = await exportApplications(w.coordinator, w.network.id, {}, 'xlsx');
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
		const ws = wb.worksheets[0];
		expect(ws.name).toBe('Förderanträge');
		expect(ws.rowCount).toBe(4);
		const row = ws.getRow(2).values as unknown[];
		expect(row[2]).toBe('Halberstadt');
		expect(row[7]).toBe('Bewilligt');
		expect(row[10]).toBe(1234.5);
		expect((row[11] as Date).toISOString().slice(0, 10)).toBe('2030-01-02');
		// Strings stay strings, never formulas.
		expect(ws.getRow(4).getCell(6).value).toBe('=HYPERLINK("http://evil")');
		await expect(exportApplications(w.citizen, w.network.id, {}, 'csv')).rejects.toThrow(ForbiddenError);
	});
});

describe('links to measures', () => {
	it('links an application and a measure by pasted address, both ways, shown on both sides', async () => {
		const w = await fundingWorld();
		const concept = await createConcept(w.member, w.network.id, w.town.id, { title: 'Konzept', kind: 'integrated' });
		const field = await addField(w.member, w.network.id, concept.id, { name: 'Energie', theme: 'energy', color: '#225588' });
		const measure = await createMeasure(w.member, w.network.id, concept.id, { code: 'W-1', title: 'LED', status: 'planned', priority: 'medium', progress: '0', fieldId: field.id });
		const a = await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, { title: 'LED-Antrag' });
		const slug = w.network.slug;
		await linkByAddress(w.member, { type: 'funding_application', id: a.id }, `https://klimanetz.example/${slug}/intern/massnahmen/${measure.id}`, 'Förderantrag');
		const fromApplication = await listLinks(w.partner, { type: 'funding_application', id: a.id });
		expect(fromApplication.map((l) => [l.other.type, l.other.title, l.other.labelKey, l.note])).toEqual([['measure', 'W-1 LED', 'record.measure', 'Förderantrag']]);
		const fromMeasure = await listLinks(w.partner, { type: 'measure', id: measure.id });
		expect(fromMeasure.map((l) => [l.other.type, l.other.title, l.other.url])).toEqual([
			['funding_application', 'Wernigerode: LED-Antrag', `/${slug}/intern/foerderung/antraege/${a.id}`]
		]);
		// And the other way round: from the measure to the programme and (again) to the application.
		await linkByAddress(w.member, { type: 'measure', id: measure.id }, `/${slug}/intern/foerderung/${w.programme.id}`);
		await linkByAddress(w.member, { type: 'measure', id: measure.id }, `/${slug}/intern/foerderung/antraege/${a.id}/`);
		expect((await listLinks(w.member, { type: 'measure', id: measure.id })).map((l) => l.other.type)).toEqual(['funding_application', 'funding_programme']);
		// A partner may not link (read-only), another town's member may not link this town's application.
		await expect(linkByAddress(w.partner, { type: 'funding_application', id: a.id }, `/${slug}/intern/massnahmen/${measure.id}`)).rejects.toThrow(ForbiddenError);
		await expect(linkByAddress(w.otherMember, { type: 'funding_application', id: a.id }, `/${slug}/intern/massnahmen/${measure.id}`)).rejects.toThrow(ForbiddenError);
		// Deleting the application removes its links.
		await deleteApplication(w.member, w.network.id, a.id);
		expect(await db().select().from(recordLinks).where(eq(recordLinks.fromId, a.id))).toEqual([]);
		expect((await listLinks(w.member, { type: 'measure', id: measure.id })).map((l) => l.other.type)).toEqual(['funding_programme']);
	});
});
