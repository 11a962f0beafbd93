// A member proposes a joint activity for the town (an empty title first), a member of another
// town joins it through the activity's page, and both towns are listed as taking part; the list
// filtered by the second town finds it. Runs with and without JavaScript; each project uses its own towns.
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount, expectFieldError, uniqueId } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const TOWNS = { js: ['Hedersleben', 'Groß Quenstedt'], nojs: ['Blankenburg (Harz)', 'Ilsenburg (Harz)'] } as const;

test('Ein Mitglied schlägt eine gemeinsame Aktivität vor, eine zweite Kommune tritt bei', async ({ page, browser, mails, expectAccessible }, testInfo) => {
	test.slow();
	const [townA, townB] = TOWNS[testInfo.project.name as keyof typeof TOWNS];
	const title = `Gemeinsamer Klimaaktionstag ${uniqueId()}`;
	const a = await createHarzAccount(page, browser, mails, { prefix: 'aktiv-a', role: 'member', bodies: [townA] });
	const b = await createHarzAccount(page, browser, mails, { prefix: 'aktiv-b', role: 'member', bodies: [townB] });
	let activityUrl = '';

	await test.step(`${townA} proposes the activity: an empty title first`, async () => {
		const p = a.page;
		await p.goto('/harz/intern/aktivitaeten');
		await expectAccessible(p);
		await p.getByRole('link', { name: 'Aktivität vorschlagen' }).click();
		await expectAccessible(p);
		await p.locator('#f-description').fill('Ein Aktionstag in allen beteiligten Orten mit **Energieberatung** auf dem Marktplatz.');
		await p.getByRole('button', { name: 'Vorschlagen' }).click();
		await expectFieldError(p, 'f-title', /Bitte/);
		await expect(p.locator('#f-description')).toHaveValue(/Energieberatung/);
		await expectAccessible(p);
		await p.locator('#f-title').fill(title);
		await p.getByRole('button', { name: 'Vorschlagen' }).click();
		await expect(p.getByRole('heading', { level: 1 })).toHaveText(title);
		await expect(p.getByText('Die Aktivität ist angelegt.')).toBeVisible();
		activityUrl = new URL(p.url()).pathname;
		const towns = p.locator('section', { has: p.getByRole('heading', { name: 'Teilnehmende Kommunen' }) });
		await expect(towns).toContainText(townA);
		await expectAccessible(p);
	});

	await test.step(`${townB} joins`, async () => {
		const p = b.page;
		await p.goto(activityUrl);
		await p.getByRole('button', { name: `Für ${townB} beitreten` }).click();
		await expect(p.getByText('Die Kommune nimmt jetzt teil.')).toBeVisible();
		const towns = p.locator('section', { has: p.getByRole('heading', { name: 'Teilnehmende Kommunen' }) });
		await expect(towns).toContainText(townA);
		await expect(towns).toContainText(townB);
		await expect(p.getByRole('button', { name: `Für ${townB} austreten` })).toBeVisible();
		await expectAccessible(p);
	});

	await test.step('the list filtered by the second town finds it', async () => {
		const p = a.page;
		await p.goto('/harz/intern/aktivitaeten');
		await p.locator('#f-kommune, select[name="kommune"]').first().selectOption({ label: townB });
		await p.getByRole('button', { name: /anzeigen|anwenden|Filter/i }).first().click();
		await expect(p.getByRole('link', { name: title })).toBeVisible();
		await expectAccessible(p);
	});
});
