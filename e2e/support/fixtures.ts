// The `test` every flow imports: Playwright's, plus what Klimanetz flows need.
//
//   import { test, expect } from './support/fixtures';
//   test.use({ account: 'demo-coordinator' });           // optional: start signed in (accounts.ts)
//   test('…', async ({ page, mails, expectAccessible, signInAs, signInUrl, submitXssPayload, jsEnabled }) => { … });
//
// - mails.waitForMail(to, subject?) -> the latest mail to `to` received since the test began
//   ({ subject, text, html, links, link(pattern) })
// - expectAccessible(page) -> axe-core (WCAG 2.1 A/AA + best practice) on the page as it is now;
//   fails with a readable list of violations
// - signInAs(page, url) -> opens a one-time sign-in link and checks it was accepted
// - signInUrl(name) -> an unused one-time sign-in link for this project (accounts.ts SIGN_IN_LINKS)
// - submitXssPayload(form) -> fills every text field with XSS_PAYLOAD, submits, checks nothing ran,
//   no 5xx, and no unescaped payload in the returned HTML
// - jsEnabled -> false in the 'nojs' project
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { test as base, expect, type Locator, type Page, type Response } from '@playwright/test';
import { readState } from './state';
import type { CapturedMail } from './mail-capture';

export { expect };

// ---------------------------------------------------------------------------------------------
// Mails

export interface Mail extends CapturedMail {
	/** The first link containing `pattern` (string) or matching it (RegExp); throws when there is none. */
	link(pattern?: string | RegExp): string;
}

export interface Mails {
	/**
	 * Waits for a mail to `to` (envelope or To header, case-insensitive) whose subject contains
	 * `subject` (string) or matches it (RegExp), received after the test started (or after `after`,
	 * a mail id), and returns the latest such mail.
	 */
	waitForMail(to: string, subject?: string | RegExp, opts?: { timeout?: number; after?: number }): Promise<Mail>;
	/** Mails received since the test started, oldest first (optionally only those to `to`). */
	list(to?: string): Promise<Mail[]>;
	/** Id of the newest mail so far (0 if none): pass as `after` to wait for a mail sent later. */
	lastId(): Promise<number>;
}

function withLink(m: CapturedMail): Mail {
	return {
		...m,
		link(pattern) {
			const found = m.links.find((l) => (pattern === undefined ? true : typeof pattern === 'string' ? l.includes(pattern) : pattern.test(l)));
			if (!found) throw new Error(`No link ${pattern ?? ''} in mail "${m.subject}" to ${m.envelopeTo.join(', ')}. Links: ${m.links.join(' ') || '(none)'}`);
			return found;
		}
	};
}

async function fetchMails(params: Record<string, string | number | undefined>): Promise<CapturedMail[]> {
	const url = new URL('/mails', readState().mailURL);
	for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
	const res = await fetch(url);
	if (!res.ok) throw new Error(`mail capture answered ${res.status}`);
	return (await res.json()) as CapturedMail[];
}

function subjectMatches(subject: string, want?: string | RegExp) {
	return want === undefined || (typeof want === 'string' ? subject.includes(want) : want.test(subject));
}

