import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTestDb } from '../testing/db';
import { db } from '../db/client';
import { auditLog } from '../db/schema';
import { createCalendarToken } from '../calendar/tokens';
import { deleteWindow, updateProgramme } from './programmes';
import { fundingAuditWords } from './audit-words';
import { fundingWorld, makeApplication, programmeInput } from './testing';

useTestDb();

async function entries(networkId: string) {
	return db().select().from(auditLog).where(eq(auditLog.networkId, networkId)).orderBy(auditLog.id);
}

describe('fundingAuditWords', () => {
	it('names programmes, windows, contacts and moved applications; states in words; no bookkeeping', async () => {
		const w = await fundingWorld();
		const a = await makeApplication(w.member, w.network.id, w.programme.id, w.town.id, {
			state: 'preparing',
			windowId: w.early.id,
			contactPersonId: w.contact.id,
			title: 'Erstvorhaben'
		});
		await updateProgramme(w.coordinator, w.network.id, w.programme.id, programmeInput({ title: 'Umbenannt', version: '1' }));
		await deleteWindow(w.coordinator, w.network.id, w.programme.id, w.early.id);
		await createCalendarToken(w.member, w.network.id);
		const log = await entries(w.network.id);
		const words = await fundingAuditWords(w.network.id, 'de', log);
		const of = (type: string, id: string, action: string) => log.find((e) => e.recordType === type && e.recordId === id && e.action === action)!;

		const created = words('funding_application', of('funding_application', a.id, 'create').after as Record<string, unknown>)!;
		expect(created).toMatchObject({ state: 'In Vorbereitung', programmeId: 'Umbenannt', contactPersonId: 'Klara Klimaschutz', title: 'Erstvorhaben' });
		// The window is gone by now: said in words, not as an id.
		expect(created.windowId).toBe('gelöschtes Antragsfenster');
		for (const k of ['version', 'createdBy', 'updatedBy']) expect(created).not.toHaveProperty(k);

		const deleted = words('funding_window', of('funding_window', w.early.id, 'delete').before as Record<string, unknown>)!;
		expect(deleted).toMatchObject({ programmeId: 'Umbenannt', closesOn: '2030-03-31', applicationIds: 'Wernigerode: Erstvorhaben' });
		expect(deleted).not.toHaveProperty('sequence');

		const renamed = of('funding_programme', w.programme.id, 'update');
		expect(words('funding_programme', renamed.after as Record<string, unknown>)).not.toHaveProperty('version');

		const [token] = log.filter((e) => e.recordType === 'calendar_token');
		expect(words('calendar_token', token.after as Record<string, unknown>)).toEqual({ revoked: false });

		// Other modules' entries pass unchanged; ids of another network are not looked up.
		const offer = { state: 'preparing', programmeId: w.programme.id };
		expect(words('offer', offer)).toBe(offer);
		const other = await fundingWorld();
		const foreignEntry = { programmeId: other.programme.id, windowId: null };
		const foreign = await fundingAuditWords(w.network.id, 'de', [{ recordType: 'funding_application', before: null, after: foreignEntry }]);
		expect(foreign('funding_application', foreignEntry)).toEqual({ programmeId: 'gelöschtes Förderprogramm', windowId: 'Frist noch offen' });
	});
});
