// A member asks the network a question in the exchange (an empty text first) and mentions a colleague
// of another town; the colleague is told by mail, answers (with JavaScript picking the asker from
// the mention suggestions), and the asker – told by mail – marks the answer that helped. Runs with and without JavaScript; each project uses its own
// accounts (towns don't matter to the exchange).
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount, expectFieldError, uniqueId } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

const TOWNS = { js: ['Falkenstein/Harz', 'Quedlinburg'], nojs: ['Wernigerode', 'Osterwieck'] } as const;

test('Ein Mitglied fragt im Austausch, eine Kollegin antwortet, die Antwort hat geholfen', async ({ page, browser, mails, expectAccessible, jsEnabled }, testInfo) => {
	test.slow();
	const [townA, townB] = TOWNS[testInfo.project.name as keyof typeof TOWNS];
	const id = uniqueId();
	const title = `Wer hat Erfahrung mit PV auf denkmalgeschützten Dächern? ${id}`;
	const a = await createHarzAccount(page, browser, mails, { prefix: 'frage-a', role: 'member', bodies: [townA], name: `Anke Fragend ${id}` });
	const b = await createHarzAccount(page, browser, mails, { prefix: 'frage-b', role: 'member', bodies: [townB], name: `Berit Kundig ${id}` });
	const answer = `Wir haben rote Indach-Module mit der Denkmalbehörde abgestimmt (${id}).`;
	let threadPath = '';

	await test.step('the asker opens the exchange and starts a discussion: an empty text first', async () => {
		const p = a.page;
		await p.goto('/harz/intern/austausch');
		await expect(p.getByRole('heading', { level: 1 })).toHaveText('Austausch');
		await expectAccessible(p);
		await p.getByRole('link', { name: 'Neue Diskussion' }).first().click();
		await expectAccessible(p);
		await p.locator('#f-topicId').selectOption({ label: 'Energie' });
		await p.locator('#f-title').fill(title);
		await p.getByRole('button', { name: 'Diskussion beginnen' }).click();
		await expectFieldError(p, 'f-body', 'Bitte schreiben Sie einen Text.');
		await expect(p.locator('#f-title')).toHaveValue(title);
		await expectAccessible(p);
		await p.locator('#f-body').fill(`Unser Rathaus steht unter Denkmalschutz. @${b.name}, wie habt ihr das gelöst?\n\n<script>window.__xss = 1</script>`);
		await p.getByRole('button', { name: 'Diskussion beginnen' }).click();
		await expect(p.getByRole('heading', { level: 1 })).toHaveText(title);
		await expect(p.getByText('Die Diskussion wurde begonnen.')).toBeVisible();
		// The script stays text (or is dropped), it never runs.
		expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss).catch(() => undefined)).toBeUndefined();
		threadPath = new URL(p.url()).pathname;
		await expectAccessible(p);
	});

	await test.step('the mentioned colleague gets a mail and answers', async () => {
		const mail = await mails.waitForMail(b.email, 'hat Sie erwähnt');
		expect(mail.subject).toContain(title);
		const p = b.page;
		await p.goto(mail.link('/austausch/diskussionen/'));
		await expect(p.getByRole('heading', { level: 1 })).toHaveText(title);
		await p.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
		await expectFieldError(p, 'f-body', 'Bitte schreiben Sie einen Text.');
		const body = p.locator('#f-body');
		await body.fill(answer);
		if (jsEnabled) {
			// With JavaScript the field suggests people of the network after "@".
			await body.fill(`${answer} Frag gern nach, `);
			await body.press('End');
			await body.pressSequentially('@Ank');
			const option = p.getByRole('option', { name: a.name });
			await expect(option).toBeVisible();
			await expectAccessible(p);
			await option.click();
			await expect(body).toHaveValue(`${answer} Frag gern nach, @${a.name} `);
		}
		await p.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
		await expect(p.getByText('Ihre Antwort wurde veröffentlicht.')).toBeVisible();
		await expect(p.locator('#antworten')).toContainText(answer);
		await expectAccessible(p);
	});

	await test.step('the asker is told about the reply and marks it as the answer that helped', async () => {
		// With JavaScript the reply mentioned the asker: a mentioned follower gets the mention only.
		const mail = await mails.waitForMail(a.email, jsEnabled ? 'hat Sie erwähnt' : 'Neue Antwort');
		expect(mail.subject).toContain(title);
		const p = a.page;
		await p.goto(mail.link('/austausch/diskussionen/'));
		await expect(p).toHaveURL(new RegExp(`${threadPath}`));
		await p.locator('#antworten').getByRole('button', { name: /^Hat geholfen/ }).click();
		await expect(p.getByText('Die Antwort ist als hilfreich markiert.')).toBeVisible();
		const helped = p.locator('#antwort');
		await expect(helped.getByRole('heading', { name: 'Antwort, die geholfen hat' })).toBeVisible();
		await expect(helped).toContainText(answer);
		await expectAccessible(p);
	});

	await test.step('the list shows the discussion as answered, the other town sees it too', async () => {
		const p = b.page;
		await p.goto('/harz/intern/austausch');
		const item = p.locator('li', { has: p.getByRole('link', { name: title }) }).first();
		await expect(item).toContainText('Beantwortet');
		await expectAccessible(p);
	});
});