function createMails(since: number): Mails {
	return {
		async waitForMail(to, subject, opts = {}) {
			const timeout = opts.timeout ?? 20_000;
			const after = opts.after ?? since;
			const deadline = Date.now() + timeout;
			for (;;) {
				const mails = (await fetchMails({ to, after })).filter((m) => subjectMatches(m.subject, subject));
				if (mails.length) return withLink(mails[mails.length - 1]);
				if (Date.now() > deadline) break;
				await new Promise((r) => setTimeout(r, 250));
			}
			const seen = await fetchMails({ after });
			throw new Error(
				`No mail to ${to}${subject ? ` with subject ${subject}` : ''} within ${timeout / 1000} s. ` +
					`Received since: ${seen.map((m) => `"${m.subject}" -> ${m.envelopeTo.join(', ')}`).join('; ') || 'nothing'}`
			);
		},
		async list(to) {
			return (await fetchMails({ to, after: since })).map(withLink);
		},
		async lastId() {
			const all = await fetchMails({});
			return all.length ? all[all.length - 1].id : 0;
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Accessibility

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | null = null;

export interface AccessibilityOptions {
	/** axe rule ids to switch off for this check (say why in the test). */
	disableRules?: string[];
	/** CSS selectors to leave out (e.g. third-party widgets). */
	exclude?: string[];
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	helpUrl: string;
	nodes: { target: string[]; html: string; failureSummary?: string }[];
}

function jsEnabledIn(): boolean {
	return test.info().project.use.javaScriptEnabled !== false;
}

/**
 * Runs axe-core in the page as it is now.
 * - JavaScript on: axe is injected with page.addScriptTag({ path }); where the app's Content
 *   Security Policy blocks that inline script, its source is evaluated through the DevTools
 *   protocol instead (not subject to CSP).
 * - JavaScript off ('nojs'): a <script> tag would never run, so axe's source is evaluated through
 *   the DevTools protocol in the same page. Chromium fires no timers in a page with scripts
 *   disabled, and axe waits on setTimeout, so timers are first replaced by microtasks. This checks
 *   exactly the DOM a visitor without JavaScript gets, including pages answered to a form POST.
 */
export async function expectAccessible(page: Page, options: AccessibilityOptions = {}): Promise<void> {
	const url = page.url();
	await test.step(
		`axe: ${new URL(url).pathname}${new URL(url).search}`,
		async () => {
			await page.waitForLoadState('load');
			const js = jsEnabledIn();
			axeSource ??= fs.readFileSync(AXE_PATH, 'utf8');
			if (!js) {
				await page.evaluate(() => {
					const w = window as unknown as Record<string, unknown>;
					if (w.__axeTimersShimmed) return;
					w.__axeTimersShimmed = true;
					w.setTimeout = (fn: (...a: unknown[]) => void, _ms?: number, ...a: unknown[]) => {
						void Promise.resolve().then(() => fn(...a));
						return 0;
					};
					w.clearTimeout = () => {};
					w.requestAnimationFrame = (fn: (t: number) => void) => {
						void Promise.resolve().then(() => fn(performance.now()));
						return 0;
					};
					w.cancelAnimationFrame = () => {};
					w.requestIdleCallback = undefined;
				});
			}
			const hasAxe = () => page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
			if (!(await hasAxe()) && js) {
				await page.addScriptTag({ path: AXE_PATH }).catch(() => undefined);
			}
			if (!(await hasAxe())) await page.evaluate(axeSource);
			const violations = await page.evaluate(
				async ({ tags, disableRules, exclude }) => {
					type AxeRun = (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }>;
					const axe = (window as unknown as { axe: { run: AxeRun } }).axe;
					const rules = Object.fromEntries(disableRules.map((r) => [r, { enabled: false }]));
					const context = exclude.length ? { include: [['html']], exclude: exclude.map((s) => [s]) } : document;
					const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], rules });
					return result.violations.map((v) => ({
						id: v.id,
						impact: v.impact,
						help: v.help,
						helpUrl: v.helpUrl,
						nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary }))
					}));
				},
				{ tags: AXE_TAGS, disableRules: options.disableRules ?? [], exclude: options.exclude ?? [] }
			);
			if (violations.length) throw new Error(formatViolations(url, violations));
		},
		{ box: true }
	);
}

