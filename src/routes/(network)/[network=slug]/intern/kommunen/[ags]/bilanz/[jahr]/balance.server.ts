// The balance of the year in the URL (/bilanz/2022) of the town in the URL; 404 when there is none.
import { error } from '@sveltejs/kit';
import { listBalanceYears } from '$lib/server/balance/service';
import { guard } from '$lib/server/http/route';
import { yearParam } from '../year';

export async function balanceIdOf(event: { params: { jahr: string }; locals: App.Locals; url: URL }, networkId: string, bodyId: string) {
	const year = yearParam(event.params.jahr);
	if (year === null) error(404, 'Nicht gefunden');
	const years = await guard(event, () => listBalanceYears(event.locals.actor, networkId, bodyId));
	const found = years.find((y) => y.year === year);
	if (!found) error(404, 'Nicht gefunden');
	return found.id;
}
