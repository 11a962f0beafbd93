// A scratch PostgreSQL database for one benchmark run: created empty on the server at `serverUrl`
// and dropped again (with force, so open connections don't keep it) by drop().
import pg from 'pg';

/** @returns {Promise<{ url: string, drop: () => Promise<void> }>} */
export async function createScratchDatabase(serverUrl, name) {
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	await admin.query(`DROP DATABASE IF EXISTS ${name}`);
	await admin.query(`CREATE DATABASE ${name}`);
	const u = new URL(serverUrl);
	u.pathname = '/' + name;
	return {
		url: u.toString(),
		async drop() {
			await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await admin.end();
		}
	};
}
