// Steps several flows share: unique test data, fresh browser contexts, inviting people into a
// network and creating their accounts, checking field errors and 403 pages.
//
//   const email = uniqueEmail('mitglied');                     // unique per project and run
//   await inviteToNetwork(page, { email, role: 'member', bodies: ['Thale'] });   // as coordinator
//   const mail = await mails.waitForMail(email, 'Einladung');
//   const invitee = await newVisitor(browser);                 // no session, same project options
//   await registerByInvitation(invitee.page, mail.link('/einladung/'), { name, password: PASSWORD });
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { expectAccessible, type Mails } from './fixtures';
import { readState } from './state';

/** A password the app accepts (at least 10 characters). */
export const PASSWORD = 'Ein Satz aus vielen Wörtern 2024';

export const HARZ = 'harz';
export const THALE = { ags: '15085330', name: 'Thale' };
export const HALBERSTADT = { ags: '15085135', name: 'Halberstadt' };

/** A short id unique per project and run, e.g. `js-m1x2y3-4821`. */
export function uniqueId(): string {
	return `${test.info().project.name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
}

/** A unique address, e.g. `mitglied-js-m1x2y3-4821@example.org`. */
export function uniqueEmail(prefix: string): string {
	return `${prefix}-${uniqueId()}@example.org`;
}

/** German number format as the app shows it (16868 -> "16.868"). */
export function deNumber(n: number): string {
	return new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 }).format(n);
}

/**
 * A new browser context without any session, with the project's options (JavaScript on or off,
 * locale, base URL). Close it with closeContexts() after the test.
 */
export async function newVisitor(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
	// Without an explicit storageState, a new context would inherit the test's signed-in session.
	const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
	opened.push(context);
	return { context, page: await context.newPage() };
}

const opened: BrowserContext[] = [];

/** Closes the contexts opened by newVisitor/newSignedInContext: `test.afterEach(closeContexts)`. */
export async function closeContexts(): Promise<void> {
	await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
}

/** A new context signed in with a session global setup prepared (accounts.ts). */
export async function newSignedInContext(browser: Browser, account: string): Promise<{ context: BrowserContext; page: Page }> {
	const file = readState().storageStates[account];
	if (!file) throw new Error(`No signed-in session for account "${account}"`);
	const context = await browser.newContext({ storageState: file });
	opened.push(context);
	return { context, page: await context.newPage() };
}

/** Headers for a POST sent with `page.request`: SvelteKit refuses form posts without a same-origin Origin. */
export function formPostHeaders(): Record<string, string> {
	return { origin: readState().baseURL, accept: 'text/html' };
}

/**
 * The error of one form field is beside it: inside the field's `.kern-form-input`, referenced by the
 * input's aria-describedby, and the input is marked invalid.
 */
export async function expectFieldError(scope: Page | Locator, fieldId: string, message: string | RegExp): Promise<void> {
	const input = scope.locator(`#${fieldId}`);
	await expect(input, `field #${fieldId}`).toHaveAttribute('aria-invalid', 'true');
	await expect(input).toHaveAttribute('aria-describedby', new RegExp(`(^|\\s)${fieldId}-error(\\s|$)`));
	const wrapper = scope.locator('.kern-form-input').filter({ has: scope.locator(`#${fieldId}`) });
	const error = wrapper.locator(`#${fieldId}-error`);
	await expect(error).toBeVisible();
	await expect(error).toContainText(message);
}

/** Every link in a form's error summary leads to an element on the page (the field to fix). */
export async function expectErrorSummaryLinks(page: Page): Promise<void> {
	const summary = page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie Ihre Eingaben' });
	await expect(summary).toBeVisible();
	const hrefs = await summary.locator('a[href^="#"]').evaluateAll((links) => links.map((l) => l.getAttribute('href') ?? ''));
	expect(hrefs.length, 'links in the error summary').toBeGreaterThan(0);
	for (const href of hrefs) {
		// Soft: a dead link is a bug to report, but the flow can go on.
		await expect.soft(page.locator(`[id="${href.slice(1)}"]`), `target of the error summary link ${href}`).toHaveCount(1);
	}
}

/** No error beside the field. */
export async function expectNoFieldError(scope: Page | Locator, fieldId: string): Promise<void> {
	await expect(scope.locator(`#${fieldId}-error`)).toHaveCount(0);
	await expect(scope.locator(`#${fieldId}`)).not.toHaveAttribute('aria-invalid', 'true');
}

/** The error of a group of checkboxes is inside its fieldset, which refers to it. */
export async function expectGroupError(scope: Page | Locator, name: string, message: string | RegExp): Promise<void> {
	const fieldset = scope.locator('fieldset').filter({ has: scope.locator(`input[name="${name}"]`) });
	await expect(fieldset).toHaveAttribute('aria-describedby', `${name}-error`);
	const error = fieldset.locator(`#${name}-error`);
	await expect(error).toBeVisible();
	await expect(error).toContainText(message);
}

