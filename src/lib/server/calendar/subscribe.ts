// Server side of SubscribeSection.svelte ($lib/components/calendar): the person's private
// calendar-feed link – one feed with every source (funding deadlines, meetings, …) – shown on any
// working-area page that wants it (the funding calendar, the meetings list):
//
//   // +page.server.ts
//   load:    calendarSubscription: await subscribeSection(locals.actor, network.id, url),
//   actions: export const actions = { ...subscribeActions(), … };
//   // +page.svelte
//   {#if data.calendarSubscription}<SubscribeSection data={data.calendarSubscription} {form} />{/if}
//
// Create (or renew) shows the link once, in that response only; revoking asks first on the page
// itself (?kalender=widerrufen#abonnieren), so everything works without JavaScript.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actor } from '../auth/actor';
import { act } from '../http/route';
import { failed, networkFromParams } from '../network/directory-pages';
import { canCalendar } from './permissions';
import { calendarTokenStatus, createCalendarToken, revokeCalendarToken, type CalendarFeedUrls, type CalendarTokenStatus } from './tokens';

/** The section's query parameter and its two values. */
export const SUBSCRIBE_PARAM = 'kalender';
const CONFIRM = 'widerrufen';
const DONE = 'widerrufen-ok';

/** Failures of the section's forms carry this formId, so other forms of the page ignore them. */
export const SUBSCRIBE_FORM_ID = 'calendar';

export interface SubscribeSectionData {
	/** The person's active link (without its secret), or null. */
	token: CalendarTokenStatus | null;
	/** Asking whether to revoke (?kalender=widerrufen). */
	confirmRevoke: boolean;
	/** Just revoked (?kalender=widerrufen-ok). */
	revoked: boolean;
}

/** What SubscribeSection shows, for a page's load; null when the actor can't subscribe (leave the section out). */
export async function subscribeSection(actor: Actor, networkId: string, url: URL): Promise<SubscribeSectionData | null> {
	if (!canCalendar(actor, 'calendar.subscribe', { networkId })) return null;
	const token = await calendarTokenStatus(actor, networkId);
	const state = url.searchParams.get(SUBSCRIBE_PARAM);
	return { token, confirmRevoke: !!token && state === CONFIRM, revoked: state === DONE };
}

type NetworkEvent = RequestEvent<{ network: string }>;

/**
 * The section's form actions, to spread into a page's actions: `calendarLink` creates (or renews)
 * the link and answers with `{ calendarFeed: { https, webcal } }` (shown once); `calendarRevoke`
 * ends it and redirects to the page with ?kalender=widerrufen-ok#abonnieren.
 */
export function subscribeActions() {
	return {
		calendarLink: async (event: NetworkEvent) => {
			const network = await networkFromParams(event);
			const data = await event.request.formData();
			const r = await act(event, data, async () => ({ calendarFeed: (await createCalendarToken(event.locals.actor, network.id)).urls as CalendarFeedUrls }));
			if (failed(r)) return fail(400, { ...r.data, formId: SUBSCRIBE_FORM_ID });
			return r;
		},
		calendarRevoke: async (event: NetworkEvent) => {
			const network = await networkFromParams(event);
			const data = await event.request.formData();
			const r = await act(event, data, () => revokeCalendarToken(event.locals.actor, network.id));
			if (failed(r)) return fail(400, { ...r.data, formId: SUBSCRIBE_FORM_ID });
			redirect(303, `${event.url.pathname}?${SUBSCRIBE_PARAM}=${DONE}#abonnieren`);
		}
	};
}
