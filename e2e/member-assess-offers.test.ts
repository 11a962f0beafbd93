// A member enters an offer (bad submits first), two towns assess it with very different benefit,
// and the offer shows up flagged "zur Diskussion" in the list and in the effort/benefit matrix and
// its table. Runs with and without JavaScript; each project uses its own pair of towns.
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount, expectErrorSummaryLinks, expectFieldError, uniqueId } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const TOWNS = { js: ['Harzgerode', 'Huy'], nojs: ['Nordharz', 'Ditfurt'] } as const;

/** Fills the assessment form: effort and benefit 1–5, recommendation, cost. */
async function assess(p: Page, r: { effort: string; benefit: string; recommend: string; cost: string; text: string }) {
	await p.getByRole('group', { name: 'Aufwand' }).getByLabel(new RegExp(`^${r.effort} –`)).check();
	await p.getByRole('group', { name: 'Nutzen' }).getByLabel(new RegExp(`^${r.benefit} –`)).check();
	await p.getByRole('group', { name: /weiterempfehlen/ }).getByLabel(r.recommend, { exact: true }).check();
	await p.locator('#f-costEur').fill(r.cost);
	await p.locator('#f-experience').fill(r.text);
	await p.locator('#f-assessedOn').fill('2026-10-01');
	await p.getByRole('button', { name: 'Bewertung speichern' }).click();
}

test('Ein Mitglied trägt ein Angebot ein, zwei Kommunen bewerten es verschieden, es steht zur Diskussion', async ({ page, browser, mails, expectAccessible }, testInfo) => {
	test.slow();
	const [townA, townB] = TOWNS[testInfo.project.name as keyof typeof TOWNS];
	const title = `Heizungs-Check für Schulen ${uniqueId()}`;
	const a = await createHarzAccount(page, browser, mails, { prefix: 'angebot-a', role: 'member', bodies: [townA] });
	const b = await createHarzAccount(page, browser, mails, { prefix: 'angebot-b', role: 'member', bodies: [townB] });
	let offerUrl = '';

	await test.step('the list and the form are accessible', async () => {
		await a.page.goto('/harz/intern/angebote');
		await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Angebote');
		await expectAccessible(a.page);
		await a.page.getByRole('link', { name: 'Neues Angebot eintragen' }).click();
		await expect(a.page).toHaveURL(/\/angebote\/neu$/);
		await expectAccessible(a.page);
	});

	await test.step('an empty form and a reversed cost range are refused beside the fields', async () => {
		const p = a.page;
		await p.getByRole('button', { name: 'Angebot eintragen' }).click();
		await expectFieldError(p, 'f-title', /Bitte/);
		await expectFieldError(p, 'f-provider', /Bitte/);
		await expectErrorSummaryLinks(p);
		await expectAccessible(p);
		await p.locator('#f-title').fill(title);
		await p.locator('#f-provider').fill('Energieagentur Musterstadt GmbH');
		await p.locator('#f-kind').selectOption('consultancy');
		await p.locator('#f-priceModel').selectOption('one_off');
		await p.locator('#f-costMin').fill('5.000');
		await p.locator('#f-costMax').fill('2.000');
		await p.locator('#f-description').fill('Vor-Ort-Check der **Heizungsanlagen** aller Schulen, mit Bericht.');
		await p.getByRole('button', { name: 'Angebot eintragen' }).click();
		await expectFieldError(p, 'f-costMax', '„Kosten bis“ darf nicht kleiner sein als „Kosten von“.');
		// The input is kept.
		await expect(p.locator('#f-title')).toHaveValue(title);
		await p.locator('#f-costMax').fill('8.000');
		await p.getByRole('button', { name: 'Angebot eintragen' }).click();
		await expect(p.getByRole('heading', { level: 1 })).toHaveText(title);
		await expect(p.locator('strong', { hasText: 'Heizungsanlagen' })).toBeVisible();
		offerUrl = new URL(p.url()).pathname;
		expect(offerUrl).toMatch(/^\/harz\/intern\/angebote\/[0-9a-f-]{36}$/);
		await expectAccessible(p);
	});

	await test.step(`${townA} rates it: a negative cost is refused, then high benefit`, async () => {
		const p = a.page;
		await p.getByRole('link', { name: 'Bewerten', exact: true }).click();
		await expect(p).toHaveURL(/\/bewerten$/);
		await expectAccessible(p);
		await assess(p, { effort: '2', benefit: '5', recommend: 'Ja', cost: '-5', text: 'Hat uns viel gebracht.' });
		await expectFieldError(p, 'f-costEur', /0 oder mehr/);
		await expect(p.locator('#f-experience')).toHaveValue('Hat uns viel gebracht.');
		await expectAccessible(p);
		await p.locator('#f-costEur').fill('4.500');
		await p.getByRole('button', { name: 'Bewertung speichern' }).click();
		await expect(p).toHaveURL(new RegExp(`${offerUrl}(\\?|$)`));
		await expect(p.getByRole('main')).toContainText(townA);
	});

	await test.step(`${townB} rates it with low benefit: the offer is flagged for discussion`, async () => {
		const p = b.page;
		await p.goto(`${offerUrl}/bewerten`);
		await assess(p, { effort: '4', benefit: '1', recommend: 'Nein', cost: '7.900', text: 'Der Bericht war für uns nicht brauchbar.' });
		await expect(p).toHaveURL(new RegExp(`${offerUrl}(\\?|$)`));
		await expect(p.getByText(/Zur Diskussion beim nächsten Treffen/)).toBeVisible();
		await expectAccessible(p);
	});

	await test.step('the list filtered to "zur Diskussion" shows it', async () => {
		const p = b.page;
		await p.goto('/harz/intern/angebote');
		await p.getByLabel('Nur „zur Diskussion“').check();
		await p.getByRole('button', { name: 'Filter anwenden' }).click();
		const row = p.getByRole('row').filter({ hasText: title });
		await expect(row).toContainText('Zur Diskussion');
		await expectAccessible(p);
	});

	await test.step('the matrix links the point to the offer, and its table flags it', async () => {
		const p = b.page;
		await p.goto('/harz/intern/angebote/matrix');
		await expectAccessible(p);
		const point = p.locator(`svg a[href="${offerUrl}"]`);
		await expect(point).toHaveCount(1);
		const row = p.getByRole('row').filter({ hasText: title });
		await expect(row.getByRole('cell').nth(1)).toHaveText('3,0'); // Ø effort (2 + 4) / 2
		await expect(row.getByRole('cell').last()).toHaveText('ja'); // zur Diskussion
		await point.click();
		await expect(p).toHaveURL(new RegExp(`${offerUrl}$`));
	});
});