/** Opens `path`, expects the German 403 page (status, heading, text) and checks it with axe. */
export async function expectForbidden(page: Page, path: string): Promise<void> {
	await test.step(`403 for ${path}`, async () => {
		const res = await page.goto(path);
		expect(res?.status(), `${path} answered ${res?.status()}`).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kein Zugriff');
		await expect(page.getByRole('main')).toContainText('Für diese Seite fehlt Ihnen die Berechtigung.');
		await expectAccessible(page);
	});
}

export type Role = 'member' | 'partner' | 'coordinator';

/**
 * As a coordinator of `network`: invites a person on the members page and waits for the success
 * message. `bodies` are the labels of the municipalities to tick.
 */
export async function inviteToNetwork(
	page: Page,
	opts: { email: string; name?: string; role: Role; bodies?: string[]; network?: string }
): Promise<void> {
	await test.step(`invite ${opts.email} as ${opts.role}`, async () => {
		await page.goto(`/${opts.network ?? HARZ}/intern/mitglieder`);
		const form = page.locator('form[action="?/einladen"]');
		await form.getByLabel('E-Mail-Adresse').fill(opts.email);
		await form.getByLabel(/^Name/).fill(opts.name ?? '');
		await form.getByLabel('Rolle').selectOption(opts.role);
		for (const b of opts.bodies ?? []) await form.getByRole('checkbox', { name: b, exact: true }).check();
		await form.getByRole('button', { name: 'Einladung senden' }).click();
		await expect(page.getByText(`Die Einladung an ${opts.email} ist verschickt.`)).toBeVisible();
	});
}

/**
 * With JavaScript: waits until the page has hydrated (the root layout sets html[data-hydrated]);
 * fields filled before that may be reset on a busy machine. Without JavaScript there is nothing to wait for.
 */
export async function waitForHydration(page: Page): Promise<void> {
	if (test.info().project.use.javaScriptEnabled === false) return;
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** On an invitation page without a session: creates the account and lands in the working area. */
export async function registerByInvitation(page: Page, link: string, opts: { name: string; password?: string; network?: string }): Promise<void> {
	await test.step('create account from invitation', async () => {
		await page.goto(link);
		await expect(page.getByRole('heading', { name: 'Konto anlegen' })).toBeVisible();
		await waitForHydration(page);
		await page.getByLabel('Ihr Name').fill(opts.name);
		await page.getByLabel('Neues Passwort').fill(opts.password ?? PASSWORD);
		await page.getByLabel('Passwort wiederholen').fill(opts.password ?? PASSWORD);
		await page.getByRole('button', { name: 'Konto anlegen und Einladung annehmen' }).click();
		const target = new RegExp(`/${opts.network ?? HARZ}/intern$`);
		await page.waitForURL(target, { timeout: 10_000 }).catch(async () => {
			const shown = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
			throw new Error(`Creating the account did not lead to ${target}: landed on ${page.url()} showing "${shown}"`);
		});
	});
}

export interface CreatedAccount {
	email: string;
	name: string;
	password: string;
	/** Signed in right after creating the account. */
	context: BrowserContext;
	page: Page;
}

/**
 * Invites a new person into the Harz network (coordinator `page`), waits for the mail and creates
 * the account in a fresh context, which stays signed in.
 */
export async function createHarzAccount(
	page: Page,
	browser: Browser,
	mails: Mails,
	opts: { prefix: string; role: Role; bodies?: string[]; name?: string }
): Promise<CreatedAccount> {
	const email = uniqueEmail(opts.prefix);
	const name = opts.name ?? `Test ${opts.prefix} ${uniqueId()}`;
	await inviteToNetwork(page, { email, name, role: opts.role, bodies: opts.bodies });
	const mail = await mails.waitForMail(email, 'Einladung');
	const { context, page: own } = await newVisitor(browser);
	await registerByInvitation(own, mail.link('/einladung/'), { name });
	return { email, name, password: PASSWORD, context, page: own };
}

/** Fills and submits the password form on /anmelden (the page must be open). */
export async function submitPasswordSignIn(page: Page, email: string, password: string): Promise<void> {
	const form = page.locator('form[action="?/passwort"]');
	await form.locator('#pw-email').fill(email);
	await form.locator('#pw-password').fill(password);
	await form.getByRole('button', { name: 'Anmelden' }).click();
}

/** Whether the context's session is gone: /konto sends the browser to /anmelden. */
export async function expectSignedOut(page: Page): Promise<void> {
	await page.goto('/konto');
	await expect(page).toHaveURL(/\/anmelden(\?|$)/);
}

/** Signed in as `email`: /konto shows the address. */
export async function expectSignedInAs(page: Page, email: string): Promise<void> {
	await page.goto('/konto');
	await expect(page).toHaveURL(/\/konto$/);
	await expect(page.getByRole('main')).toContainText(`E-Mail-Adresse: ${email}`);
}
