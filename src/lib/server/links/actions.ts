// The form actions behind LinksSection.svelte, for any record page: `link` (paste a page address)
// and `unlink`. A page spreads them into its actions:
//   export const actions = { ...linkActions({ ref, check, here }), … };
import type { RequestEvent } from '@sveltejs/kit';
import { actNamed } from '../http/route';
import { networkFromParams } from '../network/directory-pages';
import type { RecordRef } from '../registry';
import { linkByAddress, unlinkRecords } from './service';

/** Success messages of the two actions (?ok=…), for the page's own list of messages. */
export const LINK_OK_KEYS = ['linkAdded', 'linkRemoved'] as const;

export interface LinkActionOptions<E extends RequestEvent> {
	/** The record whose page it is. */
	ref: (event: E) => RecordRef;
	/** Makes sure the record belongs to the network in the URL (throws NotFoundError otherwise). */
	check: (event: E, networkId: string) => Promise<unknown>;
	/** The page's path, without query (success redirects to it with ?ok=…#verknuepfungen). */
	here: (event: E, network: { slug: string }) => string;
}

const str = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : '');

export function linkActions<E extends RequestEvent>(opts: LinkActionOptions<E>) {
	return {
		link: async (event: E) => {
			const network = await networkFromParams(event);
			const data = await event.request.formData();
			return actNamed(event, data, 'link', `${opts.here(event, network)}?ok=linkAdded#verknuepfungen`, async () => {
				await opts.check(event, network.id);
				return linkByAddress(event.locals.actor, opts.ref(event), str(data.get('target')), str(data.get('note')));
			});
		},
		unlink: async (event: E) => {
			const network = await networkFromParams(event);
			const data = await event.request.formData();
			return actNamed(event, data, 'unlink', `${opts.here(event, network)}?ok=linkRemoved#verknuepfungen`, async () => {
				await opts.check(event, network.id);
				return unlinkRecords(event.locals.actor, str(data.get('linkId')), opts.ref(event));
			});
		}
	};
}
