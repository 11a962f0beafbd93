// A visitor without an account reads the public portal of the Harz network (counts, the public
// measures with filters, one measure with its history) and pledges to an action with town and
// postcode only; the totals count it. Runs with and without JavaScript.
import { test, expect } from './support/fixtures';
import { closeContexts, expectFieldError } from './support/flows';

test.afterEach(closeContexts);

/** "12 Zusagen – …" → 12 (the network summary on the pledge page). */
async function pledgeCount(page: import('@playwright/test').Page): Promise<number> {
	const text = await page.getByText(/^\d[\d.]* Zusagen – zusammen/).first().innerText();
	return Number(text.split(' ')[0].replace(/\./g, ''));
}

test('Besucherin liest Maßnahmen und sagt ohne Konto zu', async ({ page, expectAccessible }) => {
	await test.step('portal home shows the counts that matter', async () => {
		const res = await page.goto('/harz');
		expect(res?.status()).toBe(200);
		expect(res?.headers()['cache-control']).toContain('public');
		await expect(page.getByRole('heading', { name: 'Was bisher geschah' })).toBeVisible();
		await expect(page.getByText('Maßnahmen in Umsetzung')).toBeVisible();
		await expect(page.getByText('Ideen wurden zu Maßnahmen')).toBeVisible();
		await expectAccessible(page);
	});

	await test.step('public measures, filtered by town through the URL', async () => {
		await page.getByRole('navigation', { name: /^Bürgerportal/ }).getByRole('link', { name: 'Maßnahmen' }).click();
		await expect(page).toHaveURL(/\/harz\/massnahmen$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Maßnahmen' })).toBeVisible();
		await page.getByLabel('Kommune').selectOption({ label: 'Halberstadt' });
		await page.getByRole('button', { name: 'Anzeigen' }).click();
		await expect(page).toHaveURL(/kommune=/);
		const items = page.getByRole('list', { name: 'Liste der Maßnahmen' }).getByRole('listitem');
		await expect(items.first()).toBeVisible();
		// Only Halberstadt's measures are left.
		for (const text of await items.allInnerTexts()) expect(text).toContain('Halberstadt');
		await expectAccessible(page);

		await items.first().getByRole('link').first().click();
		await expect(page).toHaveURL(/\/harz\/massnahmen\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { level: 2, name: 'Eckdaten' })).toBeVisible();
		await expect(page.getByRole('heading', { level: 2, name: 'Verlauf' })).toBeVisible();
		await expectAccessible(page);
	});

	await test.step('a pledge with town and postcode only', async () => {
		await page.goto('/harz/zusagen');
		const before = await pledgeCount(page);
		const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Zusagen' }) });
		await form.getByRole('checkbox').first().check();
		await form.getByLabel('Ihre Stadt oder Gemeinde').selectOption({ label: 'Thale' });
		await form.getByLabel('Ihre Postleitzahl').fill('06x');
		await form.getByRole('button', { name: 'Zusagen' }).click();
		await expectFieldError(page, 'f-postcode', 'Bitte geben Sie die Postleitzahl mit fünf Ziffern ein, zum Beispiel 38855.');
		await expectAccessible(page);
		// Nothing was counted, and the choice is kept.
		await expect(page.getByLabel('Ihre Postleitzahl')).toHaveValue('06x');
		await page.getByLabel('Ihre Postleitzahl').fill('06502');
		await page.getByRole('button', { name: 'Zusagen' }).click();
		await expect(page.getByText('Danke! Ihre Zusage zählt mit.')).toBeVisible();
		// The thanks page (its own address, so no cached copy) counts the pledge.
		expect(await pledgeCount(page)).toBe(before + 1);
		await expectAccessible(page);
	});
});
