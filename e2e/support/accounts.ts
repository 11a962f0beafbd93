// Accounts the global setup prepares before the tests run. PGlite serves one process at a time, so
// the CLI (`node scripts/cli.js …`) can only run before the server starts: everything a flow needs
// from it is created here, up front.

/** The coordinator of the Harz demo network (also operator of the demo installation). */
export const DEMO_COORDINATOR_EMAIL = 'koordination@harz.klimanetz.example';

/**
 * Signed-in sessions: for each entry, global setup gets a one-time link from
 * `node scripts/cli.js sign-in-link <email>` (the demo coordinator's comes from `seed-demo`),
 * opens it in a browser once the server runs and saves the cookies as a storageState file.
 * A flow uses one with `test.use({ account: 'demo-coordinator' })`.
 * Add accounts here when the demo data has more people (members, partners).
 * Don't sign such a shared session out in a test: sign in by mail instead (see fixtures `mails`).
 */
export const ACCOUNTS: Record<string, string> = {
	'demo-coordinator': DEMO_COORDINATOR_EMAIL
};

/**
 * Unused one-time sign-in links, one per project ('js', 'nojs'), for flows that test signing in
 * by link: `signInAs(page, signInUrl('demo-coordinator'))`.
 */
export const SIGN_IN_LINKS: Record<string, string> = {
	'demo-coordinator': DEMO_COORDINATOR_EMAIL
};

export const PROJECTS = ['js', 'nojs'] as const;
