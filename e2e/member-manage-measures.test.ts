// A member of a town without a concept (Thale with JavaScript, Oberharz am Brocken without, so the
// two projects can run side by side) builds the town's plan from scratch: concept, fields of
// action, a measure, a constraint conflict (monument protection), a status update and a task; then
// exports the town's list as .xlsx, edits it with exceljs, re-imports it (preview, apply) and sees
// the new values and an "Aus Tabelle eingelesen" entry; a broken file is refused in German and
// changes nothing. Every bad submit comes first, with the errors beside the fields and the input
// kept. Names are unique per run: both projects share one database.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount, expectErrorSummaryLinks, expectFieldError, formPostHeaders, THALE, uniqueId } from './support/flows';

const OBERHARZ = { ags: '15085228', name: 'Oberharz am Brocken' };

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const REQUIRED = 'Bitte füllen Sie dieses Feld aus.';

/** The accordion whose summary contains `summary`, opened (a click on the summary works without JavaScript too). */
async function openDetails(scope: Page | Locator, summary: string | RegExp): Promise<Locator> {
	const page = 'page' in scope ? scope.page() : scope;
	const details = scope.locator('details').filter({ has: page.locator('summary', { hasText: summary }) });
	await expect(details).toHaveCount(1);
	if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await details.locator('summary').click();
	await expect(details).toHaveJSProperty('open', true);
	return details;
}

/** Clicks a submit button and waits for the POST (and, without JavaScript, the page it answers with). */
async function submit(page: Page, button: Locator): Promise<void> {
	const posted = page.waitForResponse((r) => r.request().method() === 'POST');
	await button.click();
	await posted;
	await page.waitForLoadState('load');
}

