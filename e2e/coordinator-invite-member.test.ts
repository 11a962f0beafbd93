// The coordinator invites a member for Thale; the member creates an account from the mailed link,
// edits Thale (and only Thale), and the coordinator sees the change in the audit log.
// Runs with and without JavaScript, each time with its own addresses.
import { test, expect, XSS_PAYLOAD } from './support/fixtures';
import {
	closeContexts,
	deNumber,
	expectFieldError,
	expectErrorSummaryLinks,
	expectForbidden,
	expectGroupError,
	formPostHeaders,
	HALBERSTADT,
	newVisitor,
	PASSWORD,
	THALE,
	uniqueEmail,
	uniqueId
} from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const NETWORK_NAME = 'Netzwerk Klimaschutzmanager Landkreis Harz';

test.describe('Koordination lädt ein Mitglied ein', () => {
	test('Mitglied für Thale: Einladung, Konto, eigene Kommune bearbeiten, Protokoll, fremde Kommune gesperrt', async ({
		page,
		browser,
		mails,
		expectAccessible,
		submitXssPayload
	}) => {
		const email = uniqueEmail('mitglied');
		const name = `Mia Muster ${uniqueId()}`;
		const invite = page.locator('form[action="?/einladen"]');
		const emailField = invite.getByLabel('E-Mail-Adresse');
		const nameField = invite.getByLabel(/^Name/);
		const roleField = invite.getByLabel('Rolle');
		const submit = invite.getByRole('button', { name: 'Einladung senden' });

		await test.step('the members page', async () => {
			const res = await page.goto('/harz/intern/mitglieder');
			expect(res?.status()).toBe(200);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mitglieder und Einladungen');
			await expectAccessible(page);
		});

		await test.step('bad submit: invalid address, member without a municipality', async () => {
			await emailField.fill('keine-adresse');
			await nameField.fill(name);
			await roleField.selectOption('member');
			await submit.click();
			await expect(page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie Ihre Eingaben' })).toBeVisible();
			await expectFieldError(page, 'f-email', 'Bitte geben Sie eine gültige E-Mail-Adresse ein');
			await expectGroupError(page, 'bodyIds', 'Ein Mitglied vertritt mindestens eine Kommune. Bitte wählen Sie eine aus.');
			await expectErrorSummaryLinks(page);
			await expect(emailField).toHaveValue('keine-adresse');
			await expect(nameField).toHaveValue(name);
			await expect(roleField).toHaveValue('member');
			await expectAccessible(page);

			// A second bad submit with two municipalities ticked: both stay ticked.
			await invite.getByRole('checkbox', { name: THALE.name, exact: true }).check();
			await invite.getByRole('checkbox', { name: HALBERSTADT.name, exact: true }).check();
			await submit.click();
			await expectFieldError(page, 'f-email', 'Bitte geben Sie eine gültige E-Mail-Adresse ein');
			await expect(emailField).toHaveValue('keine-adresse');
			// Soft: input lost here is a bug to report, but the flow can go on.
			await expect.soft(invite.getByRole('checkbox', { name: THALE.name, exact: true }), 'ticked municipalities are kept').toBeChecked();
			await expect.soft(invite.getByRole('checkbox', { name: HALBERSTADT.name, exact: true }), 'ticked municipalities are kept').toBeChecked();

			// Nothing sent, nothing listed (other flows may run alongside: only this invitation's mails count).
			expect((await mails.list()).filter((m) => m.text.includes(name) || m.envelopeTo.some((to) => to.includes('keine-adresse')))).toHaveLength(0);
			await page.goto('/harz/intern/mitglieder');
			await expect(page.locator('section[aria-labelledby="invitations"]')).not.toContainText('keine-adresse');
		});

		await test.step('the invitation form stores the name as text', async () => {
			const xssEmail = uniqueEmail('xss-einladung');
			await submitXssPayload(invite, { values: { email: xssEmail, role: 'partner' } });
			await expect(page.getByText(`Die Einladung an ${xssEmail} ist verschickt.`)).toBeVisible();
			const mail = await mails.waitForMail(xssEmail, 'Einladung');
			const visitor = await newVisitor(browser);
			await visitor.page.goto(mail.link('/einladung/'));
			await expect(visitor.page.getByLabel('Ihr Name')).toHaveValue(XSS_PAYLOAD);
			expect(await visitor.page.evaluate(() => typeof (window as unknown as { __xss?: unknown }).__xss)).toBe('undefined');
			await visitor.context.close();
		});

		await test.step('invite the member for Thale', async () => {
			await page.goto('/harz/intern/mitglieder');
			await emailField.fill(email);
			await nameField.fill(name);
			await roleField.selectOption('member');
			await invite.getByRole('checkbox', { name: THALE.name, exact: true }).check();
			await submit.click();
			await expect(page.getByText(`Die Einladung an ${email} ist verschickt.`)).toBeVisible();
			await expectAccessible(page);
			await page.goto('/harz/intern/mitglieder');
			const row = page.locator('section[aria-labelledby="invitations"] tr').filter({ hasText: email });
			await expect(row).toContainText('Mitglied');
			await expect(row).toContainText('offen');
		});

		const mail = await mails.waitForMail(email, `Einladung in das ${NETWORK_NAME}`);
		expect(mail.text).toContain('als Mitglied');
		const link = mail.link('/einladung/');
		const member = await newVisitor(browser);
		const mp = member.page;

		await test.step('the invitee opens the link', async () => {
			const res = await mp.goto(link);
			expect(res?.status()).toBe(200);
			await expect(mp.getByRole('main')).toContainText(`Sie sind in das ${NETWORK_NAME} eingeladen, als Mitglied.`);
			await expect(mp.getByLabel('Ihr Name')).toHaveValue(name);
			await expectAccessible(mp);
		});

		await test.step('bad submits: password too short, then passwords that differ', async () => {
			await mp.getByLabel('Ihr Name').fill(`${name} (neu)`);
			await mp.getByLabel('Neues Passwort').fill('kurz');
			await mp.getByLabel('Passwort wiederholen').fill('kurz');
			await mp.getByRole('button', { name: 'Konto anlegen und Einladung annehmen' }).click();
			await expectFieldError(mp, 'f-password', 'Das Passwort muss mindestens 10 Zeichen lang sein.');
			await expectErrorSummaryLinks(mp);
			await expect(mp.getByLabel('Ihr Name')).toHaveValue(`${name} (neu)`);
			await expectAccessible(mp);

			await mp.getByLabel('Ihr Name').fill(name);
			await mp.getByLabel('Neues Passwort').fill(PASSWORD);
			await mp.getByLabel('Passwort wiederholen').fill(`${PASSWORD}!`);
			await mp.getByRole('button', { name: 'Konto anlegen und Einladung annehmen' }).click();
			await expectFieldError(mp, 'f-passwordRepeat', 'Die beiden Passwörter stimmen nicht überein.');
			await expect(mp.getByLabel('Ihr Name')).toHaveValue(name);
			// Still no account: the invitation still offers to create one.
			await mp.goto(link);
			await expect(mp.getByRole('heading', { name: 'Konto anlegen' })).toBeVisible();
		});

		await test.step('create the account and land in the working area', async () => {
			await mp.getByLabel('Neues Passwort').fill(PASSWORD);
			await mp.getByLabel('Passwort wiederholen').fill(PASSWORD);
			await mp.getByRole('button', { name: 'Konto anlegen und Einladung annehmen' }).click();
			await expect(mp).toHaveURL(/\/harz\/intern$/);
			await expect(mp.getByRole('heading', { name: 'Meine Kommune', exact: true })).toBeVisible();
			const mine = mp.locator('section[aria-labelledby="mine-heading"]');
			await expect(mine.getByRole('link', { name: THALE.name, exact: true })).toHaveAttribute('href', `/harz/intern/kommunen/${THALE.ags}`);
			await expect(mine.getByRole('link', { name: `Daten von ${THALE.name} bearbeiten` })).toBeVisible();
			await expectAccessible(mp);
		});

		const edit = mp.locator('form[action="?/update"]');
		const population = edit.getByLabel(/^Einwohnerzahl/);
		const save = edit.getByRole('button', { name: 'Speichern' });
		let before = 0;

		await test.step('open the edit form of Thale', async () => {
			await mp.locator('section[aria-labelledby="mine-heading"]').getByRole('link', { name: `Daten von ${THALE.name} bearbeiten` }).click();
			await expect(mp).toHaveURL(new RegExp(`/harz/intern/kommunen/${THALE.ags}/bearbeiten$`));
			await expect(mp.getByRole('heading', { level: 1 })).toHaveText(`${THALE.name} bearbeiten`);
			before = Number(await population.inputValue());
			expect(before).toBeGreaterThan(0);
			await expectAccessible(mp);
		});

		await test.step('bad submit: AGS "abc", population "-5"', async () => {
			await edit.getByLabel('Amtlicher Gemeindeschlüssel').fill('abc');
			await population.fill('-5');
			await save.click();
			await expect(mp.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie Ihre Eingaben' })).toBeVisible();
			await expectFieldError(mp, 'f-ags', 'Der Amtliche Gemeindeschlüssel hat genau 8 Ziffern');
			await expectFieldError(mp, 'f-population', 'Bitte geben Sie die Einwohnerzahl als ganze Zahl ab 0 an');
			await expectErrorSummaryLinks(mp);
			await expect(mp.locator('#f-ags')).toHaveValue('abc');
			await expect(population).toHaveValue('-5');
			await expectAccessible(mp);
			// Nothing changed.
			await mp.goto(`/harz/intern/kommunen/${THALE.ags}`);
			await expect(mp.getByRole('main')).toContainText(deNumber(before));
			await expect(mp.getByRole('main')).toContainText(`Amtlicher Gemeindeschlüssel ${THALE.ags}`);
		});

		const after = 10_000 + Math.floor(Math.random() * 80_000);
		await test.step('valid population, and the change shows', async () => {
			await mp.goto(`/harz/intern/kommunen/${THALE.ags}/bearbeiten`);
			await population.fill(String(after));
			await save.click();
			await expect(mp).toHaveURL(new RegExp(`/harz/intern/kommunen/${THALE.ags}\\?gespeichert=1$`));
			await expect(mp.getByText('Gespeichert.')).toBeVisible();
			await expect(mp.getByRole('main')).toContainText(deNumber(after));
			await expectAccessible(mp);
			const pub = await newVisitor(browser);
			await pub.page.goto(`/harz/kommunen/${THALE.ags}`);
			await expect(pub.page.getByRole('main')).toContainText(deNumber(after));
			await expectAccessible(pub.page);
		});

		await test.step('text fields of the body store a script as text', async () => {
			await mp.goto(`/harz/intern/kommunen/${THALE.ags}/bearbeiten`);
			const stored = await edit.locator('#f-verbandsgemeinde').inputValue();
			await submitXssPayload(edit, { skip: ['name', 'ags', 'population', 'populationYear', 'areaKm2', 'lat', 'lon'] });
			await expect(mp).toHaveURL(new RegExp(`/harz/intern/kommunen/${THALE.ags}\\?gespeichert=1$`));
			await expect(mp.getByRole('main')).toContainText(`Verbandsgemeinde ${XSS_PAYLOAD}`);
			await expectAccessible(mp);
			// Put Thale back as it was.
			await mp.goto(`/harz/intern/kommunen/${THALE.ags}/bearbeiten`);
			await edit.locator('#f-verbandsgemeinde').fill(stored);
			await edit.locator('#f-conceptResolution').fill('');
			await save.click();
			await expect(mp).toHaveURL(new RegExp(`/harz/intern/kommunen/${THALE.ags}\\?gespeichert=1$`));
			await expect(mp.getByRole('main')).not.toContainText('window.__xss');
		});

		await test.step('the invitation link now says it was used', async () => {
			const again = await newVisitor(browser);
			const res = await again.page.goto(link);
			expect(res?.status()).toBe(200);
			await expect(again.page.getByRole('main')).toContainText('Diese Einladung wurde schon angenommen.');
			await expect(again.page.getByLabel('Neues Passwort')).toHaveCount(0);
			await expectAccessible(again.page);
		});

		await test.step('the coordinator sees the change in the audit log', async () => {
			await page.goto('/harz/intern/protokoll');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Änderungsprotokoll');
			const entry = page
				.locator('article')
				.filter({ has: page.getByRole('heading', { name: new RegExp(`${THALE.name}.*geändert`) }) })
				.filter({ hasText: name })
				.filter({ has: page.getByRole('row', { name: /Einwohnerzahl/ }) })
				.first();
			await expect(entry).toBeVisible();
			const row = entry.getByRole('row', { name: /Einwohnerzahl/ });
			await expect(row).toContainText(deNumber(before));
			await expect(row).toContainText(deNumber(after));
			await expectAccessible(page);
		});

		await test.step('the member cannot edit Halberstadt', async () => {
			await mp.goto(`/harz/intern/kommunen/${HALBERSTADT.ags}`);
			await expect(mp.getByRole('heading', { level: 1 })).toHaveText(HALBERSTADT.name);
			await expect(mp.getByRole('link', { name: 'Daten bearbeiten' })).toHaveCount(0);
			await expect(mp.locator(`a[href$="/kommunen/${HALBERSTADT.ags}/bearbeiten"]`)).toHaveCount(0);
			await expectAccessible(mp);
			const facts = await mp.locator('section[aria-labelledby="facts-heading"]').innerText();

			await expectForbidden(mp, `/harz/intern/kommunen/${HALBERSTADT.ags}/bearbeiten`);

			const res = await mp.request.post(`/harz/intern/kommunen/${HALBERSTADT.ags}/bearbeiten?/update`, {
				headers: formPostHeaders(),
				form: { name: 'Gekapert', kind: 'stadt', ags: HALBERSTADT.ags, population: '1', populationYear: '2023', conceptStatus: 'none' },
				maxRedirects: 0
			});
			expect(res.status(), 'a member posting to another body\'s edit action').toBe(403);
			expect(await res.text()).toContain('Kein Zugriff');

			await mp.goto(`/harz/intern/kommunen/${HALBERSTADT.ags}`);
			await expect(mp.getByRole('heading', { level: 1 })).toHaveText(HALBERSTADT.name);
			expect(await mp.locator('section[aria-labelledby="facts-heading"]').innerText()).toBe(facts);
		});
	});
});
