// A partner organisation's contact, invited by the coordinator, reads the working area (bodies,
// people with their contact details, partners) but can change nothing: no edit links or forms are
// shown, every edit page answers 403, and posting to an edit action is refused.
import { test, expect, XSS_PAYLOAD } from './support/fixtures';
import {
	closeContexts,
	expectErrorSummaryLinks,
	expectFieldError,
	expectForbidden,
	formPostHeaders,
	inviteToNetwork,
	newVisitor,
	PASSWORD,
	THALE,
	uniqueEmail,
	uniqueId
} from './support/flows';
import type { Page } from '@playwright/test';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const NETWORK_NAME = 'Netzwerk Klimaschutzmanager Landkreis Harz';

/** Nothing on the page invites the partner to change something. */
async function expectReadOnly(page: Page) {
	const main = page.getByRole('main');
	await expect(main.locator('a[href*="/bearbeiten"]'), 'edit links').toHaveCount(0);
	await expect(main.locator('a[href$="/neu"], a[href*="/neu?"]'), 'links to create something').toHaveCount(0);
	await expect(main.locator('form[method="POST" i]'), 'forms that change data').toHaveCount(0);
	const nav = page.getByRole('navigation', { name: 'Navigation im Netzwerk' });
	for (const hidden of ['mitglieder', 'protokoll', 'profil']) {
		await expect(page.locator(`a[href="/harz/intern/${hidden}"]`), `link to /harz/intern/${hidden}`).toHaveCount(0);
	}
	await expect(nav).toBeVisible();
}