export function formatViolations(url: string, violations: AxeViolation[]): string {
	const lines = [`${violations.length} accessibility violation(s) (axe) on ${url}:`];
	for (const v of violations) {
		lines.push(`- ${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.helpUrl})`);
		for (const n of v.nodes.slice(0, 5)) {
			const html = n.html.replace(/\s+/g, ' ');
			lines.push(`    at ${n.target.join(' ')}  ${html.length > 160 ? html.slice(0, 157) + '…' : html}`);
			const why = n.failureSummary?.split('\n').slice(1, 2).join('').trim();
			if (why) lines.push(`       ${why}`);
		}
		if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
	}
	return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Signing in

/** Opens a one-time sign-in link; fails if the app rejected it (landed on /anmelden) or answered >= 400. */
export async function signInAs(page: Page, url: string): Promise<void> {
	await test.step(
		'sign in by link',
		async () => {
			const res = await page.goto(url);
			expect(res?.status() ?? 0, `sign-in link answered ${res?.status()}`).toBeLessThan(400);
			expect(new URL(page.url()).pathname, `sign-in link was not accepted, landed on ${page.url()}`).not.toMatch(/^\/anmelden/);
		},
		{ box: true }
	);
}

function warningsNote(): string {
	const w = readState().warnings;
	return w.length ? ` Setup warnings: ${w.join(' | ')}` : '';
}

// ---------------------------------------------------------------------------------------------
// XSS

/** Script payload: breaks out of text, attributes (both quotes) and runs via an inline handler. */
export const XSS_PAYLOAD = `<script>window.__xss=1</script>"'><img src=x onerror=window.__xss=1>`;

export interface XssOptions {
	/** Values for named fields instead of the payload (inputs, textareas, selects). */
	values?: Record<string, string>;
	/** Field names to leave as they are. */
	skip?: string[];
	/** type=email fields: a unique valid address (default, so the rest can be stored) or the payload. */
	emails?: 'valid' | 'payload';
	/** The button to press; default: the form's first submit button. */
	submit?: Locator;
	/** Keep the browser's constraint validation (default: off via form.noValidate, as an attacker would). */
	validate?: boolean;
}

export interface XssResult {
	/** Status of the POST (SvelteKit's JSON action answer with JS, the document or redirect without). */
	status: number;
	/** The HTML document shown after the submit, when the browser loaded one (always without JS). */
	html: string | null;
	/** Whether the payload came back as text (escaped) in the page. */
	reflected: boolean;
}

/**
 * Fills every visible text field of `form` (text, search, email, url, tel, untyped inputs,
 * textareas) with XSS_PAYLOAD, submits it and asserts: no 5xx, `window.__xss` undefined, no
 * script element or inline handler carrying the payload, and the raw HTML returned contains the
 * payload only escaped. Check what the page shows next (e.g. the stored text) in the test.
 */
export async function submitXssPayload(form: Locator, options: XssOptions = {}): Promise<XssResult> {
	const page = form.page();
	let result!: XssResult;
	await test.step(
		'submit XSS payload',
		async () => {
			if (!options.validate) await form.evaluate((f: HTMLFormElement) => (f.noValidate = true));
			const fields = form.locator(
				'input:not([type]), input[type=text], input[type=search], input[type=email], input[type=url], input[type=tel], textarea, select'
			);
			for (const field of await fields.all()) {
				const name = (await field.getAttribute('name')) ?? '';
				if (options.skip?.includes(name) || !(await field.isVisible()) || !(await field.isEditable())) continue;
				// Hidden from people (e.g. the honeypot of public forms): a person never fills it in.
				if (await field.evaluate((el) => !!el.closest('[aria-hidden="true"]'))) continue;
				const tag = await field.evaluate((el) => el.tagName.toLowerCase());
				const given = options.values?.[name];
				if (tag === 'select') {
					if (given !== undefined) await field.selectOption(given);
					continue;
				}
				const type = ((await field.getAttribute('type')) ?? 'text').toLowerCase();
				let value = given ?? XSS_PAYLOAD;
				if (given === undefined && type === 'email' && options.emails !== 'payload') {
					value = `xss-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
				}
				if (given === undefined && type === 'url') value = `https://example.org/?q="><img src=x onerror=window.__xss=1>`;
				await field.fill(value);
			}
			for (const [name, value] of Object.entries(options.values ?? {})) {
				const field = form.locator(`[name="${name}"]`).first();
				const type = await field.getAttribute('type');
				if (type === 'checkbox' || type === 'radio') await form.locator(`[name="${name}"][value="${value}"]`).check();
			}

			const documents: Response[] = [];
			const onResponse = (r: Response) => {
				if (r.request().resourceType() === 'document' && r.frame() === page.mainFrame()) documents.push(r);
			};
			page.on('response', onResponse);
			try {
				const submit = options.submit ?? form.locator('button[type=submit], button:not([type]), input[type=submit]').first();
				const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(new URL(page.url()).origin));
				await submit.click();
				const post = await posted;
				await page.waitForLoadState('load');
				await page.waitForLoadState('networkidle').catch(() => undefined);
				// onerror of a broken image fires asynchronously
				await page.waitForTimeout(300);

				expect(post.status(), `POST ${post.url()} answered ${post.status()}`).toBeLessThan(500);
				for (const d of documents) expect(d.status(), `${d.url()} answered ${d.status()}`).toBeLessThan(500);

				const dom = await page.evaluate(() => ({
					flag: typeof (window as unknown as { __xss?: unknown }).__xss,
					// exactly the payload's script; SvelteKit's own inline data script may carry the payload as an escaped string
					scripts: [...document.scripts].filter((s) => s.text.trim() === 'window.__xss=1').length,
					handlers: [...document.querySelectorAll('*')].filter((el) =>
						[...el.attributes].some((a) => a.name.startsWith('on') && a.value.includes('__xss'))
					).length,
					text:
						document.body.innerText.includes('window.__xss=1') ||
						[...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].some((i) => i.value.includes('window.__xss=1'))
				}));
				expect(dom.flag, 'the XSS payload ran (window.__xss is set)').toBe('undefined');
				expect(dom.scripts, 'a <script> with the payload is in the page').toBe(0);
				expect(dom.handlers, 'an element with an on…= handler from the payload is in the page').toBe(0);

				const shown = [...documents].reverse().find((d) => d.status() < 300 || d.status() >= 400);
				const html = shown ? await shown.text().catch(() => null) : null;
				if (html !== null) {
					expect(html, 'unescaped <script> from the payload in the HTML').not.toContain('<script>window.__xss=1</script>');
					expect(html, 'unescaped <img onerror> from the payload in the HTML').not.toContain('<img src=x onerror=');
				}
				const reflected = dom.text || (html?.includes('&lt;script>window.__xss=1') ?? false) || (html?.includes('&lt;script&gt;window.__xss=1') ?? false);
				result = { status: post.status(), html, reflected };
			} finally {
				page.off('response', onResponse);
			}
		},
		{ box: true }
	);
	return result;
}

// ---------------------------------------------------------------------------------------------
// The test object

interface Options {
	/** Start signed in as this account of accounts.ts ACCOUNTS (session saved by global setup). */
	account: string | undefined;
}

interface Fixtures {
	mails: Mails;
	expectAccessible: typeof expectAccessible;
	signInAs: typeof signInAs;
	/** An unused one-time sign-in link for this project ('js'/'nojs') from accounts.ts SIGN_IN_LINKS. */
	signInUrl: (name: string) => string;
	submitXssPayload: typeof submitXssPayload;
	/** false in the 'nojs' project. */
	jsEnabled: boolean;
}

export const test = base.extend<Fixtures & Options>({
	account: [undefined, { option: true }],
	storageState: async ({ account, storageState }, use) => {
		if (!account) return use(storageState);
		const file = readState().storageStates[account];
		if (!file) throw new Error(`No signed-in session for account "${account}" (see e2e/support/accounts.ts).${warningsNote()}`);
		await use(file);
	},
	baseURL: async ({ baseURL }, use) => {
		await use(baseURL ?? readState().baseURL);
	},
	mails: async ({}, use) => {
		const all = await fetchMails({});
		await use(createMails(all.length ? all[all.length - 1].id : 0));
	},
	expectAccessible: async ({}, use) => use(expectAccessible),
	signInAs: async ({}, use) => use(signInAs),
	signInUrl: async ({}, use, testInfo) => {
		const used = new Set<string>();
		await use((name: string) => {
			const key = `${name}:${testInfo.project.name}`;
			const url = readState().signInUrls[key];
			if (!url) throw new Error(`No sign-in link "${key}" (see SIGN_IN_LINKS in e2e/support/accounts.ts).${warningsNote()}`);
			if (used.has(key)) throw new Error(`Sign-in link "${key}" was already used in this test; links work once.`);
			used.add(key);
			return url;
		});
	},
	submitXssPayload: async ({}, use) => use(submitXssPayload),
	jsEnabled: async ({}, use, testInfo) => use(testInfo.project.use.javaScriptEnabled !== false)
});
