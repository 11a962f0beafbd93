// Who may do what with measures: a member of Thale reads Wernigerode's measures but cannot edit
// them (no link, 403 page, forged posts refused); a partner reads without any form; the
// coordinator copies a Wernigerode measure into a Thale concept and the copy links to its
// original. Markup typed into the measure and status-update forms is stored and shown as text.
// The list survives malformed URL parameters and a 375 px wide screen.
import type { Locator, Page } from '@playwright/test';
import { test, expect, XSS_PAYLOAD } from './support/fixtures';
import { closeContexts, createHarzAccount, expectForbidden, formPostHeaders, THALE, uniqueId } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

/** A measure of the Harz demo, in Wernigerode's integrated concept. */
const W = { code: 'W-2.1', title: 'Umrüstung der Straßenbeleuchtung auf LED', body: 'Wernigerode' };

/** The row of measure W in a list (the demo also holds a copy of it in another town). */
const rowOfW = (page: Page) => page.getByRole('main').getByRole('row').filter({ hasText: W.code }).filter({ hasText: W.body });

/** Finds measure W through the list's search and returns the path of its page. */
async function measurePathOf(page: Page): Promise<string> {
	await page.goto(`/harz/intern/massnahmen?q=${encodeURIComponent(W.title)}`);
	const link = rowOfW(page).getByRole('link', { name: W.title, exact: true });
	await expect(link).toHaveCount(1);
	const href = (await link.getAttribute('href'))!;
	expect(href).toMatch(/^\/harz\/intern\/massnahmen\/[0-9a-f-]{36}$/);
	return href;
}

/** The accordion whose summary contains `summary`, opened (a click on the summary works without JavaScript too). */
async function openDetails(scope: Page | Locator, summary: string): Promise<Locator> {
	const page = 'page' in scope ? scope.page() : scope;
	const details = scope.locator('details').filter({ has: page.locator('summary', { hasText: summary }) });
	await expect(details).toHaveCount(1);
	if (!(await details.evaluate((d: HTMLDetailsElement) => d.open))) await details.locator('summary').click();
	await expect(details).toHaveJSProperty('open', true);
	return details;
}

