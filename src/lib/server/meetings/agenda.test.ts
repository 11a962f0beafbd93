import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { fieldErrors } from '../testing/errors';
import { db } from '../db/client';
import { agendaItems, people } from '../db/schema';
import { ForbiddenError, NotFoundError } from '../errors';
import { VISITOR } from '../auth/actor';
import { registerMeasureRecords } from '../measures/records';
import { createConcept } from '../measures/concepts';
import { makeMeasure } from '../measures/testing';
import { registerMeetingRecords } from './records';
import { recordType } from '../registry';
import {
	addAgendaItem,
	addFollowUpsToAgenda,
	agendaItemForm,
	deleteAgendaItem,
	getAgenda,
	getPublicAgenda,
	moveAgendaItem,
	updateAgendaItem
} from './agenda';
import { createFollowUp, updateFollowUp } from './follow-ups';
import { cancelMeetingAndNotify } from './invitations';
import { dayFromNow, makeMeeting, meetingWorld } from './testing';

useTestDb();
beforeAll(() => {
	registerMeasureRecords();
	registerMeetingRecords();
});

const item = (over: Record<string, string> = {}) => ({ title: 'Begrüßung', presenter: '', presenterText: '', durationMinutes: '', notes: '', refAddress: '', ...over });
/** The edit/delete forms' stamp of an item as stored now. */
const stampOf = async (id: string) => ({ itemStamp: (await db().select().from(agendaItems).where(eq(agendaItems.id, id)))[0].updatedAt.toISOString() });
/** An item's form as the edit page sends it: fields plus the current stamp. */
const edit = async (id: string, over: Record<string, string> = {}) => ({ ...item(over), ...(await stampOf(id)) });

