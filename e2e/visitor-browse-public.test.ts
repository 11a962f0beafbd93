// A visitor without an account browses the public side: start page, the Harz network, the legal
// pages in the footer; the working area stays closed. Runs with and without JavaScript.
import { test, expect } from './support/fixtures';
import { DEMO_COORDINATOR_EMAIL } from './support/accounts';

test.describe('Besucherin ohne Konto', () => {
	test('öffnet die Startseite und das Harz-Netzwerk', async ({ page, expectAccessible }) => {
		const res = await page.goto('/');
		expect(res?.status()).toBe(200);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expectAccessible(page);

		const harz = page.getByRole('main').locator('a[href="/harz"]').first();
		await expect(harz).toBeVisible();
		await expect(harz).toContainText('Harz');
		await harz.click();
		await expect(page).toHaveURL(/\/harz$/);
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Harz');
		await expectAccessible(page);
	});

	test('springt mit der ersten Tab-Taste zum Inhalt', async ({ page }) => {
		await page.goto('/harz');
		await page.keyboard.press('Tab');
		const focused = page.locator(':focus');
		await expect(focused).toHaveText('Zum Inhalt springen');
		await expect(focused).toHaveAttribute('href', '#main');
		await expect(page.locator('#main')).toHaveCount(1);
		await expect(page.locator('main#main')).toHaveCount(1);
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/#main$/);
		await expect(page.locator('#main')).toBeFocused();
	});

	for (const [path, name] of [
		['/impressum', 'Impressum'],
		['/datenschutz', 'Datenschutz'],
		['/barrierefreiheit', 'Barrierefreiheit']
	] as const) {
		test(`erreicht ${name} über den Fußbereich`, async ({ page, expectAccessible }) => {
			await page.goto('/harz');
			const link = page.getByRole('contentinfo').locator(`a[href="${path}"]`);
			await expect(link).toBeVisible();
			await link.click();
			await expect(page).toHaveURL(new RegExp(`${path}$`));
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expectAccessible(page);

			// The status of the page itself (with JavaScript the click above may not load a document).
			const res = await page.request.get(path);
			expect(res.status()).toBe(200);
		});
	}

	test('wird vom Arbeitsbereich zur Anmeldung geleitet und sieht keine Kontaktdaten', async ({ page, expectAccessible }) => {
		const direct = await page.request.get('/harz/intern', { maxRedirects: 0 });
		expect([302, 303, 307]).toContain(direct.status());
		expect(direct.headers()['location']).toMatch(/^(https?:\/\/[^/]+)?\/anmelden\?/);
		expect(await direct.text()).not.toContain('@');

		const res = await page.goto('/harz/intern');
		expect(res?.status()).toBe(200);
		await expect(page).toHaveURL(/\/anmelden\?/);
		const body = page.locator('body');
		await expect(body).not.toContainText(DEMO_COORDINATOR_EMAIL);
		await expect(body).not.toContainText('Koordination Harz (Demo)');
		await expect(page.locator('main a[href^="mailto:"], main a[href^="tel:"]')).toHaveCount(0);
		await expectAccessible(page);
	});
});
