// The coordinator schedules the next network meeting in the Bunter Hof in Osterwieck (an end before
// the start first), sends the invitations, a member of a town answers "yes" from the invitation
// mail, and the meeting shows the town among the participants and the towns not represented.
// Then the minutes of a meeting that took place are written with a follow-up, which appears in
// the network's open follow-ups. Runs with and without JavaScript; each project uses its own town.
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount, expectFieldError, uniqueId } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const TOWNS = { js: 'Schwanebeck', nojs: 'Selke-Aue' } as const;

/** yyyy-mm-dd of today + days, in Berlin. */
function isoDay(days: number): string {
	const d = new Date(Date.now() + days * 86_400_000);
	return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(d);
}

test('Die Koordination plant ein Treffen in Osterwieck, ein Mitglied sagt zu, das Protokoll hält eine Aufgabe fest', async ({ page, browser, mails, expectAccessible }, testInfo) => {
	test.slow();
	const town = TOWNS[testInfo.project.name as keyof typeof TOWNS];
	const id = uniqueId();
	const title = `Netzwerktreffen im Bunter Hof ${id}`;
	const member = await createHarzAccount(page, browser, mails, { prefix: 'treffen', role: 'member', bodies: [town] });
	let meetingUrl = '';

	await test.step('an end before the start is refused beside the field, then the meeting is created', async () => {
		await page.goto('/harz/intern/treffen');
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Neues Treffen' }).click();
		await expectAccessible(page);
		await page.locator('#f-title').fill(title);
		await page.locator('#f-date').fill(isoDay(40));
		await page.locator('#f-startTime').fill('10:00');
		await page.locator('#f-endTime').fill('09:00');
		await page.locator('#f-hostBodyId').selectOption({ label: 'Osterwieck' });
		await page.locator('#f-venueName').fill('Bunter Hof');
		await page.locator('#f-venueAddress').fill('Schulzenstraße 7, 38835 Osterwieck');
		await page.getByRole('button', { name: 'Treffen anlegen' }).click();
		await expectFieldError(page, 'f-endTime', 'Das Ende liegt vor dem Beginn.');
		await expect(page.locator('#f-venueName')).toHaveValue('Bunter Hof');
		await expectAccessible(page);
		await page.locator('#f-endTime').fill('14:00');
		await page.getByRole('button', { name: 'Treffen anlegen' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
		await expect(page.getByRole('main')).toContainText('10:00–14:00 Uhr');
		await expect(page.getByRole('main')).toContainText('Bunter Hof');
		meetingUrl = new URL(page.url()).pathname.replace(/\/$/, '');
		await expectAccessible(page);
	});

	await test.step('the coordinator sends the invitations', async () => {
		await page.getByRole('link', { name: 'Einladungen ansehen und senden' }).click();
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Einladungen senden' }).click();
		await expect(page.getByText(/E-Mails wurden zum Versand gegeben/)).toBeVisible();
	});

	await test.step('the member answers yes from the invitation mail', async () => {
		const mail = await mails.waitForMail(member.email, `Einladung: ${title}`);
		const p = member.page;
		// The mail's button leads to the answer page of this meeting.
		await p.goto(mail.link(`${meetingUrl}/antwort`));
		await expect(p.getByRole('main')).toContainText(title);
		await expectAccessible(p);
		await p.getByRole('radio', { name: 'Ja, ich komme' }).check();
		await p.getByLabel(/Bemerkung/).fill('Ich bringe die Kollegin vom Bauamt mit.');
		await p.getByRole('button', { name: 'Antwort senden' }).click();
		await p.goto(meetingUrl);
		const participation = p.locator('section', { has: p.getByRole('heading', { name: 'Teilnahme', level: 2 }) });
		await expect(participation).toContainText(town);
		await expect(participation).toContainText('Ja: 1');
		await expect(participation).toContainText('Nicht vertreten:');
		await expect(participation.getByText('Nicht vertreten:').locator('..')).toContainText('Wernigerode');
		await expectAccessible(p);
	});

	const followUp = `Angebote für LED-Sammelbeschaffung einholen ${id}`;
	await test.step('the minutes of a held meeting record a follow-up for the town', async () => {
		await page.goto('/harz/intern/treffen/neu');
		await page.locator('#f-title').fill(`Arbeitstreffen ${id}`);
		await page.locator('#f-date').fill(isoDay(-2));
		await page.locator('#f-startTime').fill('09:30');
		await page.locator('#f-endTime').fill('12:00');
		await page.locator('#f-onlineUrl').fill('https://meet.example.org/harz');
		await page.locator('#f-status').selectOption('planned');
		await page.getByRole('button', { name: 'Treffen anlegen' }).click();
		await expectFieldError(page, 'f-status', /Vergangenheit/);
		await page.locator('#f-status').selectOption('held');
		await page.getByRole('button', { name: 'Treffen anlegen' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Arbeitstreffen');

		await page.getByRole('link', { name: 'Protokoll schreiben' }).click();
		await expectAccessible(page);
		await page.locator('textarea[name="minutes"]').fill('## Ergebnisse\n\n- Sammelbeschaffung LED wird vorbereitet.');
		await page.getByRole('button', { name: 'Protokoll speichern' }).click();
		await expect(page.getByText('Das Protokoll wurde gespeichert.')).toBeVisible();
		if (testInfo.project.name === 'nojs') await page.locator('summary', { hasText: 'Neue Aufgabe' }).click();
		else await page.getByText('Neue Aufgabe', { exact: true }).click();
		await page.locator('#fu-new-title').fill(followUp);
		await page.locator('#fu-new-ownerBodyId').selectOption({ label: town });
		await page.locator('#fu-new-dueOn').fill(isoDay(30));
		await page.getByRole('button', { name: 'Aufgabe anlegen' }).click();
		await expect(page.getByText('Die Aufgabe wurde angelegt.')).toBeVisible();
		await expectAccessible(page);
	});

	await test.step('the follow-up is in the network-wide open list', async () => {
		const p = member.page;
		await p.goto('/harz/intern/treffen/aufgaben');
		await expect(p.getByRole('heading', { level: 1 })).toHaveText('Offene Aufgaben');
		const item = p.getByRole('listitem').filter({ hasText: followUp });
		await expect(item.first()).toContainText(town);
		await expect(item.first()).toContainText('Offen');
		await expectAccessible(p);
	});
});
