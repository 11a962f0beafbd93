// A member signs in and looks after their account: e-mail link (works once), password from the
// invitation, wrong passwords and the lock after too many, password reset, signing out
// everywhere, data export and account deletion. Every test creates its own account through an
// invitation (the demo coordinator invites), so the two projects never share one.
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, XSS_PAYLOAD } from './support/fixtures';
import {
	closeContexts,
	createHarzAccount,
	expectFieldError,
	expectSignedInAs,
	expectSignedOut,
	newVisitor,
	PASSWORD,
	submitPasswordSignIn,
	THALE,
	uniqueEmail
} from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const NEW_PASSWORD = 'Ein ganz neuer Satz für 2025';
const WRONG_CREDENTIALS = 'E-Mail-Adresse oder Passwort stimmen nicht.';

/** Clicks and waits for the POST it sends (and, without JavaScript, the page it answers with). */
async function submitAndWait(page: Page, click: () => Promise<void>) {
	const posted = page.waitForResponse((r) => r.request().method() === 'POST');
	await click();
	await posted;
	await page.waitForLoadState('load');
}

test.describe('Mitglied meldet sich an', () => {
	test('mit einem E-Mail-Link, der nur einmal gilt', async ({ page, browser, mails, expectAccessible, signInAs }) => {
		const account = await createHarzAccount(page, browser, mails, { prefix: 'link', role: 'member', bodies: [THALE.name] });
		const { page: v } = await newVisitor(browser);
		await v.goto('/anmelden');
		await expect(v.getByRole('heading', { level: 1 })).toHaveText('Anmelden');
		await expectAccessible(v);

		const form = v.locator('form[action="?/link"]');
		await test.step('bad submit: invalid address', async () => {
			await form.locator('#link-email').fill('keine-adresse');
			await form.getByRole('button', { name: 'Anmeldelink senden' }).click();
			await expectFieldError(v, 'link-email', 'Bitte geben Sie eine gültige E-Mail-Adresse ein');
			await expect(form.locator('#link-email')).toHaveValue('keine-adresse');
			await expect(v.locator('#pw-email-error')).toHaveCount(0);
			await expect(v.getByText('Bitte prüfen Sie Ihr Postfach')).toHaveCount(0);
			await expectAccessible(v);
		});

		await test.step('request the link', async () => {
			await form.locator('#link-email').fill(account.email);
			await form.getByRole('button', { name: 'Anmeldelink senden' }).click();
			await expect(v.getByText('Bitte prüfen Sie Ihr Postfach')).toBeVisible();
			await expect(v.getByText('Wenn zu dieser Adresse ein Konto gehört, ist ein Anmeldelink unterwegs.')).toBeVisible();
			await expectAccessible(v);
		});

		const mail = await mails.waitForMail(account.email, 'Ihr Anmeldelink für Klimanetz');
		const link = mail.link('/api/auth/magic-link/verify');

		await test.step('the link signs in', async () => {
			await signInAs(v, link);
			await expectSignedInAs(v, account.email);
			await expectAccessible(v);
		});

		await test.step('the second use is refused with a German message', async () => {
			const { page: w } = await newVisitor(browser);
			await w.goto(link);
			await expect(w).toHaveURL(/\/anmelden\?(.*&)?fehler=/);
			await expect(w.getByRole('main')).toContainText('Der Anmeldelink ist ungültig, abgelaufen oder wurde schon benutzt.');
			await expectAccessible(w);
			await expectSignedOut(w);
		});
	});

	test('mit dem Passwort aus der Einladung; ein falsches Passwort wird abgewiesen', async ({ page, browser, mails, expectAccessible }) => {
		const account = await createHarzAccount(page, browser, mails, { prefix: 'passwort', role: 'partner' });
		const { page: v } = await newVisitor(browser);
		await v.goto('/anmelden');
		const form = v.locator('form[action="?/passwort"]');

		await test.step('bad submit: invalid address, no password', async () => {
			await submitPasswordSignIn(v, 'keine-adresse', '');
			await expectFieldError(v, 'pw-email', 'Bitte geben Sie eine gültige E-Mail-Adresse ein');
			await expectFieldError(v, 'pw-password', 'Bitte füllen Sie dieses Feld aus.');
			await expect(form.locator('#pw-email')).toHaveValue('keine-adresse');
			await expectAccessible(v);
		});

		await test.step('wrong password', async () => {
			await submitPasswordSignIn(v, account.email, 'ganz falsches Passwort');
			await expectFieldError(v, 'pw-password', WRONG_CREDENTIALS);
			await expect(form.locator('#pw-email')).toHaveValue(account.email);
			await expect(v).toHaveURL(/\/anmelden/);
			await expectAccessible(v);
		});

		await test.step('right password', async () => {
			await submitPasswordSignIn(v, account.email, account.password);
			await expect(v).not.toHaveURL(/\/anmelden/);
			await expectSignedInAs(v, account.email);
		});
	});

	test('wird nach zu vielen falschen Passwörtern vorübergehend gesperrt', async ({ browser, expectAccessible }) => {
		// A unique address without an account: the lock is per address (and per IP with a higher limit).
		const email = uniqueEmail('gesperrt');
		const { page } = await newVisitor(browser);
		await page.goto('/anmelden');
		const form = page.locator('form[action="?/passwort"]');
		for (let i = 1; i <= 5; i++) {
			await submitAndWait(page, () => submitPasswordSignIn(page, email, `falsch ${i} falsch`));
			await expectFieldError(page, 'pw-password', WRONG_CREDENTIALS);
		}
		await expect(page.getByText('Zu viele Versuche')).toHaveCount(0);

		await submitAndWait(page, () => submitPasswordSignIn(page, email, 'falsch 6 falsch'));
		await expect(page.getByText('Zu viele Versuche')).toBeVisible();
		await expect(page.getByRole('main')).toContainText(/Bitte versuchen Sie es in (\d+ Minuten|einer Minute) erneut\./);
		await expect(form.locator('#pw-email')).toHaveValue(email);
		await expectAccessible(page);
	});

	test('setzt das Passwort zurück und meldet sich mit dem neuen an', async ({ page, browser, mails, expectAccessible }) => {
		const account = await createHarzAccount(page, browser, mails, { prefix: 'reset', role: 'member', bodies: [THALE.name] });
		const { page: v } = await newVisitor(browser);

		await test.step('request the reset', async () => {
			await v.goto('/anmelden');
			await v.getByRole('link', { name: 'Passwort vergessen?' }).click();
			await expect(v).toHaveURL(/\/passwort-vergessen$/);
			await expect(v.getByRole('heading', { level: 1 })).toHaveText('Passwort vergessen');
			await expectAccessible(v);

			await v.getByLabel('E-Mail-Adresse').fill('keine-adresse');
			await v.getByRole('button', { name: 'Link anfordern' }).click();
			await expectFieldError(v, 'f-email', 'Bitte geben Sie eine gültige E-Mail-Adresse ein');
			await expect(v.getByLabel('E-Mail-Adresse')).toHaveValue('keine-adresse');
			await expect(v.getByText('Bitte prüfen Sie Ihr Postfach')).toHaveCount(0);
			await expectAccessible(v);

			await v.getByLabel('E-Mail-Adresse').fill(account.email);
			await v.getByRole('button', { name: 'Link anfordern' }).click();
			await expect(v.getByText('Bitte prüfen Sie Ihr Postfach')).toBeVisible();
		});

		const mail = await mails.waitForMail(account.email, 'Passwort für Klimanetz zurücksetzen');

		await test.step('set a new password', async () => {
			await v.goto(mail.link('/reset-password/'));
			await expect(v).toHaveURL(/\/passwort-neu\?token=/);
			await expect(v.getByRole('heading', { level: 1 })).toHaveText('Neues Passwort festlegen');
			await expectAccessible(v);

			await v.getByLabel('Neues Passwort').fill('kurz');
			await v.getByLabel('Passwort wiederholen').fill('kurz');
			await v.getByRole('button', { name: 'Passwort speichern' }).click();
			await expectFieldError(v, 'f-password', 'Das Passwort muss mindestens 10 Zeichen lang sein.');
			await expectAccessible(v);

			await v.getByLabel('Neues Passwort').fill(NEW_PASSWORD);
			await v.getByLabel('Passwort wiederholen').fill(`${NEW_PASSWORD}.`);
			await v.getByRole('button', { name: 'Passwort speichern' }).click();
			await expectFieldError(v, 'f-passwordRepeat', 'Die beiden Passwörter stimmen nicht überein.');

			await v.getByLabel('Neues Passwort').fill(NEW_PASSWORD);
			await v.getByLabel('Passwort wiederholen').fill(NEW_PASSWORD);
			await v.getByRole('button', { name: 'Passwort speichern' }).click();
			await expect(v).toHaveURL(/\/anmelden(\?|$)/);
			await expect(v.getByRole('main')).toContainText('Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an.');
			await expectAccessible(v);
		});

		await test.step('the old password no longer works, the new one does', async () => {
			await submitPasswordSignIn(v, account.email, PASSWORD);
			await expectFieldError(v, 'pw-password', WRONG_CREDENTIALS);
			await submitPasswordSignIn(v, account.email, NEW_PASSWORD);
			await expect(v).not.toHaveURL(/\/anmelden/);
			await expectSignedInAs(v, account.email);
		});

		await test.step('the session from before the reset has ended', async () => {
			await expectSignedOut(account.page);
		});
	});

	test('meldet sich überall ab', async ({ page, browser, mails, expectAccessible }) => {
		const account = await createHarzAccount(page, browser, mails, { prefix: 'ueberall', role: 'partner' });
		// A second session on another "device".
		const { page: other } = await newVisitor(browser);
		await other.goto('/anmelden');
		await submitPasswordSignIn(other, account.email, account.password);
		await expect(other).not.toHaveURL(/\/anmelden/);
		await expectSignedInAs(other, account.email);

		await expectSignedInAs(account.page, account.email);
		await expectAccessible(account.page);
		await account.page.getByRole('button', { name: 'Überall abmelden' }).click();
		await expect(account.page).toHaveURL(/\/anmelden(\?|$)/);
		await expect(account.page.getByRole('main')).toContainText('Sie wurden auf allen Geräten abgemeldet.');
		await expectAccessible(account.page);

		await expectSignedOut(account.page);
		await expectSignedOut(other);
	});

	test('lädt die eigenen Daten herunter, ändert den Namen und löscht das Konto', async ({
		page,
		browser,
		mails,
		expectAccessible,
		submitXssPayload
	}) => {
		const account = await createHarzAccount(page, browser, mails, { prefix: 'loeschen', role: 'member', bodies: [THALE.name] });
		const p = account.page;
		await expectSignedInAs(p, account.email);
		await expect(p.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
		await expectAccessible(p);

		await test.step('export as JSON', async () => {
			const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Daten herunterladen (JSON)' }).click()]);
			expect(download.suggestedFilename()).toMatch(/^klimanetz-meine-daten-\d{4}-\d{2}-\d{2}\.json$/);
			const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
				account: { email: string; name: string };
				memberships: { slug: string; role: string; bodies: string[] }[];
			};
			expect(data.account.email).toBe(account.email);
			expect(data.account.name).toBe(account.name);
			expect(data.memberships).toContainEqual(expect.objectContaining({ slug: 'harz', role: 'member', bodies: [THALE.name] }));
		});

		const nameForm = p.locator('form[action="?/name"]');
		await test.step('rename: empty name is refused, markup is stored as text', async () => {
			await nameForm.getByLabel('Name').fill('');
			await nameForm.getByRole('button', { name: 'Speichern' }).click();
			await expectFieldError(p, 'f-name', 'Bitte füllen Sie dieses Feld aus.');
			await expect(nameForm.getByLabel('Name')).toHaveValue('');
			await expectAccessible(p);
			await p.goto('/konto');
			await expect(nameForm.getByLabel('Name')).toHaveValue(account.name);

			await submitXssPayload(nameForm);
			await p.goto('/konto');
			await expect(nameForm.getByLabel('Name')).toHaveValue(XSS_PAYLOAD);
			await nameForm.getByLabel('Name').fill(`${account.name} (umbenannt)`);
			await nameForm.getByRole('button', { name: 'Speichern' }).click();
			await expect(p.getByText('Gespeichert.')).toBeVisible();
			await p.goto('/konto');
			await expect(nameForm.getByLabel('Name')).toHaveValue(`${account.name} (umbenannt)`);
		});

		const deleteForm = p.locator('form[action="?/loeschen"]');
		await test.step('wrong confirmation keeps the account', async () => {
			await deleteForm.getByLabel(/Zur Bestätigung/).fill('falsch@example.org');
			await deleteForm.getByRole('button', { name: 'Konto endgültig löschen' }).click();
			await expectFieldError(p, 'f-confirmEmail', 'Die Adresse stimmt nicht mit Ihrem Konto überein. Das Konto wurde nicht gelöscht.');
			await expect(deleteForm.getByLabel(/Zur Bestätigung/)).toHaveValue('falsch@example.org');
			await expectAccessible(p);
			await expectSignedInAs(p, account.email);
		});

		await test.step('right confirmation deletes the account and signs out', async () => {
			await deleteForm.getByLabel(/Zur Bestätigung/).fill(account.email);
			await deleteForm.getByRole('button', { name: 'Konto endgültig löschen' }).click();
			await expect(p).toHaveURL(/\/\?konto=geloescht$/);
			await expect(p.getByRole('main')).toContainText('Ihr Konto ist gelöscht.');
			await expect(p.getByRole('banner').getByRole('link', { name: 'Anmelden' })).toBeVisible();
			await expectAccessible(p);
			await expectSignedOut(p);
		});

		await test.step('the password no longer signs in', async () => {
			const { page: v } = await newVisitor(browser);
			await v.goto('/anmelden');
			await submitPasswordSignIn(v, account.email, account.password);
			await expectFieldError(v, 'pw-password', WRONG_CREDENTIALS);
		});

		await test.step('the coordinator no longer sees the person among the members', async () => {
			await page.goto('/harz/intern/mitglieder');
			const members = page.locator('section[aria-labelledby="members"]');
			await expect(members.getByRole('table')).toBeVisible();
			await expect(members).not.toContainText(account.email);
			await expect(members).not.toContainText(account.name);
		});
	});
});
