// Known XSS payloads in every text field of every form the public can fill in: sign-up (the
// display name is shown with every post), idea, comment, report, pledge and accessibility
// feedback. Each submit is checked in the browser: no script runs, no 5xx, the payload comes back
// as text only. Runs with and without JavaScript.
import { test, expect } from './support/fixtures';
import { closeContexts, uniqueEmail } from './support/flows';

test.afterEach(closeContexts);

test('Skripte in Beiträgen der Öffentlichkeit laufen nie', async ({ page, mails, submitXssPayload }) => {
	await test.step('accessibility feedback and a pledge, without an account', async () => {
		await page.goto('/barrierefreiheit');
		const feedback = page.locator('form').filter({ has: page.locator('[name=message]') });
		await submitXssPayload(feedback);
		await page.goto('/harz/zusagen');
		const pledge = page.locator('form').filter({ has: page.locator('[name=postcode]') });
		await pledge.getByRole('checkbox').first().check();
		await submitXssPayload(pledge, { values: { bodyId: 'Thale' } });
	});

	const email = uniqueEmail('xss');
	await test.step('sign-up with a script as display name', async () => {
		await page.goto('/registrieren?weiter=/harz/ideen/neu');
		const form = page.locator('form').filter({ has: page.locator('[name=consent]') });
		await submitXssPayload(form, { values: { email, groupSize: '', consent: 'on' } });
		const mail = await mails.waitForMail(email, 'Bitte bestätigen Sie Ihre E-Mail-Adresse');
		await page.goto(mail.link('/api/auth/magic-link/verify'));
		await expect(page).toHaveURL(/\/harz\/ideen\/neu/);
	});

	await test.step('an idea with scripts in every field', async () => {
		const form = page.locator('form').filter({ has: page.locator('[name=title]') });
		const result = await submitXssPayload(form, { values: { theme: 'Mobilität', bodyId: 'Thale', photoAlt: '' } });
		expect(result.status).toBeLessThan(500);
		// Stored and shown on the idea page as text.
		await expect(page).toHaveURL(/\/harz\/ideen\/[0-9a-f-]{36}/);
	});

	await test.step('a comment and a report on a published idea', async () => {
		await page.goto('/harz/ideen');
		// A published idea of someone else (the list shows the resident's own pending idea too).
		await page
			.getByRole('main')
			.locator('a[href^="/harz/ideen/"]:not([href$="/neu"])')
			.filter({ hasNotText: 'window.__xss' })
			.first()
			.click();
		await expect(page).toHaveURL(/\/harz\/ideen\/[0-9a-f-]{36}/);
		const ideaUrl = page.url();
		const comment = page.locator('form').filter({ has: page.getByRole('button', { name: 'Kommentar senden' }) });
		await submitXssPayload(comment);
		await page.goto(ideaUrl);
		await expect(page.getByRole('main')).toContainText('<script>window.__xss=1</script>');

		await page.goto(`/harz/melden?typ=idea&id=${new URL(ideaUrl).pathname.split('/').at(-1)}`);
		const report = page.locator('form').filter({ has: page.locator('[name=reason]') });
		await submitXssPayload(report, { values: { reason: 'other' } });
	});
});