/** Creates a concept for Thale with one field of action (as whoever `page` is signed in as). */
async function createThaleConcept(page: Page, title: string, field: string): Promise<string> {
	await page.goto(`/harz/intern/konzepte/neu?kommune=${THALE.ags}`);
	const form = page.locator('form').filter({ has: page.locator('#f-title') });
	await expect(form.locator('#f-bodyId option:checked')).toHaveText(THALE.name);
	await form.locator('#f-title').fill(title);
	await form.getByRole('button', { name: 'Konzept anlegen' }).click();
	await expect(page).toHaveURL(/\/harz\/intern\/konzepte\/[0-9a-f-]{36}\?ok=created$/);
	const path = new URL(page.url()).pathname;
	const add = page.locator('form[action="?/addField"]');
	await expect(add).toBeVisible(); // open while the concept has no fields
	await add.locator('#fn-name').fill(field);
	await add.locator('#fn-theme').selectOption('municipal');
	await add.locator('button[type=submit]').click();
	await expect(page).toHaveURL(/\?ok=fieldSaved(#handlungsfelder)?$/);
	await expect(page.locator('#handlungsfelder ol > li').filter({ hasText: field })).toHaveCount(1);
	return path;
}

test.describe('Rechte bei Maßnahmen', () => {
	test('Mitglied, Partner und Koordination: lesen, bearbeiten, kopieren; Markup bleibt Text', async ({
		page,
		browser,
		mails,
		expectAccessible,
		submitXssPayload
	}) => {
		test.slow();
		const id = uniqueId();
		const conceptTitle = `Maßnahmenplan Thale ${id}`;
		const field = `Kommunale Gebäude ${id}`;
		const copyCode = `T-${Date.now() % 100000}`;
		let wPath = '';

		const member = await createHarzAccount(page, browser, mails, { prefix: 'rechte', role: 'member', bodies: [THALE.name] });
		const m = member.page;

		await test.step('a member of Thale cannot edit a Wernigerode measure', async () => {
			wPath = await measurePathOf(m);
			await m.goto(wPath);
			await expect(m.getByRole('heading', { level: 1 })).toHaveText(W.title);
			const main = m.getByRole('main');
			await expect(main.locator('a[href$="/bearbeiten"]')).toHaveCount(0);
			await expect(main.getByRole('link', { name: 'Bearbeiten' })).toHaveCount(0);
			await expect(main.locator('form[method="POST" i]')).toHaveCount(0);
			await expect(main.locator('details')).toHaveCount(0);
			// Reading and copying into an own concept stay possible.
			await expect(main.getByRole('link', { name: 'Als Vorlage kopieren' })).toBeVisible();
			await expectAccessible(m);

			await expectForbidden(m, `${wPath}/bearbeiten`);

			const stolen = `Gekaperte Maßnahme ${id}`;
			const posts: [string, Record<string, string>][] = [
				[`${wPath}/bearbeiten?/update`, { code: W.code, title: stolen, status: 'completed', progress: '100', priority: 'high' }],
				[`${wPath}?/update`, { text: stolen, status: 'completed', progress: '100' }],
				[`${wPath}?/addTask`, { title: stolen, state: 'open' }],
				[`${wPath}?/constraint`, { aspect: 'monument', state: 'conflict', note: stolen }],
				[`${wPath}/bearbeiten?/delete`, {}]
			];
			for (const [path, form] of posts) {
				const res = await m.request.post(path, { headers: formPostHeaders(), form, maxRedirects: 0 });
				expect(res.status(), `POST ${path} by a member of Thale`).toBe(403);
			}
			await page.goto(wPath);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(W.title);
			await expect(page.getByRole('main')).not.toContainText(stolen);
			await expect(page.getByRole('main').locator('header')).not.toContainText('Abgeschlossen');
		});

		await test.step('a partner reads the list and a measure but gets no form', async () => {
			const partner = await createHarzAccount(page, browser, mails, { prefix: 'partner-massnahmen', role: 'partner' });
			const pp = partner.page;
			await pp.goto('/harz/intern/massnahmen');
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText('Maßnahmen');
			const main = pp.getByRole('main');
			await expect(main.getByRole('table', { name: 'Maßnahmen' }).locator('tbody tr').first()).toBeVisible();
			await expect(main.getByRole('link', { name: 'Geänderte Datei einlesen' })).toHaveCount(0);
			await expect(main.locator('form[method="POST" i]')).toHaveCount(0);
			await expectAccessible(pp);

			await main.getByRole('search', { name: 'Maßnahmen filtern' }).getByLabel('Suche in Kennung, Titel und Beschreibung').fill(W.title);
			await main.getByRole('button', { name: 'Anzeigen' }).click();
			await expect(pp).toHaveURL(/[?&]q=/);

			await rowOfW(pp).getByRole('link', { name: W.title, exact: true }).click();
			await expect(pp).toHaveURL(new RegExp(`${wPath}$`));
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText(W.title);
			await expect(main.locator('#verlauf')).toBeVisible();
			await expect(main.locator('form[method="POST" i]')).toHaveCount(0);
			await expect(main.locator('details')).toHaveCount(0);
			await expect(main.locator('a[href$="/bearbeiten"], a[href$="/kopieren"]')).toHaveCount(0);
			await expectAccessible(pp);
			await expectForbidden(pp, `${wPath}/bearbeiten`);
		});

		let conceptPath = '';
		await test.step('the coordinator copies the Wernigerode measure into a new Thale concept', async () => {
			conceptPath = await createThaleConcept(page, conceptTitle, field);
			await page.goto(wPath);
			await page.getByRole('link', { name: 'Als Vorlage kopieren' }).click();
			await expect(page).toHaveURL(new RegExp(`${wPath}/kopieren$`));
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Maßnahme ${W.code} als Vorlage kopieren`);
			await expectAccessible(page);

			const form = page.locator('form[action="?/copy"]');
			await form.locator('#f-conceptId').selectOption({ label: `${THALE.name} – ${conceptTitle}` });
			await form.locator('#f-code').fill(copyCode);
			await form.locator('#f-fieldId').selectOption({ label: field });
			await form.getByRole('button', { name: 'Kopie anlegen' }).click();
			await expect(page).toHaveURL(/\/harz\/intern\/massnahmen\/[0-9a-f-]{36}\?ok=copied$/);
			const copyPath = new URL(page.url()).pathname;
			expect(copyPath).not.toBe(wPath);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(W.title);
			await expect(page.getByText('Die Maßnahme wurde als Vorlage in Ihr Konzept kopiert.')).toBeVisible();
			const header = page.getByRole('main').locator('header');
			await expect(header).toContainText(copyCode);
			await expect(header).toContainText(THALE.name);
			await expect(header).toContainText(conceptTitle);
			await expect(header).toContainText('Idee');
			await expect(page.locator('#steckbrief')).toContainText(field);
			await expectAccessible(page);

			const original = page.getByRole('link', { name: `Kopiert aus: ${W.code} ${W.title} (${W.body})` });
			await expect(original).toHaveAttribute('href', wPath);
			await original.click();
			await expect(page).toHaveURL(new RegExp(`${wPath}$`));
			const copies = page.locator('#aehnliche h3:text-is("Als Vorlage übernommen von") + ul');
			const copy = copies.locator('li').filter({ hasText: `– ${THALE.name}, Idee` });
			await expect(copy.getByRole('link', { name: `${copyCode} ${W.title}` })).toHaveAttribute('href', copyPath);
		});

		await test.step('markup in the measure form is stored and shown as text', async () => {
			await m.goto(`${conceptPath}/massnahmen/neu`);
			await expect(m.getByRole('heading', { level: 1 })).toHaveText(`Neue Maßnahme im Konzept „${conceptTitle}“`);
			const form = m.locator('form').filter({ has: m.locator('#f-code') });
			await submitXssPayload(form, { values: { code: `X-${Date.now() % 100000}`, progress: '0', costEstimate: '', savingsT: '' } });
			await expect(m).toHaveURL(/\/harz\/intern\/massnahmen\/[0-9a-f-]{36}\?ok=created$/);
			await expect(m.getByRole('heading', { level: 1 })).toHaveText(XSS_PAYLOAD);
			await expect(m.locator('#steckbrief')).toContainText(XSS_PAYLOAD); // the funding source, as text
			await expect(m.locator('#steckbrief .user-text img')).toHaveCount(0);
			await expect(m.locator('#steckbrief .user-text script')).toHaveCount(0);
			await expectAccessible(m);
		});

		await test.step('markup in the status update is stored and shown as text', async () => {
			const details = await openDetails(m.locator('#verlauf'), 'Statusmeldung schreiben');
			await submitXssPayload(details.locator('form'), { values: { progress: '5' } });
			await expect(m).toHaveURL(/\?ok=posted(#verlauf)?$/);
			const latest = m.locator('#verlauf ol.history > li').first();
			await expect(latest).toContainText(XSS_PAYLOAD);
			await expect(latest).toContainText('Umsetzungsstand: 0 % → 5 %');
			await expect(latest.locator('img, script')).toHaveCount(0);
			await expectAccessible(m);
		});

		await test.step('the list answers malformed parameters with 200', async () => {
			const res = await page.goto('/harz/intern/massnahmen?seite=abc&status=bogus&kommune=x&sortierung=;drop');
			expect(res?.status()).toBe(200);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Maßnahmen');
			// Unknown values are ignored: the whole list, page 1.
			await expect(page.getByRole('heading', { level: 2, name: 'Maßnahmen', exact: true })).toBeVisible();
			await expect(page.getByRole('table', { name: 'Maßnahmen' }).locator('tbody tr').first()).toBeVisible();
			await expect(page.locator('#f-kommune option:checked')).toHaveText('Alle Kommunen');
			await expectAccessible(page);
		});

		await test.step('the list at 375 px', async () => {
			await page.setViewportSize({ width: 375, height: 812 });
			await page.goto('/harz/intern/massnahmen');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Maßnahmen');
			await expectAccessible(page);
			await page.goto(wPath);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(W.title);
			await expectAccessible(page);
		});
	});
});