describe('agenda', () => {
	it('adds items in order with presenters (person, body, free text), durations and notes', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const [person] = await db().insert(people).values({ networkId: w.network.id, name: 'Anna Beispiel', bodyId: w.town.id }).returning();
		await addAgendaItem(w.coordinator, w.network.id, m.id, item({ presenter: `person:${person.id}`, durationMinutes: '15' }));
		await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: 'Wärmeplanung', presenter: `body:${w.other.id}`, durationMinutes: '60', notes: 'Stand der Ausschreibung' }));
		await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: 'Förderung', presenterText: 'Energieagentur', durationMinutes: '45' }));
		const a = await getAgenda(w.partner, w.network.id, m.id);
		expect(a.items.map((i) => [i.position, i.title, i.presenter.kind, i.presenter.name ?? i.presenter.text])).toEqual([
			[0, 'Begrüßung', 'person', 'Anna Beispiel'],
			[1, 'Wärmeplanung', 'body', 'Osterwieck'],
			[2, 'Förderung', null, 'Energieagentur']
		]);
		expect(a).toMatchObject({ totalMinutes: 120, meetingMinutes: 240, overLength: false, canManage: false, canPropose: false });
		expect(a.items.every((i) => !i.canEdit)).toBe(true);
	});

	it('an agenda longer than the meeting is saved and flagged (a warning, not a block)', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id, { startTime: '10:00', endTime: '12:00' });
		await addAgendaItem(w.coordinator, w.network.id, m.id, item({ durationMinutes: '90' }));
		await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: 'Austausch', durationMinutes: '60' }));
		await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: 'Verschiedenes' }));
		const a = await getAgenda(w.coordinator, w.network.id, m.id);
		expect(a).toMatchObject({ totalMinutes: 150, meetingMinutes: 120, overLength: true, untimed: 1 });
		expect(a.items).toHaveLength(3);
	});

	it('moves items up and down and closes gaps on delete', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const ids: string[] = [];
		for (const t of ['A', 'B', 'C']) ids.push((await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: t }))).id);
		const titles = async () => (await getAgenda(w.coordinator, w.network.id, m.id)).items.map((i) => `${i.position}${i.title}`);
		await moveAgendaItem(w.coordinator, w.network.id, m.id, ids[2], 'up');
		expect(await titles()).toEqual(['0A', '1C', '2B']);
		await moveAgendaItem(w.coordinator, w.network.id, m.id, ids[0], 'up'); // already first
		expect(await titles()).toEqual(['0A', '1C', '2B']);
		await moveAgendaItem(w.coordinator, w.network.id, m.id, ids[0], 'down');
		expect(await titles()).toEqual(['0C', '1A', '2B']);
		await moveAgendaItem(w.coordinator, w.network.id, m.id, ids[1], 'down'); // already last
		expect(await titles()).toEqual(['0C', '1A', '2B']);
		await deleteAgendaItem(w.coordinator, w.network.id, m.id, ids[2], await stampOf(ids[2]));
		expect(await titles()).toEqual(['0A', '1B']);
		await expect(moveAgendaItem(w.member, w.network.id, m.id, ids[0], 'down')).rejects.toBeInstanceOf(ForbiddenError);
		// Removed meanwhile (or a forged id): a message beside the agenda, not an error page.
		expect(await fieldErrors(moveAgendaItem(w.coordinator, w.network.id, m.id, ids[2], 'up'))).toEqual({ _form: 'meetings.agenda.itemGone' });
		expect(await fieldErrors(moveAgendaItem(w.coordinator, w.network.id, m.id, 'x', 'down'))).toEqual({ _form: 'meetings.agenda.itemGone' });
	});

	it('members propose items (shown as theirs, editable by them and coordinators); partners may not', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const own = await addAgendaItem(w.member, w.network.id, m.id, item({ title: 'Vorschlag Halberstadt' }));
		expect(own.proposedBy).toBe(w.member.userId);
		const coord = await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: 'Bericht' }));
		expect(coord.proposedBy).toBeNull();
		const view = await getAgenda(w.member, w.network.id, m.id);
		expect(view.items.map((i) => [i.title, i.proposedBy?.userId ?? null, i.canEdit])).toEqual([
			['Vorschlag Halberstadt', w.member.userId, true],
			['Bericht', null, false]
		]);
		await updateAgendaItem(w.member, w.network.id, m.id, own.id, await edit(own.id, { title: 'Vorschlag, geändert' }));
		await expect(updateAgendaItem(w.otherMember, w.network.id, m.id, own.id, await edit(own.id))).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateAgendaItem(w.member, w.network.id, m.id, coord.id, await edit(coord.id))).rejects.toBeInstanceOf(ForbiddenError);
		await expect(deleteAgendaItem(w.member, w.network.id, m.id, coord.id, await stampOf(coord.id))).rejects.toBeInstanceOf(ForbiddenError);
		await expect(addAgendaItem(w.partner, w.network.id, m.id, item())).rejects.toBeInstanceOf(ForbiddenError);
		await expect(addAgendaItem(w.citizen, w.network.id, m.id, item())).rejects.toBeInstanceOf(NotFoundError);
		await updateAgendaItem(w.coordinator, w.network.id, m.id, own.id, await edit(own.id, { title: 'Vom Koordinator' }));
		expect((await agendaItemForm(w.member, w.network.id, m.id, own.id)).values.title).toBe('Vom Koordinator');
		await deleteAgendaItem(w.member, w.network.id, m.id, own.id, (await agendaItemForm(w.member, w.network.id, m.id, own.id)).values);
		expect((await getAgenda(w.member, w.network.id, m.id)).items.map((i) => i.title)).toEqual(['Bericht']);
		// No proposals to cancelled or past meetings.
		await cancelMeetingAndNotify(w.coordinator, w.network.id, m.id, { version: String(m.version) });
		expect(await fieldErrors(addAgendaItem(w.member, w.network.id, m.id, item()))).toEqual({ _form: 'meetings.isCancelled' });
		const past = await makeMeeting(w.coordinator, w.network.id, { date: dayFromNow(-5), status: 'held' });
		expect(await fieldErrors(addAgendaItem(w.member, w.network.id, past.id, item()))).toEqual({ _form: 'meetings.isPast' });
	});

	it('refuses bad input and changes nothing', async () => {
		const w = await meetingWorld();
		const other = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const count = async () => (await db().select().from(agendaItems).where(eq(agendaItems.meetingId, m.id))).length;
		expect(await fieldErrors(addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: '' })))).toMatchObject({ title: 'validation.required' });
		for (const d of ['0', '-5', '1441', '1,5', 'abc']) {
			expect(await fieldErrors(addAgendaItem(w.coordinator, w.network.id, m.id, item({ durationMinutes: d })))).toMatchObject({ durationMinutes: 'meetings.agenda.duration' });
		}
		for (const p of [`body:${other.town.id}`, 'person:nope', 'x:y', `person:${w.town.id}`]) {
			expect(await fieldErrors(addAgendaItem(w.coordinator, w.network.id, m.id, item({ presenter: p })))).toMatchObject({ presenter: 'meetings.agenda.presenterUnknown' });
		}
		expect(await fieldErrors(addAgendaItem(w.coordinator, w.network.id, m.id, item({ notes: 'x'.repeat(1_000_000) })))).toMatchObject({ notes: 'dir.tooLong5000' });
		// Every bad field at once, the pasted address included.
		expect(await fieldErrors(addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: '', refAddress: 'https://example.org/x' })))).toEqual({
			title: 'validation.required',
			refAddress: 'meetings.agenda.refUnknown'
		});
		expect(await count()).toBe(0);
		// Another network's meeting id is not found through this network.
		await expect(addAgendaItem(w.coordinator, other.network.id, m.id, item())).rejects.toBeInstanceOf(NotFoundError);
		const x = await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: '<script>alert(1)</script>' }));
		expect(x.title).toBe('<script>alert(1)</script>');
		const foreign = await makeMeeting(other.coordinator, other.network.id);
		await expect(updateAgendaItem(w.coordinator, w.network.id, foreign.id, x.id, await edit(x.id))).rejects.toBeInstanceOf(NotFoundError);
	});

	it('links any registered record by its pasted address (same network, visible), shown with type and title', async () => {
		const w = await meetingWorld();
		const other = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const concept = await createConcept(w.member, w.network.id, w.town.id, { title: 'Klimaschutzkonzept', kind: 'integrated' });
		const measure = await makeMeasure(w.member, w.network.id, concept.id, { code: 'E-1', title: 'PV auf dem Rathaus' });
		const it1 = await addAgendaItem(w.coordinator, w.network.id, m.id, item({ refAddress: `https://klimanetz.example/${w.network.slug}/intern/massnahmen/${measure.id}?x=1#a` }));
		expect(it1).toMatchObject({ refType: 'measure', refId: measure.id });
		const other2 = await makeMeeting(w.coordinator, w.network.id, { title: 'Vorgänger' });
		const it2 = await addAgendaItem(w.coordinator, w.network.id, m.id, item({ refAddress: `/${w.network.slug}/intern/treffen/${other2.id}` }));
		expect(it2).toMatchObject({ refType: 'meeting', refId: other2.id });
		const a = await getAgenda(w.member, w.network.id, m.id);
		expect(a.items[0].ref).toMatchObject({ type: 'measure', labelKey: 'record.measure', title: 'E-1 PV auf dem Rathaus', url: `/${w.network.slug}/intern/massnahmen/${measure.id}` });
		expect(a.items[1].ref).toMatchObject({ type: 'meeting', labelKey: 'record.meeting' });
		expect((await agendaItemForm(w.coordinator, w.network.id, m.id, it1.id)).values.refAddress).toBe(`/${w.network.slug}/intern/massnahmen/${measure.id}`);
		// Another network's record, an unknown address, something not an app address.
		const otherConcept = await createConcept(other.member, other.network.id, other.town.id, { title: 'Fremd', kind: 'integrated' });
		const foreign = await makeMeasure(other.member, other.network.id, otherConcept.id);
		for (const addr of [`/${other.network.slug}/intern/massnahmen/${foreign.id}`, `/${w.network.slug}/intern/massnahmen/00000000-0000-4000-8000-000000000000`, 'https://example.org/', 'javascript:alert(1)', 'http://[', '"><img src=x onerror=alert(1)>']) {
			expect(await fieldErrors(addAgendaItem(w.coordinator, w.network.id, m.id, item({ refAddress: addr })))).toMatchObject({ refAddress: 'meetings.agenda.refUnknown' });
		}
	});

	it('pulls open follow-ups into the agenda, once each; closed and foreign ones are refused', async () => {
		const w = await meetingWorld();
		const other = await meetingWorld();
		const prev = await makeMeeting(w.coordinator, w.network.id, { date: dayFromNow(-30), status: 'held' });
		const next = await makeMeeting(w.coordinator, w.network.id);
		const f1 = await createFollowUp(w.coordinator, w.network.id, { title: 'Solarkataster anfragen', ownerBodyId: w.town.id, dueOn: '', note: '' }, { meetingId: prev.id });
		const f2 = await createFollowUp(w.coordinator, w.network.id, { title: 'Förderantrag prüfen', ownerBodyId: '', dueOn: '', note: '' });
		const done = await createFollowUp(w.coordinator, w.network.id, { title: 'Erledigt', dueOn: '', note: '' });
		await updateFollowUp(w.coordinator, w.network.id, done.id, { title: 'Erledigt', state: 'done', dueOn: '', note: '', version: String(done.version) });
		const foreign = await createFollowUp(other.coordinator, other.network.id, { title: 'Fremd', dueOn: '', note: '' });

		expect(await fieldErrors(addFollowUpsToAgenda(w.coordinator, w.network.id, next.id, []))).toEqual({ followUpIds: 'meetings.agenda.pickFollowUp' });
		expect(await fieldErrors(addFollowUpsToAgenda(w.coordinator, w.network.id, next.id, [f1.id, done.id]))).toEqual({ followUpIds: 'meetings.agenda.followUpUnknown' });
		expect(await fieldErrors(addFollowUpsToAgenda(w.coordinator, w.network.id, next.id, [foreign.id]))).toEqual({ followUpIds: 'meetings.agenda.followUpUnknown' });
		expect(await fieldErrors(addFollowUpsToAgenda(w.coordinator, w.network.id, next.id, ['nope']))).toEqual({ followUpIds: 'meetings.agenda.followUpUnknown' });
		await expect(addFollowUpsToAgenda(w.member, w.network.id, next.id, [f1.id])).rejects.toBeInstanceOf(ForbiddenError);
		expect((await getAgenda(w.coordinator, w.network.id, next.id)).items).toEqual([]);

		const added = await addFollowUpsToAgenda(w.coordinator, w.network.id, next.id, [f1.id, f2.id]);
		expect(added.map((i) => [i.title, i.followUpId])).toHaveLength(2);
		const a = await getAgenda(w.coordinator, w.network.id, next.id);
		expect(a.items.map((i) => i.followUp?.title).sort()).toEqual(['Förderantrag prüfen', 'Solarkataster anfragen']);
		expect(a.items.find((i) => i.followUp?.id === f1.id)?.presenter).toMatchObject({ kind: 'body', name: 'Halberstadt' });
		expect(await fieldErrors(addFollowUpsToAgenda(w.coordinator, w.network.id, next.id, [f1.id]))).toEqual({ followUpIds: 'meetings.agenda.followUpThere' });
	});

	it('public agenda: titles and durations of public meetings only, without the items from the open follow-ups or members\' proposals', async () => {
		const w = await meetingWorld();
		const pub = await makeMeeting(w.coordinator, w.network.id, { isPublic: 'on' });
		const internal = await makeMeeting(w.coordinator, w.network.id);
		await addAgendaItem(w.coordinator, w.network.id, pub.id, item({ title: 'Öffentlich', notes: 'intern', presenterText: 'Frau X', durationMinutes: '30' }));
		const task = await createFollowUp(w.coordinator, w.network.id, { title: 'Haushaltssperre Halberstadt klären', ownerBodyId: w.town.id, dueOn: '', note: '' });
		await addFollowUpsToAgenda(w.coordinator, w.network.id, pub.id, [task.id]);
		await addAgendaItem(w.member, w.network.id, pub.id, item({ title: 'Unabgestimmter Vorschlag' }));
		expect((await getAgenda(w.coordinator, w.network.id, pub.id)).items).toHaveLength(3);
		expect(await getPublicAgenda(w.network.id, pub.id)).toEqual([{ title: 'Öffentlich', durationMinutes: 30 }]);
		await expect(getPublicAgenda(w.network.id, internal.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(getAgenda(VISITOR, w.network.id, pub.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('edit and delete are guarded by the item\'s stamp: a change made meanwhile is not overwritten unseen; a form without it is refused', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const it1 = await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: 'Wärmeplanung' }));
		const stale = await agendaItemForm(w.coordinator, w.network.id, m.id, it1.id);
		expect(stale.values.itemStamp).toBe(it1.updatedAt.toISOString());
		// Someone else saves first (from a form loaded at the same time).
		const other = await updateAgendaItem(w.coordinator, w.network.id, m.id, it1.id, { ...stale.values, title: 'Wärmeplanung (Koordination)' });
		expect(other.updatedAt.getTime()).toBeGreaterThan(it1.updatedAt.getTime());
		const err = await updateAgendaItem(w.coordinator, w.network.id, m.id, it1.id, { ...stale.values, title: 'Überschrieben' }).catch((e) => e);
		expect(err.fieldErrors).toEqual({ _form: 'meetings.agenda.editedMeanwhile' });
		expect(err.values).toEqual({ itemStamp: other.updatedAt.toISOString() });
		expect(await fieldErrors(deleteAgendaItem(w.coordinator, w.network.id, m.id, it1.id, stale.values))).toEqual({ _form: 'meetings.agenda.editedMeanwhile' });
		for (const itemStamp of [undefined, '', 'gestern', 'x'.repeat(1_000_000)]) {
			expect(await fieldErrors(updateAgendaItem(w.coordinator, w.network.id, m.id, it1.id, { ...item(), itemStamp }))).toEqual({ _form: 'meetings.agenda.stampMissing' });
			expect(await fieldErrors(deleteAgendaItem(w.coordinator, w.network.id, m.id, it1.id, { itemStamp }))).toEqual({ _form: 'meetings.agenda.stampMissing' });
		}
		expect((await getAgenda(w.coordinator, w.network.id, m.id)).items.map((i) => i.title)).toEqual(['Wärmeplanung (Koordination)']);
		// Sending again with the stamp the failure returned overwrites deliberately.
		const again = await updateAgendaItem(w.coordinator, w.network.id, m.id, it1.id, { ...stale.values, ...err.values, title: 'Überschrieben' });
		expect(again.title).toBe('Überschrieben');
		await deleteAgendaItem(w.coordinator, w.network.id, m.id, it1.id, { itemStamp: again.updatedAt.toISOString() });
		expect((await getAgenda(w.coordinator, w.network.id, m.id)).items).toEqual([]);
	});

	it('resolves each referenced record once, however often the agenda points at it', async () => {
		const w = await meetingWorld();
		const m = await makeMeeting(w.coordinator, w.network.id);
		const target = await makeMeeting(w.coordinator, w.network.id, { title: 'Vorgänger' });
		for (let i = 0; i < 3; i++) await addAgendaItem(w.coordinator, w.network.id, m.id, item({ title: `Rückblick ${i}`, refAddress: `/${w.network.slug}/intern/treffen/${target.id}` }));
		const def = recordType('meeting')!;
		const load = def.load;
		let calls = 0;
		def.load = async (id) => {
			calls++;
			return load(id);
		};
		try {
			const a = await getAgenda(w.member, w.network.id, m.id);
			expect(a.items.map((i) => i.ref?.title.startsWith('Vorgänger'))).toEqual([true, true, true]);
			expect(calls).toBe(1);
		} finally {
			def.load = load;
		}
	});
});