test.describe('Mitglied erfasst Maßnahmen', () => {
	test('legt Konzept und Maßnahme an, prüft Belange, meldet den Stand, exportiert und liest die Tabelle wieder ein', async ({
		page,
		browser,
		mails,
		expectAccessible
	}, testInfo) => {
		test.slow();
		const TOWN = testInfo.project.name === 'nojs' ? OBERHARZ : THALE;
		const id = uniqueId();
		const conceptTitle = `Klimaschutzkonzept ${TOWN.name} ${id}`;
		const fieldA = `Erneuerbare Energien ${id}`;
		const fieldB = `Gebäude ${id}`;
		const code = `T-1.${Date.now() % 100000}`;
		const title = `Photovoltaik auf dem Rathaus ${TOWN.name} ${id}`;
		const newTitle = `Photovoltaik auf Rathaus und Bauhof ${TOWN.name} ${id}`;
		const conflictNote = `Das Rathaus steht unter Denkmalschutz; die Denkmalbehörde lehnt sichtbare Module ab (${id}).`;
		const updateText = `Auftrag an das Planungsbüro vergeben (${id}).`;
		const taskTitle = `Statik des Dachs prüfen lassen ${id}`;

		const member = await createHarzAccount(page, browser, mails, { prefix: 'massnahmen', role: 'member', bodies: [TOWN.name] });
		const p = member.page;
		let conceptPath = '';
		let measurePath = '';
		let measureId = '';

		await test.step('concept: bad submit keeps the input, then the concept is created', async () => {
			await p.goto('/harz/intern/konzepte');
			await expect(p.getByRole('heading', { level: 1 })).toHaveText('Konzepte');
			await expectAccessible(p);
			await p.getByRole('link', { name: 'Neues Konzept' }).click();
			await expect(p).toHaveURL(/\/harz\/intern\/konzepte\/neu$/);
			await p.goto(`/harz/intern/konzepte/neu?kommune=${TOWN.ags}`);
			await expect(p.getByRole('heading', { level: 1 })).toHaveText('Neues Konzept');
			await expect(p.locator('#f-bodyId option:checked')).toHaveText(TOWN.name);
			await expectAccessible(p);

			const form = p.locator('form').filter({ has: p.locator('#f-title') });
			await form.locator('#f-title').fill('');
			await form.locator('#f-targetYear').fill('1999');
			await form.locator('#f-resolution').fill('Stadtrat, Beschluss-Nr. 2026/42');
			await submit(p, form.getByRole('button', { name: 'Konzept anlegen' }));
			await expectFieldError(p, 'f-title', REQUIRED);
			await expectFieldError(p, 'f-targetYear', 'Bitte geben Sie ein Jahr zwischen 2020 und 2100 ein.');
			await expectErrorSummaryLinks(p);
			await expect(form.locator('#f-targetYear')).toHaveValue('1999');
			await expect(form.locator('#f-resolution')).toHaveValue('Stadtrat, Beschluss-Nr. 2026/42');
			await expectAccessible(p);

			await form.locator('#f-title').fill(conceptTitle);
			await form.locator('#f-targetYear').fill('2045');
			await form.getByRole('button', { name: 'Konzept anlegen' }).click();
			await expect(p).toHaveURL(/\/harz\/intern\/konzepte\/[0-9a-f-]{36}\?ok=created$/);
			conceptPath = new URL(p.url()).pathname;
			await expect(p.getByRole('heading', { level: 1 })).toHaveText(conceptTitle);
			await expect(p.getByText('Das Konzept wurde angelegt. Legen Sie jetzt die Handlungsfelder an.')).toBeVisible();
			await expect(p.getByRole('main')).toContainText('Stadtrat, Beschluss-Nr. 2026/42');
			await expect(p.getByRole('main')).toContainText('2045');
			await expectAccessible(p);
		});

		await test.step('two fields of action, the second moved up', async () => {
			const fields = p.locator('#handlungsfelder');
			for (const [name, theme] of [
				[fieldA, 'energy'],
				[fieldB, 'buildings']
			] as const) {
				await p.goto(conceptPath);
				const details = await openDetails(fields, 'Handlungsfeld hinzufügen');
				const form = details.locator('form[action="?/addField"]');
				await form.locator('#fn-name').fill(name);
				await form.locator('#fn-theme').selectOption(theme);
				await form.locator('button[type=submit]').click();
				await expect(p).toHaveURL(/\?ok=fieldSaved(#handlungsfelder)?$/);
				await expect(p.getByText('Gespeichert.')).toBeVisible();
				await expect(fields.locator('ol > li').filter({ hasText: name })).toHaveCount(1);
				await expectAccessible(p);
			}
			await expect(fields.locator('ol > li').first()).toContainText(fieldA);
			await p.goto(conceptPath);
			await fields.getByRole('button', { name: `${fieldB} nach oben` }).click();
			await expect(p).toHaveURL(/\?ok=fieldSaved(#handlungsfelder)?$/);
			await expect(fields.locator('ol > li').first()).toContainText(fieldB);
			await expect(fields.locator('ol > li').nth(1)).toContainText(fieldA);
			await expectAccessible(p);
		});

		await test.step('measure: three errors beside their fields, input kept; then created', async () => {
			await p.goto(conceptPath);
			await p.getByRole('link', { name: 'Neue Maßnahme in diesem Konzept' }).click();
			await expect(p).toHaveURL(/\/massnahmen\/neu$/);
			await expect(p.getByRole('heading', { level: 1 })).toHaveText(`Neue Maßnahme im Konzept „${conceptTitle}“`);
			await expectAccessible(p);

			const form = p.locator('form').filter({ has: p.locator('#f-code') });
			await form.locator('#f-code').fill(code);
			await form.locator('#f-title').fill(title);
			await form.locator('#f-fieldId').selectOption({ label: fieldA });
			await form.locator('#f-description').fill('Prüfung der Dachflächen und Bau einer Anlage mit Speicher.');
			await form.locator('#f-status').selectOption({ label: 'Verworfen' });
			await form.locator('#f-progress').fill('150');
			await form.locator('#f-plannedStart').fill('2027-06-01');
			await form.locator('#f-plannedEnd').fill('2027-01-31');
			await form.locator('#f-costEstimate').fill('25.000');
			await submit(p, form.getByRole('button', { name: 'Maßnahme anlegen' }));
			await expectFieldError(p, 'f-progress', 'Bitte geben Sie eine ganze Zahl von 0 bis 100 ein.');
			await expectFieldError(p, 'f-plannedEnd', 'Das Ende liegt vor dem Beginn. Bitte prüfen Sie die Daten.');
			await expectFieldError(p, 'f-statusReason', 'Bitte begründen Sie, warum die Maßnahme zurückgestellt oder verworfen wird.');
			await expectErrorSummaryLinks(p);
			await expect(form.locator('#f-code')).toHaveValue(code);
			await expect(form.locator('#f-title')).toHaveValue(title);
			await expect(form.locator('#f-fieldId option:checked')).toHaveText(fieldA);
			await expect(form.locator('#f-status option:checked')).toHaveText('Verworfen');
			await expect(form.locator('#f-progress')).toHaveValue('150');
			await expect(form.locator('#f-plannedStart')).toHaveValue('2027-06-01');
			await expect(form.locator('#f-plannedEnd')).toHaveValue('2027-01-31');
			await expect(form.locator('#f-costEstimate')).toHaveValue('25.000');
			await expectAccessible(p);

			await form.locator('#f-status').selectOption({ label: 'Geplant' });
			await form.locator('#f-progress').fill('10');
			await form.locator('#f-plannedEnd').fill('2028-12-31');
			await form.getByRole('button', { name: 'Maßnahme anlegen' }).click();
			await expect(p).toHaveURL(/\/harz\/intern\/massnahmen\/[0-9a-f-]{36}\?ok=created$/);
			measurePath = new URL(p.url()).pathname;
			measureId = measurePath.split('/').pop()!;
			await expect(p.getByRole('heading', { level: 1 })).toHaveText(title);
			await expect(p.getByText('Die Maßnahme wurde angelegt.')).toBeVisible();
			const header = p.getByRole('main').locator('header');
			await expect(header).toContainText(code);
			await expect(header).toContainText('Geplant');
			await expect(header).toContainText('10 %');
			await expect(p.locator('#steckbrief')).toContainText('25.000 €');
			await expect(p.locator('#verlauf')).toContainText('Maßnahme angelegt');
			await expectAccessible(p);
		});

		await test.step("the measure in its concept and in the town's view", async () => {
			await p.goto(conceptPath);
			const inConcept = p.locator('section').filter({ has: p.getByRole('heading', { name: 'Maßnahmen in diesem Konzept' }) }).getByRole('table', { name: 'Maßnahmen' });
			await expect(inConcept.getByRole('row').filter({ hasText: code })).toContainText(title);
			await expectAccessible(p);
			// A field that has a measure cannot be deleted (the server refuses, whatever the page offers).
			const fieldAItem = p.locator('#handlungsfelder ol > li').filter({ hasText: fieldA });
			const fieldAId = await fieldAItem.locator('input[name="fieldId"]').first().getAttribute('value');
			expect(fieldAId).toMatch(/^[0-9a-f-]{36}$/);
			const refused = await p.request.post(`${conceptPath}?/deleteField`, { headers: formPostHeaders(), form: { fieldId: fieldAId! }, maxRedirects: 0 });
			expect(refused.status(), 'deleting a field that has a measure').toBe(400);
			expect(await refused.text()).toContain('Maßnahmen gehören noch zu diesem Handlungsfeld. Ordnen Sie sie zuerst einem anderen zu.');
			await p.goto(conceptPath);
			await expect(fieldAItem).toHaveCount(1);

			await p.goto(`/harz/intern/kommunen/${TOWN.ags}/massnahmen`);
			await expect(p.getByRole('heading', { level: 1 })).toHaveText(`Maßnahmen von ${TOWN.name}`);
			const concepts = p.locator('section').filter({ has: p.getByRole('heading', { level: 2, name: 'Konzepte' }) });
			await expect(concepts.getByRole('listitem').filter({ hasText: conceptTitle })).toContainText('Maßnahmen: 1');
			await expectAccessible(p);
			await p.goto(measurePath);
		});

		await test.step('constraint conflict: a note is required; then the alert and the conflict list show it', async () => {
			const item = p.locator('#pruefung li').filter({ has: p.getByRole('heading', { name: 'Denkmalschutz' }) });
			await expect(item).toContainText('Noch nicht bewertet');
			const details = await openDetails(item, 'Prüfung eintragen');
			await details.locator('#constraint-monument-state').selectOption({ label: 'Konflikt' });
			await details.locator('#constraint-monument-note').fill('');
			await submit(p, details.getByRole('button', { name: 'Prüfung speichern' }));
			await expectFieldError(p, 'constraint-monument-note', 'Bitte beschreiben Sie den Konflikt.');
			await expect(p.locator('#constraint-monument-state option:checked')).toHaveText('Konflikt');
			await expect(p.getByRole('alert').filter({ hasText: 'Konflikt bei der Prüfung' })).toHaveCount(0);
			await expectAccessible(p);

			await p.locator('#constraint-monument-note').fill(conflictNote);
			await p.locator('form').filter({ has: p.locator('#constraint-monument-note') }).getByRole('button', { name: 'Prüfung speichern' }).click();
			await expect(p).toHaveURL(/\?ok=constraintSaved(#pruefung)?$/);
			await expect(p.getByText('Die Prüfung wurde gespeichert.')).toBeVisible();
			const alert = p.locator('.kern-alert').filter({ hasText: 'Konflikt bei der Prüfung' });
			await expect(alert).toContainText('Bei dieser Maßnahme ist mindestens ein Konflikt festgestellt: Denkmalschutz.');
			await expect(alert).toContainText(`Denkmalschutz: ${conflictNote}`);
			await expect(item).toContainText('Konflikt');
			await expect(item).toContainText(conflictNote);
			await expectAccessible(p);

			await p.goto('/harz/intern/massnahmen/konflikte');
			await expect(p.getByRole('heading', { level: 1 })).toHaveText('Offene Konflikte');
			const row = p.getByRole('row').filter({ hasText: title });
			await expect(row).toContainText('Denkmalschutz');
			await expect(row).toContainText(conflictNote);
			await expect(row).toContainText(TOWN.name);
			await expect(row.getByRole('link', { name: `${code} ${title}` })).toHaveAttribute('href', `${measurePath}#pruefung`);
			await expectAccessible(p);
		});

		await test.step('status update: "In Umsetzung", 30 %, shown in the history', async () => {
			await p.goto(measurePath);
			const details = await openDetails(p.locator('#verlauf'), 'Statusmeldung schreiben');
			await details.locator('#u-text').fill(updateText);
			await details.locator('#u-status').selectOption({ label: 'In Umsetzung' });
			await details.locator('#u-progress').fill('30');
			await details.getByRole('button', { name: 'Statusmeldung speichern' }).click();
			await expect(p).toHaveURL(/\?ok=posted(#verlauf)?$/);
			await expect(p.getByText('Die Statusmeldung wurde gespeichert.')).toBeVisible();
			const header = p.getByRole('main').locator('header');
			await expect(header).toContainText('In Umsetzung');
			await expect(header).toContainText('30 %');
			const latest = p.locator('#verlauf ol.history > li').first();
			await expect(latest).toContainText('Status: Geplant → In Umsetzung');
			await expect(latest).toContainText('Umsetzungsstand: 10 % → 30 %');
			await expect(latest).toContainText(updateText);
			await expect(latest).toContainText(member.name);
			await expectAccessible(p);
		});

		await test.step('a task', async () => {
			const details = await openDetails(p.locator('#aufgaben'), 'Aufgabe hinzufügen');
			await details.locator('#t-title').fill(taskTitle);
			await details.locator('#t-dueOn').fill('2027-03-31');
			await details.locator('form[action="?/addTask"] button[type=submit]').click();
			await expect(p).toHaveURL(/\?ok=taskSaved(#aufgaben)?$/);
			await expect(p.getByText('Die Aufgabe wurde gespeichert.')).toBeVisible();
			const task = p.locator('#aufgaben li.task').filter({ hasText: taskTitle });
			await expect(task).toContainText('Offen');
			await expect(task).toContainText('31. März 2027');
			await expectAccessible(p);
		});

		const xlsxPath = testInfo.outputPath('massnahmen-thale.xlsx');
		await test.step("export the town's measures as .xlsx and edit completion and title", async () => {
			await p.goto('/harz/intern/massnahmen');
			await expectAccessible(p);
			const filters = p.getByRole('search', { name: 'Maßnahmen filtern' });
			await filters.locator('#f-kommune').selectOption({ label: TOWN.name });
			await filters.getByRole('button', { name: 'Anzeigen' }).click();
			await expect(p).toHaveURL(new RegExp(`[?&]kommune=${TOWN.ags}(&|$)`));
			await expect(p.getByRole('heading', { name: 'Maßnahmen (gefiltert)' })).toBeVisible();
			await expect(p.getByRole('row').filter({ hasText: title })).toContainText('In Umsetzung');
			await expectAccessible(p);

			const link = p.getByRole('link', { name: 'Als Excel-Datei (.xlsx)' });
			await expect(link).toHaveAttribute('href', new RegExp(`format=xlsx.*kommune=${TOWN.ags}`));
			const [download] = await Promise.all([p.waitForEvent('download'), link.click()]);
			expect(download.suggestedFilename()).toMatch(/^massnahmen-harz-\d{4}-\d{2}-\d{2}\.xlsx$/);

			const wb = new ExcelJS.Workbook();
			await wb.xlsx.readFile(await download.path());
			const ws = wb.getWorksheet('Maßnahmen')!;
			const headers = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
			const col = (h: string) => {
				const i = headers.indexOf(h);
				expect(i, `column ${h} in ${headers.join(', ')}`).toBeGreaterThan(0);
				return i;
			};
			const rows: ExcelJS.Row[] = [];
			ws.eachRow((row, n) => {
				if (n > 1) rows.push(row);
			});
			// Only the town's measures: the filter of the list is kept.
			for (const row of rows) expect(row.getCell(col('Kommune')).text).toBe(TOWN.name);
			const mine = rows.find((row) => row.getCell(col('ID')).text === measureId);
			expect(mine, `row of measure ${measureId}`).toBeDefined();
			expect(mine!.getCell(col('Titel')).text).toBe(title);
			expect(mine!.getCell(col('Status')).text).toBe('In Umsetzung');
			expect(Number(mine!.getCell(col('Fortschritt %')).value)).toBe(30);
			mine!.getCell(col('Titel')).value = newTitle;
			mine!.getCell(col('Fortschritt %')).value = 60;
			await wb.xlsx.writeFile(xlsxPath);
		});

		await test.step('import: the preview shows exactly the two changes; applying them saves them', async () => {
			await p.getByRole('link', { name: 'Geänderte Datei einlesen' }).click();
			await expect(p).toHaveURL(/\/harz\/intern\/massnahmen\/import$/);
			await expect(p.getByRole('heading', { level: 1 })).toHaveText('Maßnahmen aus einer Tabelle aktualisieren');
			await expectAccessible(p);

			await p.locator('#f-datei').setInputFiles(xlsxPath);
			await p.getByRole('button', { name: 'Datei prüfen' }).click();
			await expect(p).toHaveURL(/\/massnahmen\/import\?vorschau=[0-9a-f-]{36}$/);
			await expect(p.getByRole('heading', { name: 'Vorschau der Änderungen' })).toBeVisible();
			await expect(p.getByRole('main')).toContainText('Aus der Datei „massnahmen-thale.xlsx“ würden 1 Maßnahmen geändert. Noch ist nichts gespeichert.');
			const table = p.getByRole('table', { name: 'Geplante Änderungen' });
			const changes = table.locator('tbody tr');
			await expect(changes).toHaveCount(2);
			const titleRow = changes.filter({ hasText: 'Titel' });
			await expect(titleRow.locator('th, td')).toHaveText([code, TOWN.name, 'Titel', title, newTitle]);
			const progressRow = changes.filter({ hasText: 'Fortschritt %' });
			await expect(progressRow.locator('th, td')).toHaveText([code, TOWN.name, 'Fortschritt %', '30 %', '60 %']);
			await expectAccessible(p);
			// Nothing is saved before the confirmation.
			const before = await p.context().request.get(measurePath);
			expect(await before.text()).not.toContain(newTitle);

			await p.getByRole('button', { name: 'Änderungen übernehmen' }).click();
			await expect(p).toHaveURL(/\/massnahmen\/import\?uebernommen=1$/);
			await expect(p.getByText('Änderungen übernommen')).toBeVisible();
			await expect(p.getByRole('main')).toContainText('1 Maßnahmen wurden aktualisiert.');
			await expectAccessible(p);

			await p.goto(measurePath);
			await expect(p.getByRole('heading', { level: 1 })).toHaveText(newTitle);
			const header = p.getByRole('main').locator('header');
			await expect(header).toContainText('60 %');
			await expect(header).toContainText('In Umsetzung');
			const latest = p.locator('#verlauf ol.history > li').first();
			await expect(latest).toContainText('Aus Tabelle eingelesen');
			await expect(latest).toContainText('Umsetzungsstand: 30 % → 60 %');
			await expectAccessible(p);
		});

		await test.step('a file that is not Excel, named .xlsx: a German message, nothing changes', async () => {
			await p.goto('/harz/intern/massnahmen/import');
			const fake = testInfo.outputPath('keine-tabelle.xlsx');
			fs.writeFileSync(fake, `ID;Titel\n${measureId};Überschrieben ${id}\n`);
			await p.locator('#f-datei').setInputFiles(fake);
			await submit(p, p.getByRole('button', { name: 'Datei prüfen' }));
			await expect(p).toHaveURL(/\/massnahmen\/import(\?\/preview)?$/);
			const alert = p.getByRole('alert').filter({ hasText: 'Die Datei kann so nicht eingelesen werden' });
			await expect(alert).toContainText('Es wurde nichts geändert.');
			await expect(alert).toContainText('Die Datei ist keine Excel-Datei (.xlsx), auch wenn ihr Name so endet.');
			await expect(p.locator('#f-datei')).toHaveAttribute('aria-invalid', 'true');
			await expect(p.getByRole('heading', { name: 'Vorschau der Änderungen' })).toHaveCount(0);
			await expectAccessible(p);

			await p.goto(measurePath);
			await expect(p.getByRole('heading', { level: 1 })).toHaveText(newTitle);
			await expect(p.getByRole('main').locator('header')).toContainText('60 %');
			await expect(p.locator('#verlauf ol.history > li').first()).toContainText('Aus Tabelle eingelesen');
		});
	});
});
