// A visitor without an account browses the public side: start page, the Harz network, the legal
// pages in the footer; the working area stays closed. Runs with and without JavaScript.
import { test, expect } from './support/fixtures';
import { DEMO_COORDINATOR_EMAIL } from './support/accounts';
import { closeContexts, formPostHeaders, newSignedInContext, uniqueEmail, uniqueId } from './support/flows';

test.afterEach(closeContexts);

/** A redirect to the sign-in page, or a refusal. */
function expectSignInOrRefused(res: { status(): number; headers(): Record<string, string> }, what: string) {
	const status = res.status();
	if (status === 403) return;
	expect([302, 303, 307], `${what} answered ${status}`).toContain(status);
	expect(res.headers()['location'], what).toMatch(/^(https?:\/\/[^/]+)?\/anmelden(\?|$)/);
}

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

	test('kann ohne Konto niemanden einladen', async ({ page, browser, mails }) => {
		const email = uniqueEmail('von-besucher');
		for (const form of [
			{ form: 'invite', email, name: 'Besuch', role: 'partner' },
			{ form: 'invite', email, name: 'Besuch', role: 'coordinator' },
			{ form: 'invite', email: 'keine-adresse', name: '', role: 'member' }
		]) {
			const res = await page.request.post('/harz/intern/mitglieder?/einladen', { headers: formPostHeaders(), form, maxRedirects: 0 });
			expectSignInOrRefused(res, `POST /harz/intern/mitglieder?/einladen as ${form.role}`);
			expect(await res.text()).not.toContain('Die Einladung an');
		}
		// Nothing was created: the coordinator's list of invitations doesn't know the address.
		const { page: coordinator } = await newSignedInContext(browser, 'demo-coordinator');
		await coordinator.goto('/harz/intern/mitglieder');
		await expect(coordinator.getByRole('heading', { level: 1 })).toHaveText('Mitglieder und Einladungen');
		await expect(coordinator.locator('section[aria-labelledby="invitations"]')).not.toContainText(email);
		expect(await mails.list(email)).toHaveLength(0);
	});

	test('wird vom Betrieb zur Anmeldung geleitet und legt kein Netzwerk an', async ({ page, browser, expectAccessible }) => {
		const direct = await page.request.get('/betrieb', { maxRedirects: 0 });
		expect([302, 303, 307]).toContain(direct.status());
		expect(direct.headers()['location']).toMatch(/^(https?:\/\/[^/]+)?\/anmelden\?weiter=%2Fbetrieb$/);

		const res = await page.goto('/betrieb');
		expect(res?.status()).toBe(200);
		await expect(page).toHaveURL(/\/anmelden\?weiter=%2Fbetrieb$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmelden');
		await expectAccessible(page);

		const slug = `besuch-${uniqueId()}`;
		const post = await page.request.post('/betrieb?/anlegen', {
			headers: formPostHeaders(),
			form: { form: 'create', name: `Netz ${slug}`, slug, region: '', description: '', coordinatorEmail: uniqueEmail('besuch'), coordinatorName: '' },
			maxRedirects: 0
		});
		expectSignInOrRefused(post, 'POST /betrieb?/anlegen');
		expect((await page.request.get(`/${slug}`)).status()).toBe(404);
		const { page: operator } = await newSignedInContext(browser, 'demo-coordinator');
		await operator.goto('/betrieb');
		await expect(operator.getByRole('heading', { level: 1 })).toHaveText('Betrieb');
		await expect(operator.getByRole('main')).not.toContainText(slug);
	});
});
