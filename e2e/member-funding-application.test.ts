// The coordinator adds an application window to the Kommunalrichtlinie (a window that ends before
// it starts first), a member records the town's application for it (a negative amount first), and
// the funding calendar lists the deadline with the town. The member's private calendar link
// carries the deadline as an iCalendar feed until it is revoked. Runs with and without JavaScript;
// each project uses its own town and deadline.
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount, expectFieldError } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const CASES = {
	js: { town: 'Wegeleben', closes: '2027-04-30', closesText: '30. April 2027', month: 'April 2027' },
	nojs: { town: 'Harsleben', closes: '2027-05-31', closesText: '31. Mai 2027', month: 'Mai 2027' }
} as const;

test('Eine Kommune erfasst einen Förderantrag, der Förderkalender und der Kalender-Link zeigen die Frist', async ({ page, browser, mails, expectAccessible }, testInfo) => {
	test.slow();
	const c = CASES[testInfo.project.name as keyof typeof CASES];
	let programmeUrl = '';

	await test.step('the coordinator opens the Kommunalrichtlinie 4.1.8', async () => {
		await page.goto('/harz/intern/foerderung');
		await expectAccessible(page);
		await page.getByRole('link', { name: /Kommunalrichtlinie/ }).first().click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Kommunalrichtlinie');
		await expect(page.getByRole('main')).toContainText('4.1.8');
		await expect(page.getByRole('main')).toContainText('90 %');
		programmeUrl = new URL(page.url()).pathname;
		await expectAccessible(page);
	});

	await test.step('a window that ends before it starts is refused, then the window is added', async () => {
		if (testInfo.project.name === 'js') await page.getByText('Antragsfenster hinzufügen').click();
		else await page.locator('summary', { hasText: 'Antragsfenster hinzufügen' }).click();
		await page.locator('#w-opensOn').fill('2027-06-01');
		await page.locator('#w-closesOn').fill(c.closes);
		await page.getByRole('button', { name: 'Hinzufügen' }).click();
		await expectFieldError(page, 'w-closesOn', 'Das Ende des Antragsfensters liegt vor seinem Beginn.');
		await expectAccessible(page);
		await page.locator('#w-opensOn').fill('2027-01-15');
		await page.getByRole('button', { name: 'Hinzufügen' }).click();
		await expect(page.getByText('Das Antragsfenster wurde hinzugefügt.')).toBeVisible();
	});

	const member = await createHarzAccount(page, browser, mails, { prefix: 'foerder', role: 'member', bodies: [c.town] });
	const p = member.page;
	let applicationUrl = '';

	await test.step('the member records the application: a negative amount first', async () => {
		await p.goto(programmeUrl);
		await p.getByRole('link', { name: 'Antrag erfassen' }).first().click();
		await expect(p).toHaveURL(/\/antraege\/neu\?programm=/);
		await expectAccessible(p);
		await p.locator('#f-title').fill('Anschlussvorhaben Klimaschutzmanagement');
		await p.locator('#f-state').selectOption('preparing');
		await p.locator('#f-windowId').selectOption({ label: `15. Januar 2027 bis ${c.closesText}` });
		await p.locator('#f-requestedEur').fill('-100');
		await p.getByRole('button', { name: 'Antrag speichern' }).click();
		await expectFieldError(p, 'f-requestedEur', /ab 0 Euro/);
		await expect(p.locator('#f-title')).toHaveValue('Anschlussvorhaben Klimaschutzmanagement');
		await expectAccessible(p);
		await p.locator('#f-requestedEur').fill('120.000');
		await p.getByRole('button', { name: 'Antrag speichern' }).click();
		await expect(p).toHaveURL(/\/antraege\/[0-9a-f-]{36}/);
		await expect(p.getByRole('main')).toContainText('120.000');
		applicationUrl = new URL(p.url()).pathname;
		await expectAccessible(p);
	});

	await test.step('the funding calendar lists the deadline with the town', async () => {
		await p.goto('/harz/intern/foerderung/kalender');
		await expectAccessible(p);
		const month = p.getByRole('region', { name: c.month }).or(p.locator('section', { has: p.getByRole('heading', { name: c.month }) }));
		const deadline = month.getByRole('listitem').filter({ hasText: c.closesText }).filter({ hasText: 'Kommunalrichtlinie' });
		await expect(deadline.first()).toContainText(c.town);
		await expect(deadline.first()).toContainText('bereitet den Antrag vor');
		expect(applicationUrl).toMatch(/antraege/);
	});

	await test.step('the private calendar link carries the deadline until it is revoked', async () => {
		await p.getByRole('button', { name: 'Privaten Kalender-Link erstellen' }).click();
		const link = await p.getByLabel('Kalender-Link (https)').inputValue();
		expect(link).toMatch(/^http.*\/harz\/kalender\/[A-Za-z0-9_-]{20,}\.ics$/);
		await expectAccessible(p);
		const feed = await p.request.get(link);
		expect(feed.status()).toBe(200);
		expect(feed.headers()['content-type']).toContain('text/calendar');
		const body = (await feed.text()).replace(/\r\n[ \t]/g, '');
		expect(body).toContain('BEGIN:VCALENDAR');
		expect(body).toContain(`DTSTART;VALUE=DATE:${c.closes.replace(/-/g, '')}`);
		expect(body).toContain(c.town);

		// The link is shown once; afterwards the page offers to revoke it (a confirmation step).
		await p.goto('/harz/intern/foerderung/kalender');
		await p.getByRole('link', { name: 'Link widerrufen' }).or(p.getByRole('button', { name: 'Link widerrufen', exact: true })).first().click();
		await p.getByRole('button', { name: 'Ja, Link widerrufen' }).click();
		await expect(p.getByText('Ihr Kalender-Link ist widerrufen.')).toBeVisible();
		const gone = await p.request.get(link);
		expect(gone.status()).toBe(410);
		expect(await gone.text()).toContain('widerrufen');
	});
});
