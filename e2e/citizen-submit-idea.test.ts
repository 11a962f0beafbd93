// A resident signs up with e-mail and display name only, confirms by the e-mail link, submits an
// idea; the coordinator publishes it and turns it into a measure; the resident is told by e-mail
// and sees the measure's progress on the idea page. A teacher opens a group account and submits an
// idea for the class. Runs with and without JavaScript.
import type { Browser, Page } from '@playwright/test';
import { test, expect, type Mails } from './support/fixtures';
import { closeContexts, newSignedInContext, newVisitor, uniqueEmail, uniqueId } from './support/flows';

test.afterEach(closeContexts);

/** Signs up on /registrieren (the page already open) and follows the confirmation link. */
async function signUp(page: Page, mails: Mails, opts: { email: string; name: string; group?: { organisation: string } }) {
	await page.locator('#f-email').fill(opts.email);
	if (opts.group) await page.locator('#kind-group').check();
	await page.locator('#f-name').fill(opts.name);
	if (opts.group) await page.locator('#f-organisation').fill(opts.group.organisation);
	await page.locator('#consent').check();
	await page.getByRole('button', { name: 'Konto anlegen' }).click();
	await expect(page.getByText('Bitte prüfen Sie Ihr Postfach')).toBeVisible();
	const mail = await mails.waitForMail(opts.email, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
	await page.goto(mail.link('/api/auth/magic-link/verify'));
}

/** Fills and sends the idea form on /harz/ideen/neu; returns the idea page's path. */
async function submitIdea(page: Page, idea: { title: string; body: string; town: string }) {
	await page.locator('#f-title').fill(idea.title);
	await page.locator('#f-body').fill(idea.body);
	await page.locator('#f-theme').selectOption({ label: 'Mobilität' });
	await page.locator('#f-bodyId').selectOption({ label: idea.town });
	await page.locator('#f-locationText').fill('Am Bahnhof');
	await page.getByRole('button', { name: 'Idee einreichen' }).click();
	await expect(page).toHaveURL(/\/harz\/ideen\/[0-9a-f-]{36}/);
	await expect(page.getByRole('heading', { level: 1, name: idea.title })).toBeVisible();
	return new URL(page.url()).pathname;
}

async function coordinator(browser: Browser) {
	return (await newSignedInContext(browser, 'demo-coordinator')).page;
}

test('Bürgerin reicht eine Idee ein, die Koordination macht daraus eine Maßnahme', async ({ page, browser, mails, expectAccessible }) => {
	// `page` has the project's JavaScript setting and no session: the resident.
	const email = uniqueEmail('buergerin');
	const title = `Fahrradbügel am Bahnhof ${uniqueId()}`;

	await test.step('without an account the idea form asks to sign up', async () => {
		await page.goto('/harz/ideen/neu');
		await expectAccessible(page);
		await page.getByRole('main').getByRole('link', { name: 'Konto anlegen' }).click();
		await expect(page).toHaveURL(/\/registrieren\?weiter=/);
		await expectAccessible(page);
	});

	await test.step('sign-up: consent is required, then the e-mail link confirms and signs in', async () => {
		await page.locator('#f-email').fill(email);
		await page.locator('#f-name').fill('Anna aus Thale');
		await page.getByRole('button', { name: 'Konto anlegen' }).click();
		await expect(page.locator('#consent-error')).toBeVisible();
		await expect(page.locator('#f-name')).toHaveValue('Anna aus Thale');
		await expectAccessible(page);
		await signUp(page, mails, { email, name: 'Anna aus Thale' });
		// Back on the idea form, signed in.
		await expect(page).toHaveURL(/\/harz\/ideen\/neu/);
		await expect(page.locator('#f-title')).toBeVisible();
	});

	let ideaPath = '';
	await test.step('an empty idea is refused beside its fields, then the idea is sent', async () => {
		await page.getByRole('button', { name: 'Idee einreichen' }).click();
		await expect(page.locator('#f-title-error')).toBeVisible();
		await expect(page.locator('#f-body-error')).toBeVisible();
		await expectAccessible(page);
		ideaPath = await submitIdea(page, { title, body: 'Am Bahnhof fehlen **sichere** Abstellplätze für Fahrräder.', town: 'Thale' });
		await expect(page.getByText('Wird geprüft').first()).toBeVisible();
		await expectAccessible(page);
	});

	await test.step('others do not see the pending idea', async () => {
		const other = (await newVisitor(browser)).page;
		const res = await other.goto(ideaPath);
		expect(res?.status()).toBe(404);
	});

	await test.step('the coordinator publishes it and creates a measure from it', async () => {
		const mod = await coordinator(browser);
		await mod.goto('/harz/intern/beteiligung/ideen');
		await expectAccessible(mod);
		await mod.getByRole('link', { name: title }).click();
		await expect(mod.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expectAccessible(mod);
		await mod.getByRole('button', { name: 'Veröffentlichen' }).click();
		await expect(mod.getByText('Die Idee ist veröffentlicht.')).toBeVisible();
		await mails.waitForMail(email, 'veröffentlicht');

		await mod.getByText('Neue Maßnahme aus der Idee anlegen').click();
		await mod.locator('#create-conceptId').selectOption({ index: 1 });
		await mod.getByRole('button', { name: 'Maßnahme anlegen' }).click();
		await expect(mod.getByText('Die Idee ist mit der Maßnahme verbunden. Die Person bekommt eine E-Mail.')).toBeVisible();
		await expectAccessible(mod);
	});

	await test.step('the resident is told and sees what became of the idea', async () => {
		const mail = await mails.waitForMail(email, 'Aus Ihrer Idee ist eine Maßnahme geworden');
		await page.goto(mail.link(ideaPath));
		await expect(page.getByRole('heading', { name: 'Was aus der Idee geworden ist' })).toBeVisible();
		await expect(page.getByText('Stand der Maßnahme')).toBeVisible();
		await page.getByRole('link', { name: 'Zur Maßnahme' }).click();
		await expect(page).toHaveURL(/\/harz\/massnahmen\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByRole('link', { name: title })).toBeVisible(); // "Aus Bürgerideen entstanden"
		await expectAccessible(page);
	});
});

test('Lehrerin reicht für ihre Klasse eine Idee ein, ohne Daten der Kinder', async ({ page, mails, expectAccessible }) => {
	const email = uniqueEmail('lehrerin');
	const group = `Klasse 4b ${uniqueId()}`;
	await page.goto('/registrieren?weiter=/harz/ideen/neu');
	await signUp(page, mails, { email, name: group, group: { organisation: 'Grundschule Thale' } });
	await expect(page).toHaveURL(/\/harz\/ideen\/neu/);
	const title = `Schulweg mit Fahrradstraße ${uniqueId()}`;
	const path = await submitIdea(page, { title, body: 'Wir wünschen uns eine Fahrradstraße zur Schule.', town: 'Thale' });
	// The idea is shown under the group's name, marked as a group.
	await expect(page.getByText(group).first()).toBeVisible();
	await expect(page.getByText('Gruppe').first()).toBeVisible();
	await expectAccessible(page);

	await page.goto('/konto');
	await expect(page.getByRole('link', { name: title })).toHaveAttribute('href', path);
	await expectAccessible(page);
});
