// A member imports the town's 2018 greenhouse-gas balance from a CSV file (a broken file first:
// refused row by row, nothing stored), enters 2022 by hand, sets the KSG target with 2018 as base
// year, and the chart and its table show the gap to the path. Runs with and without JavaScript;
// each project uses its own town (both share one database).
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures';
import { closeContexts, createHarzAccount } from './support/flows';

test.use({ account: 'demo-coordinator' });
test.afterEach(closeContexts);

/** Towns without demo balances: one per project. */
const TOWNS = { js: { ags: '15085330', name: 'Thale' }, nojs: { ags: '15085040', name: 'Ballenstedt' } } as const;

const HEADER = 'Sektor;Energieträger;Endenergie (MWh);Emissionen (t CO2e);Datenqualität (A–D)';

function csv(rows: string[]): { name: string; mimeType: string; buffer: Buffer } {
	return { name: 'bilanz.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + [HEADER, ...rows].join('\r\n'), 'utf8') };
}

async function upload(p: Page, year: string, file: ReturnType<typeof csv>) {
	await p.locator('#f-jahr').fill(year);
	await p.locator('input[type=file][name=datei]').setInputFiles(file);
	await p.getByRole('button', { name: 'Datei prüfen' }).click();
	await expect(p).toHaveURL(/\/bilanz\/import\?vorschau=/);
}

test('Mitglied importiert eine Bilanz, setzt das Ziel und sieht den Abstand zum Zielpfad', async ({ page, browser, mails, expectAccessible }, testInfo) => {
	test.slow();
	const town = TOWNS[testInfo.project.name as keyof typeof TOWNS];
	const member = await createHarzAccount(page, browser, mails, { prefix: 'bilanz', role: 'member', bodies: [town.name] });
	const p = member.page;
	const base = `/harz/intern/kommunen/${town.ags}/bilanz`;

	await test.step('the town has no balance yet', async () => {
		await p.goto(base);
		await expect(p.getByRole('heading', { level: 1 })).toContainText(town.name);
		await expectAccessible(p);
		await p.getByRole('link', { name: 'Bilanz importieren' }).click();
		await expect(p).toHaveURL(new RegExp(`${base}/import$`));
		await expectAccessible(p);
	});

	await test.step('a file with a negative value and an unknown carrier is refused row by row', async () => {
		await upload(p, '2018', csv(['Private Haushalte;Erdgas;-5;;B', 'Verkehr;Atomstrom;100;;C']));
		await expect(p.getByText(/ist negativ/)).toBeVisible();
		await expect(p.getByText(/Atomstrom/).first()).toBeVisible();
		await expect(p.getByRole('button', { name: 'Bilanz übernehmen' })).toHaveCount(0);
		await expectAccessible(p);
	});

	await test.step('the 2018 balance is imported after the preview', async () => {
		await p.goto(`${base}/import`);
		await upload(p, '2018', csv(['Private Haushalte;Erdgas;40.000;;B', 'Private Haushalte;Strom;20.000;;B', 'Verkehr;Diesel;30.000;;C']));
		await expectAccessible(p);
		await p.getByRole('button', { name: 'Bilanz übernehmen' }).click();
		await expect(p).toHaveURL(new RegExp(`${base}\\?importiert=2018`));
		await expect(p.getByText('Die Bilanz 2018 wurde importiert.')).toBeVisible();
	});

	await test.step('2022 entered by hand, with more gas than 2018', async () => {
		await p.getByRole('link', { name: 'Bilanz erfassen' }).click();
		await p.locator('#f-year').fill('2022');
		await p.locator('#f-e_households_natural_gas_mwh').fill('-1');
		await p.getByRole('button', { name: 'Bilanz speichern' }).click();
		await expect(p.locator('#f-e_households_natural_gas_mwh-error')).toBeVisible();
		await expect(p.locator('#f-e_households_natural_gas_mwh')).toHaveValue('-1');
		await expectAccessible(p);
		await p.locator('#f-e_households_natural_gas_mwh').fill('52.000');
		await p.locator('#f-e_households_electricity_mwh').fill('19.500');
		await p.locator('#f-e_transport_diesel_mwh').fill('31.000');
		await p.getByRole('button', { name: 'Bilanz speichern' }).click();
		await expect(p.getByRole('heading', { level: 1 })).toContainText('2022');
	});

	await test.step('the KSG target from 2018: chart and table show the gap', async () => {
		await p.goto(`${base}/ziel`);
		await expectAccessible(p);
		await p.locator('#f-baseYear').selectOption('2018');
		await p.getByRole('button', { name: 'Ziel speichern' }).click();
		await expect(p.getByText('Das Ziel wurde gespeichert.')).toBeVisible();
		const chart = p.getByRole('region', { name: 'Emissionen und Zielpfad' });
		await expect(chart.locator('strong', { hasText: /^2022: .* t über dem Zielpfad$/ })).toBeVisible();
		await expect(chart.getByRole('columnheader', { name: 'Abstand zum Zielpfad' })).toBeVisible();
		await expectAccessible(p);
	});
});
