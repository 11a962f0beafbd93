// The operator (the demo coordinator also runs the installation) creates a network on /betrieb and
// invites its first coordinator. The new coordinator accepts by mail and works in a network that
// shows nothing of Harz; people of Harz get no access to it.
import { test, expect, XSS_PAYLOAD } from './support/fixtures';
import {
	closeContexts,
	createHarzAccount,
	expectErrorSummaryLinks,
	expectFieldError,
	expectForbidden,
	newVisitor,
	registerByInvitation,
	THALE,
	uniqueEmail,
	uniqueId
} from './support/flows';
import type { Page } from '@playwright/test';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

/** Names of the Harz demo that must not appear in another network's working area. */
const HARZ_THINGS = ['Thale', 'Halberstadt', 'Wernigerode', 'Quedlinburg', 'Landesenergieagentur', 'Michael Hesse'];

async function expectNothingOfHarz(page: Page, opts: { harzWord?: boolean } = {}) {
	const main = page.getByRole('main');
	for (const thing of HARZ_THINGS) await expect(main, `"${thing}" on ${page.url()}`).not.toContainText(thing);
	if (opts.harzWord !== false) await expect(main, `"Harz" on ${page.url()}`).not.toContainText('Harz');
	await expect(main.locator('a[href^="/harz"]')).toHaveCount(0);
}

