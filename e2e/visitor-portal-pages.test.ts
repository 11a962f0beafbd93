// Every page of the citizen portal, the participation area, the balances, the exchange, the search
// and the notifications, opened as a visitor and as the coordinator, answers without error and
// passes axe: also the pages no other flow walks through (Leichte Sprache, the report form, the
// moderation queues, factors, a demo town's balance pages, topic management, a post's history, bad
// search queries). Runs with and without JavaScript.
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { closeContexts, newSignedInContext } from './support/flows';

test.afterEach(closeContexts);

/** The first link in the main area whose address matches `pattern` (e.g. a demo idea). */
async function firstLink(page: Page, pattern: RegExp): Promise<string> {
	const hrefs = await page.getByRole('main').locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
	const found = hrefs.find((h) => pattern.test(h));
	if (!found) throw new Error(`No link like ${pattern} on ${page.url()}`);
	return found;
}

async function openAndCheck(page: Page, path: string, expectAccessible: (p: Page) => Promise<void>) {
	await test.step(path, async () => {
		const res = await page.goto(path);
		expect(res?.status(), path).toBe(200);
		await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
		await expectAccessible(page);
	});
}

test('Besucherin: jede Seite des Portals ist zugänglich', async ({ page, expectAccessible }) => {
	await page.goto('/harz/ideen');
	const idea = await firstLink(page, /^\/harz\/ideen\/[0-9a-f-]{36}$/);
	await page.goto('/harz/massnahmen');
	const measure = await firstLink(page, /^\/harz\/massnahmen\/[0-9a-f-]{36}$/);
	for (const path of [
		'/harz/ideen',
		'/harz/ideen?thema=mobility&sortierung=unterstuetzt',
		idea,
		'/harz/ideen/neu',
		measure,
		'/harz/zusagen',
		'/harz/suche?q=Photovoltaik',
		// Bad queries get a message beside the field, never an error page.
		`/harz/suche?q=${encodeURIComponent(`'" OR 1=1 --`)}`,
		'/harz/suche?q=%26%26%26',
		'/harz/kommunen/15085135',
		// Wernigerode's demo balance and target are public: "Wo steht Wernigerode?"
		'/harz/kommunen/15085370',
		`/harz/melden?typ=idea&id=${idea.split('/').at(-1)}`,
		'/registrieren',
		'/leichte-sprache',
		'/barrierefreiheit',
		'/datenschutz'
	]) {
		await openAndCheck(page, path, expectAccessible);
	}
	// Unknown or malformed addresses are a calm 404, never a server error.
	for (const path of ['/harz/ideen/not-a-uuid', '/harz/massnahmen/00000000-0000-0000-0000-000000000000', '/harz/melden?typ=comment&id=x']) {
		const res = await page.goto(path);
		expect(res?.status(), path).toBe(404);
	}
});

test('Koordination: jede Seite der Beteiligung und der Bilanzen ist zugänglich', async ({ browser, expectAccessible }) => {
	const { page } = await newSignedInContext(browser, 'demo-coordinator');
	await page.goto('/harz/intern/beteiligung/ideen');
	const idea = await firstLink(page, /^\/harz\/intern\/beteiligung\/ideen\/[0-9a-f-]{36}$/);
	for (const path of [
		'/harz/intern/beteiligung',
		'/harz/intern/beteiligung/ideen',
		idea,
		'/harz/intern/beteiligung/meldungen',
		'/harz/intern/beteiligung/zusagen',
		'/harz/intern/beteiligung/rueckmeldungen',
		'/harz/intern/beteiligung/einstellungen',
		'/harz/intern/bilanz',
		'/harz/intern/bilanz?jahr=2020',
		'/harz/intern/bilanz/faktoren',
		'/harz/intern/kommunen/15085235/bilanz',
		'/harz/intern/kommunen/15085235/bilanz/2022',
		'/harz/intern/kommunen/15085235/bilanz/2022/bearbeiten',
		'/harz/intern/kommunen/15085235/bilanz/neu',
		'/harz/intern/kommunen/15085235/bilanz/ziel',
		'/harz/intern/kommunen/15085235/bilanz/import',
		'/harz/intern/protokoll?typ=balance',
		'/konto'
	]) {
		await openAndCheck(page, path, expectAccessible);
	}
	// The change log names a balance's cells in words, not as stored JSON or ids.
	await page.goto('/harz/intern/protokoll?typ=balance');
	await expect(page.getByRole('main')).toContainText('Private Haushalte · ');
	await expect(page.getByRole('main')).not.toContainText('"mwh"');
});

test('Koordination: jede Seite des Austauschs, der Suche und der Benachrichtigungen ist zugänglich', async ({ browser, expectAccessible }) => {
	const { page } = await newSignedInContext(browser, 'demo-coordinator');
	await page.goto('/harz/intern/austausch');
	const thread = await firstLink(page, /^\/harz\/intern\/austausch\/diskussionen\/[0-9a-f-]{36}$/);
	const topic = await firstLink(page, /^\/harz\/intern\/austausch\/themenfelder\/[0-9a-f-]{36}$/);
	await page.goto(thread);
	const history = await firstLink(page, /^\/harz\/intern\/austausch\/beitraege\/[0-9a-f-]{36}\/verlauf$/).catch(() => null);
	for (const path of [
		'/harz/intern/austausch',
		'/harz/intern/austausch/themenfelder',
		topic,
		`${topic}?filter=unanswered`,
		'/harz/intern/austausch/neu',
		thread,
		...(history ? [history] : []),
		'/harz/intern/suche?q=W%C3%A4rmeplanung',
		'/harz/intern/suche?q=F%C3%B6rdermittel&art=thread',
		'/harz/intern/suche?q=',
		`/harz/intern/suche?q=${'x'.repeat(2000)}`,
		'/konto/benachrichtigungen',
		'/konto/benachrichtigungen/einstellungen',
		'/betrieb'
	]) {
		await openAndCheck(page, path, expectAccessible);
	}
	for (const path of ['/harz/intern/austausch/diskussionen/not-a-uuid', '/harz/intern/austausch/themenfelder/00000000-0000-0000-0000-000000000000']) {
		const res = await page.goto(path);
		expect(res?.status(), path).toBe(404);
	}
});
