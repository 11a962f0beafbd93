// The invented people of the Harz demo: one list, used by the meetings demo (which creates their
// accounts, people and memberships) and by the other demos that let them speak (exchange). Their
// addresses are in a reserved example domain: mail to them can never reach anyone, so jobs that
// mail people (reminders) leave them out – see isDemoEmail / DEMO_EMAIL_LIKE.

/** Domain of every demo account (participation's demo citizens use it too). */
export const DEMO_EMAIL_DOMAIN = 'demo.klimanetz.example';

/** SQL LIKE pattern of a demo account's address, for `notLike(users.email, DEMO_EMAIL_LIKE)`. */
export const DEMO_EMAIL_LIKE = `%@${DEMO_EMAIL_DOMAIN}`;

export function isDemoEmail(email: string): boolean {
	return email.toLowerCase().endsWith(`@${DEMO_EMAIL_DOMAIN}`);
}

export interface DemoMember {
	/** Short key the demo scripts use, e.g. 'qlb' for the Quedlinburg member. */
	key: string;
	name: string;
	email: string;
	/** The body they represent (AGS), null for a partner. */
	ags: string | null;
	role: 'member' | 'partner';
	/** Part of the partner organisation's name, for a partner. */
	partner?: string;
}

/** Demo accounts of the network's working area: invented people, clearly marked "(Demo)". */
export const DEMO_MEMBERS: readonly DemoMember[] = [
	{ key: 'hbs', name: 'Jana Weber (Demo)', email: `jana.weber@${DEMO_EMAIL_DOMAIN}`, ags: '15085135', role: 'member' },
	{ key: 'ow', name: 'Tobias Brandt (Demo)', email: `tobias.brandt@${DEMO_EMAIL_DOMAIN}`, ags: '15085230', role: 'member' },
	{ key: 'qlb', name: 'Miriam Koch (Demo)', email: `miriam.koch@${DEMO_EMAIL_DOMAIN}`, ags: '15085235', role: 'member' },
	{ key: 'thale', name: 'Stefan Lehmann (Demo)', email: `stefan.lehmann@${DEMO_EMAIL_DOMAIN}`, ags: '15085330', role: 'member' },
	{ key: 'wr', name: 'Katrin Vogel (Demo)', email: `katrin.vogel@${DEMO_EMAIL_DOMAIN}`, ags: '15085370', role: 'member' },
	{ key: 'lk', name: 'Andreas Neumann (Demo)', email: `andreas.neumann@${DEMO_EMAIL_DOMAIN}`, ags: '15085', role: 'member' },
	{ key: 'lena', name: 'Sabine Hartmann (Demo)', email: `sabine.hartmann@${DEMO_EMAIL_DOMAIN}`, ags: null, role: 'partner', partner: 'Landesenergieagentur' }
];