test.describe('Betrieb legt ein Netzwerk an', () => {
	test('neues Netzwerk mit eigener Koordination, getrennt vom Harz', async ({ page, browser, mails, expectAccessible, submitXssPayload }) => {
		const id = uniqueId();
		const slug = `t-${id}`;
		const networkName = `Klimanetz Altmark ${id}`;
		const coordinatorEmail = uniqueEmail('koordination');
		const coordinatorName = `Kora Koordination ${id}`;
		const form = page.locator('form[action="?/anlegen"]');
		const submit = form.getByRole('button', { name: 'Netzwerk anlegen und Koordination einladen' });
		const networks = page.locator('section[aria-labelledby="networks"]');

		async function fill(values: { name: string; slug: string; email: string }) {
			await form.locator('#f-name').fill(values.name);
			await form.locator('#f-slug').fill(values.slug);
			await form.locator('#f-region').fill('Altmark');
			await form.locator('#f-description').fill('Ein Netzwerk für den Test.');
			await form.locator('#f-coordinatorEmail').fill(values.email);
			await form.locator('#f-coordinatorName').fill(coordinatorName);
		}

		await test.step('the operator page', async () => {
			const res = await page.goto('/betrieb');
			expect(res?.status()).toBe(200);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Betrieb');
			await expect(networks.getByRole('link', { name: 'Netzwerk Klimaschutzmanager Landkreis Harz' })).toBeVisible();
			await expectAccessible(page);
		});

		await test.step('bad submit: the slug "harz" is taken', async () => {
			await fill({ name: networkName, slug: 'harz', email: coordinatorEmail });
			await submit.click();
			await expect(page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie Ihre Eingaben' })).toBeVisible();
			await expectFieldError(page, 'f-slug', 'Diese Kurzadresse ist schon vergeben.');
			await expect(form.locator('#f-slug')).toHaveValue('harz');
			await expect(form.locator('#f-name')).toHaveValue(networkName);
			await expect(form.locator('#f-region')).toHaveValue('Altmark');
			await expect(form.locator('#f-description')).toHaveValue('Ein Netzwerk für den Test.');
			await expect(form.locator('#f-coordinatorEmail')).toHaveValue(coordinatorEmail);
			await expect(form.locator('#f-coordinatorName')).toHaveValue(coordinatorName);
			await expectAccessible(page);
		});

		await test.step('bad submit: reserved slug "anmelden", invalid address', async () => {
			await form.locator('#f-slug').fill('anmelden');
			await form.locator('#f-coordinatorEmail').fill('keine-adresse');
			await submit.click();
			await expectFieldError(page, 'f-slug', 'Diese Kurzadresse ist für Klimanetz selbst reserviert.');
			await expectFieldError(page, 'f-coordinatorEmail', 'Bitte geben Sie eine gültige E-Mail-Adresse ein');
			await expectErrorSummaryLinks(page);
			await expect(form.locator('#f-slug')).toHaveValue('anmelden');
			await expect(form.locator('#f-coordinatorEmail')).toHaveValue('keine-adresse');
			await expect(form.locator('#f-name')).toHaveValue(networkName);
			await expectAccessible(page);
		});

		await test.step('nothing was created', async () => {
			await page.goto('/betrieb');
			await expect(networks).not.toContainText(networkName);
			const anmelden = await page.request.get('/anmelden');
			expect(anmelden.status()).toBe(200);
			expect(await anmelden.text()).not.toContain(networkName);
		});

		await test.step('names and texts of a network are stored as text', async () => {
			const xssSlug = `x-${id}`;
			await submitXssPayload(form, { values: { slug: xssSlug } });
			await expect(page.getByText(`Das Netzwerk /${xssSlug} ist angelegt`)).toBeVisible();
			await page.goto('/betrieb');
			await expect(networks.locator(`a[href="/${xssSlug}"]`)).toHaveText(XSS_PAYLOAD);
			for (const path of ['/', `/${xssSlug}`]) {
				const visitor = await newVisitor(browser);
				const res = await visitor.page.goto(path);
				expect(res?.status()).toBe(200);
				await expect(visitor.page.getByRole('main')).toContainText(XSS_PAYLOAD);
				expect(await visitor.page.evaluate(() => typeof (window as unknown as { __xss?: unknown }).__xss)).toBe('undefined');
				await expectAccessible(visitor.page);
				await visitor.context.close();
			}
		});

		await test.step('create the network', async () => {
			await page.goto('/betrieb');
			await fill({ name: networkName, slug, email: coordinatorEmail });
			await submit.click();
			await expect(page.getByText(`Das Netzwerk /${slug} ist angelegt, die Einladung an ${coordinatorEmail} verschickt.`)).toBeVisible();
			await expectAccessible(page);
			await page.goto('/betrieb');
			await expect(networks.getByRole('row').filter({ hasText: networkName })).toContainText(`/${slug}`);
		});

		const mail = await mails.waitForMail(coordinatorEmail, `Einladung in das ${networkName}`);
		expect(mail.text).toContain('als Koordination');
		const coordinator = await newVisitor(browser);
		const cp = coordinator.page;

		await test.step('the invited coordinator accepts and reaches the working area', async () => {
			await cp.goto(mail.link('/einladung/'));
			await expect(cp.getByRole('main')).toContainText(`Sie sind in das ${networkName} eingeladen, als Koordination.`);
			await expect(cp.getByLabel('Ihr Name')).toHaveValue(coordinatorName);
			await expectAccessible(cp);
			await registerByInvitation(cp, mail.link('/einladung/'), { name: coordinatorName, network: slug });
			await expect(cp.getByRole('heading', { level: 1 })).toHaveText(networkName);
			await expect(cp.getByRole('main')).toContainText('Zu diesem Netzwerk gehören noch keine Kommunen.');
			const nav = cp.getByRole('navigation', { name: 'Navigation im Netzwerk' });
			for (const part of ['mitglieder', 'protokoll', 'profil']) await expect(nav.locator(`a[href="/${slug}/intern/${part}"]`)).toBeVisible();
			await expectNothingOfHarz(cp);
			await expectAccessible(cp);
		});

		await test.step('the new network shows nothing of Harz', async () => {
			await cp.goto(`/${slug}/intern/kommunen`);
			await expect(cp.getByRole('main')).toContainText('Keine Kommune gefunden.');
			await expectNothingOfHarz(cp);
			await expectAccessible(cp);

			await cp.goto(`/${slug}/intern/kommunen?q=Thale`);
			await expect(cp.getByRole('main')).toContainText('Keine Kommune gefunden.');
			await expectAccessible(cp);

			const thale = await cp.goto(`/${slug}/intern/kommunen/${THALE.ags}`);
			expect(thale?.status(), 'a Harz body under the new network').toBe(404);
			await expect(cp.getByRole('heading', { level: 1 })).toHaveText('Seite nicht gefunden');
			await expectAccessible(cp);

			await cp.goto(`/${slug}/intern/personen`);
			await expect(cp.getByRole('main')).toContainText('Keine Person gefunden.');
			await expectNothingOfHarz(cp);
			await expectAccessible(cp);

			await cp.goto(`/${slug}/intern/partner`);
			await expect(cp.getByRole('main')).toContainText('Es sind noch keine Partner eingetragen.');
			await expectNothingOfHarz(cp);
			await expectAccessible(cp);

			await cp.goto(`/${slug}/intern/mitglieder`);
			await expect(cp.locator('input[name="bodyIds"]')).toHaveCount(0);
			const members = cp.locator('section[aria-labelledby="members"] tbody tr');
			await expect(members).toHaveCount(1);
			await expect(members).toContainText(coordinatorName);
			const invitations = cp.locator('section[aria-labelledby="invitations"] tbody tr');
			await expect(invitations).toHaveCount(1);
			await expect(invitations).toContainText(coordinatorEmail);
			await expectNothingOfHarz(cp);
			await expectAccessible(cp);

			await cp.goto(`/${slug}/intern/protokoll`);
			await expect(cp.getByRole('heading', { level: 1 })).toHaveText('Änderungsprotokoll');
			await expect(cp.getByRole('main')).toContainText(networkName);
			// The operator who created the network is the Harz demo coordinator: their name may appear.
			await expectNothingOfHarz(cp, { harzWord: false });
			await expectAccessible(cp);

			await expectForbidden(cp, '/harz/intern');
		});

		await test.step('people of Harz get 403 in the new network', async () => {
			const member = await createHarzAccount(page, browser, mails, { prefix: 'harz-mitglied', role: 'member', bodies: [THALE.name] });
			await expectForbidden(member.page, `/${slug}/intern`);
			await expectForbidden(member.page, `/${slug}/intern/kommunen`);
			// The Harz coordinator (who, as operator, created the network) is no member of it either.
			await expectForbidden(page, `/${slug}/intern`);
			await expectForbidden(page, `/${slug}/intern/mitglieder`);
		});
	});
});