test.describe('Partner im Netzwerk', () => {
	test('liest den Arbeitsbereich mit Kontaktdaten und darf nichts ändern', async ({
		page,
		browser,
		mails,
		expectAccessible,
		submitXssPayload
	}) => {
		const id = uniqueId();
		const person = { name: `Paula Kontakt ${id}`, email: uniqueEmail('kontakt'), phone: '03947 776-0' };
		let personId = '';
		let partnerEditPath = '';

		await test.step('coordinator: a person with contact details for Thale', async () => {
			const res = await page.goto('/harz/intern/personen/neu');
			expect(res?.status()).toBe(200);
			await expectAccessible(page);
			const form = page.locator('form[action="?/create"]');
			await form.locator('#f-name').fill('');
			await form.locator('#f-email').fill('keine-adresse');
			await form.locator('#f-phone').fill('abc');
			await form.getByRole('button', { name: 'Person hinzufügen' }).click();
			await expect(page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie Ihre Eingaben' })).toBeVisible();
			await expectFieldError(page, 'f-name', 'Bitte füllen Sie dieses Feld aus.');
			await expectFieldError(page, 'f-email', 'Bitte geben Sie eine gültige E-Mail-Adresse ein');
			await expectFieldError(page, 'f-phone', 'Bitte geben Sie die Telefonnummer nur mit Ziffern');
			await expectErrorSummaryLinks(page);
			await expect(form.locator('#f-email')).toHaveValue('keine-adresse');
			await expect(form.locator('#f-phone')).toHaveValue('abc');
			await expectAccessible(page);

			await form.locator('#f-name').fill(person.name);
			await form.locator('#f-bodyId').selectOption({ label: THALE.name });
			await form.locator('#f-email').fill(person.email);
			await form.locator('#f-phone').fill(person.phone);
			await form.getByRole('button', { name: 'Person hinzufügen' }).click();
			await expect(page).toHaveURL(/\/harz\/intern\/personen\/[0-9a-f-]{36}\?gespeichert=1$/);
			personId = /\/personen\/([0-9a-f-]{36})/.exec(page.url())![1];
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(person.name);
			await expect(page.getByText('Gespeichert.')).toBeVisible();
			await expectAccessible(page);
		});

		await test.step('coordinator: the edit page of a partner organisation', async () => {
			await page.goto('/harz/intern/partner');
			const edit = page.getByRole('main').locator('a[href*="/intern/partner/"][href$="/bearbeiten"]').first();
			partnerEditPath = (await edit.getAttribute('href'))!;
			expect(partnerEditPath).toMatch(/^\/harz\/intern\/partner\/[0-9a-f-]{36}\/bearbeiten$/);
			await expectAccessible(page);
		});

		const email = uniqueEmail('partner');
		await inviteToNetwork(page, { email, name: `Partner ${id}`, role: 'partner' });
		const mail = await mails.waitForMail(email, `Einladung in das ${NETWORK_NAME}`);
		expect(mail.text).toContain('als Partner');

		const partner = await newVisitor(browser);
		const pp = partner.page;

		await test.step('the partner creates the account (name with markup is stored as text)', async () => {
			await pp.goto(mail.link('/einladung/'));
			await expect(pp.getByRole('main')).toContainText(`Sie sind in das ${NETWORK_NAME} eingeladen, als Partner.`);
			await expectAccessible(pp);
			await pp.getByLabel('Neues Passwort').fill(PASSWORD);
			await pp.getByLabel('Passwort wiederholen').fill(PASSWORD);
			await submitXssPayload(pp.locator('form[action="?/registrieren"]'));
			await expect(pp).toHaveURL(/\/harz\/intern$/);
		});

		await test.step('the coordinator lists the partner, name shown as text', async () => {
			await page.goto('/harz/intern/mitglieder');
			const row = page.locator('section[aria-labelledby="members"] tr').filter({ hasText: email });
			await expect(row).toContainText('Partner');
			await expect(row).toContainText(XSS_PAYLOAD);
			expect(await page.evaluate(() => typeof (window as unknown as { __xss?: unknown }).__xss)).toBe('undefined');
			await expect(page.locator('section[aria-labelledby="invitations"] tr').filter({ hasText: email })).toContainText('angenommen');
			await expectAccessible(page);
		});

		await test.step('overview', async () => {
			await pp.goto('/harz/intern');
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText(NETWORK_NAME);
			await expect(pp.getByRole('heading', { name: /^Meine Kommunen?$/ })).toHaveCount(0);
			await expect(pp.getByRole('main').getByRole('link', { name: THALE.name, exact: true })).toBeVisible();
			await expectReadOnly(pp);
			await expectAccessible(pp);
		});

		await test.step('bodies', async () => {
			await pp.goto('/harz/intern/kommunen');
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText('Kommunen');
			await expect(pp.getByRole('main').getByRole('link', { name: THALE.name, exact: true })).toBeVisible();
			await expect(pp.getByRole('link', { name: 'Kommune hinzufügen' })).toHaveCount(0);
			await expectReadOnly(pp);
			await expectAccessible(pp);

			await pp.goto(`/harz/intern/kommunen/${THALE.ags}`);
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText(THALE.name);
			await expect(pp.getByRole('link', { name: 'Daten bearbeiten' })).toHaveCount(0);
			await expect(pp.getByRole('link', { name: `Person für ${THALE.name} hinzufügen` })).toHaveCount(0);
			await expect(pp.getByRole('main').locator(`a[href="mailto:${person.email}"]`)).toBeVisible();
			await expect(pp.getByRole('main')).toContainText(person.phone);
			await expectReadOnly(pp);
			await expectAccessible(pp);
		});

		await test.step('people with contact details', async () => {
			await pp.goto('/harz/intern/personen');
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText('Personen');
			await expect(pp.getByRole('columnheader', { name: 'E-Mail' })).toBeVisible();
			await expect(pp.getByRole('columnheader', { name: 'Telefon' })).toBeVisible();
			await expect(pp.getByRole('link', { name: 'Person hinzufügen' })).toHaveCount(0);
			await expectReadOnly(pp);
			await expectAccessible(pp);

			await pp.goto(`/harz/intern/personen/${personId}`);
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText(person.name);
			await expect(pp.getByRole('main').locator(`a[href="mailto:${person.email}"]`)).toBeVisible();
			await expect(pp.getByRole('main')).toContainText(person.phone);
			await expect(pp.getByRole('link', { name: 'Angaben bearbeiten' })).toHaveCount(0);
			await expectReadOnly(pp);
			await expectAccessible(pp);
		});

		await test.step('partners', async () => {
			await pp.goto('/harz/intern/partner');
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText('Partner des Netzwerks');
			await expect(pp.getByRole('main')).toContainText('Landesenergieagentur Sachsen-Anhalt (LENA)');
			await expect(pp.getByRole('heading', { name: 'Partner hinzufügen' })).toHaveCount(0);
			await expectReadOnly(pp);
			await expectAccessible(pp);
		});

		await test.step('every edit page answers 403', async () => {
			for (const path of [
				`/harz/intern/kommunen/${THALE.ags}/bearbeiten`,
				'/harz/intern/kommunen/neu',
				'/harz/intern/personen/neu',
				`/harz/intern/personen/${personId}/bearbeiten`,
				partnerEditPath,
				'/harz/intern/profil',
				'/harz/intern/mitglieder',
				'/harz/intern/protokoll'
			]) {
				await expectForbidden(pp, path);
			}
		});

		await test.step('posting to edit actions is refused and changes nothing', async () => {
			const stolen = `Gekaperter Partner ${id}`;
			const invited = uniqueEmail('von-partner');
			const posts: [string, Record<string, string>][] = [
				['/harz/intern/partner?/create', { name: stolen, description: '', url: '' }],
				['/harz/intern/mitglieder?/einladen', { form: 'invite', email: invited, name: '', role: 'partner' }],
				[`/harz/intern/kommunen/${THALE.ags}/bearbeiten?/update`, { population: '1', populationYear: '2023' }],
				[`/harz/intern/personen/${personId}/bearbeiten?/update`, { name: stolen, function: 'other', bodyId: '', email: '', phone: '' }],
				['/harz/intern/profil?/update', { name: stolen, region: '', description: '' }]
			];
			for (const [path, form] of posts) {
				const res = await pp.request.post(path, { headers: formPostHeaders(), form, maxRedirects: 0 });
				expect(res.status(), `POST ${path} by a partner`).toBe(403);
			}
			await page.goto('/harz/intern/mitglieder');
			await expect(page.locator('section[aria-labelledby="invitations"]')).not.toContainText(invited);
			const visitor = await newVisitor(browser);
			await visitor.page.goto('/harz/partner');
			await expect(visitor.page.getByRole('main')).not.toContainText(stolen);
			await visitor.page.goto('/harz');
			await expect(visitor.page.getByRole('heading', { level: 1 })).toContainText('Harz');
			await expect(visitor.page.getByRole('main')).not.toContainText(stolen);
			await pp.goto(`/harz/intern/personen/${personId}`);
			await expect(pp.getByRole('heading', { level: 1 })).toHaveText(person.name);
			await pp.goto(`/harz/intern/kommunen/${THALE.ags}`);
			await expect(pp.getByRole('main')).not.toContainText('1 (Stand 2023)');
		});
	});
});
