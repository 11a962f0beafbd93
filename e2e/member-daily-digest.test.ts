// A member switches replies in followed discussions to the daily digest, starts a discussion and
// gets a reply: nothing is mailed at once, the notification waits in the account; when the
// operator sends the digests now, one German digest arrives, and its one-click link unsubscribes
// (in the browser, and as the POST a mail provider sends).
// Runs with and without JavaScript.
import { request as playwrightRequest } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount, newVisitor, uniqueId } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const KIND = 'Neue Antworten in Diskussionen, denen Sie folgen';

test('Ein Mitglied stellt auf die tägliche Zusammenfassung um und bekommt sie', async ({ page, browser, mails, expectAccessible }) => {
	test.slow();
	const id = uniqueId();
	const title = `Sammelbestellung Lastenräder für Bauhöfe? ${id}`;
	const c = await createHarzAccount(page, browser, mails, { prefix: 'digest-c', role: 'member', bodies: ['Harzgerode'] });
	const d = await createHarzAccount(page, browser, mails, { prefix: 'digest-d', role: 'partner' });
	const reply = `Die Energieagentur koordiniert gern eine gemeinsame Ausschreibung (${id}).`;

	await test.step('settings: replies by daily digest', async () => {
		const p = c.page;
		await p.goto('/konto');
		await p.getByRole('link', { name: 'Einstellungen für Benachrichtigungen' }).click();
		await expect(p.getByRole('heading', { level: 1 })).toHaveText('Einstellungen für Benachrichtigungen');
		await expectAccessible(p);
		await p.getByRole('group', { name: KIND }).getByRole('radio', { name: 'Tägliche Zusammenfassung' }).check();
		await p.getByRole('button', { name: 'Einstellungen speichern' }).click();
		await expect(p.getByText('Ihre Einstellungen sind gespeichert.')).toBeVisible();
		await expect(p.getByRole('group', { name: KIND }).getByRole('radio', { name: 'Tägliche Zusammenfassung' })).toBeChecked();
		await expectAccessible(p);
	});

	let threadPath = '';
	await test.step('the member asks, a partner replies', async () => {
		const p = c.page;
		await p.goto('/harz/intern/austausch/neu');
		await p.locator('#f-topicId').selectOption({ label: 'Mobilität' });
		await p.locator('#f-title').fill(title);
		await p.locator('#f-body').fill('Hat jemand Interesse an einer gemeinsamen Bestellung von Lastenrädern für die Bauhöfe?');
		await p.getByRole('button', { name: 'Diskussion beginnen' }).click();
		await expect(p.getByText('Die Diskussion wurde begonnen.')).toBeVisible();
		threadPath = new URL(p.url()).pathname;
		await d.page.goto(threadPath);
		await d.page.locator('#f-body').fill(reply);
		await d.page.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
		await expect(d.page.getByText('Ihre Antwort wurde veröffentlicht.')).toBeVisible();
	});

	await test.step('no mail yet: the notification waits in the account', async () => {
		const p = c.page;
		await p.goto('/konto/benachrichtigungen');
		await expect(p.getByRole('heading', { level: 1 })).toHaveText('Benachrichtigungen');
		await expect(p.getByRole('main')).toContainText(`Neue Antwort: ${title}`);
		await expect(p.getByRole('link', { name: /Benachrichtigungen.*ungelesen/ })).toBeVisible();
		await expectAccessible(p);
		expect((await mails.list(c.email)).filter((m) => m.subject.includes('Neue Antwort'))).toHaveLength(0);
	});

	await test.step('the operator sends the digests now; one digest arrives', async () => {
		await page.goto('/betrieb');
		await page.getByRole('button', { name: 'Zusammenfassungen jetzt senden' }).click();
		await expect(page.getByText('Die Zusammenfassungen werden gesendet.')).toBeVisible();
		await expectAccessible(page);
		const digest = await mails.waitForMail(c.email, 'Ihre tägliche Zusammenfassung', { timeout: 30_000 });
		expect(digest.text).toContain('Netzwerk Klimaschutzmanager Landkreis Harz');
		expect(digest.text).toContain(KIND);
		expect(digest.text).toContain(`Neue Antwort: ${title}`);
		expect(digest.text).toContain(reply.slice(0, 40));
		expect((await mails.list(c.email)).filter((m) => m.subject.includes('Zusammenfassung'))).toHaveLength(1);

		// The one-click link works without a session.
		const { page: visitor } = await newVisitor(browser);
		await visitor.goto(digest.link(/abbestellen\?token=.*/));
		await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('E-Mails abbestellen');
		await expectAccessible(visitor);
		await visitor.getByRole('button', { name: 'Abbestellen' }).click();
		await expect(visitor.getByText('Abbestellt. Sie bekommen dazu keine E-Mails mehr.')).toBeVisible();
		await expectAccessible(visitor);
	});

	await test.step('mail clients unsubscribe with one POST from their servers (RFC 8058); other cross-site posts are refused', async () => {
		const digest = await mails.waitForMail(c.email, 'Ihre tägliche Zusammenfassung');
		const all = digest.links.filter((l) => /abbestellen\?token=/.test(l)).at(-1)!;
		const ctx = await playwrightRequest.newContext();
		try {
			// No Origin, no cookies: what a mail provider sends for List-Unsubscribe-Post.
			const res = await ctx.post(all, { form: { 'List-Unsubscribe': 'One-Click' } });
			expect(res.status(), await res.text()).toBeLessThan(400);
			const forged = await ctx.post(new URL('/konto', all).toString(), { form: { name: 'x' }, headers: { origin: 'https://evil.example' } });
			expect(forged.status()).toBe(403);
		} finally {
			await ctx.dispose();
		}
		const p = c.page;
		await p.goto('/konto/benachrichtigungen/einstellungen');
		await expect(p.getByRole('group', { name: 'Einladungen zu Treffen, Änderungen und Absagen' }).getByRole('radio', { name: 'Keine E-Mail' })).toBeChecked();
	});

	await test.step('a tampered unsubscribe link changes nothing', async () => {
		const { page: visitor } = await newVisitor(browser);
		const res = await visitor.goto('/benachrichtigungen/abbestellen?token=manipuliert.123');
		expect(res?.status()).toBe(400);
		await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Dieser Abbestell-Link ist ungültig');
		await expectAccessible(visitor);
	});
});
