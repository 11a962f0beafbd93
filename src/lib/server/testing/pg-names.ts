// Names of the PostgreSQL databases the tests create next to TEST_DATABASE_URL.
export function templateName() {
	return `klimanetz_test_tpl_${process.pid}`;
}

/** The maintenance database on the same server, to create and drop test databases from. */
export function adminUrl(url: string) {
	const u = new URL(url);
	u.pathname = '/postgres';
	return u.toString();
}
