// What the meeting's sub-pages (edit, cancel, answer, invitations) load alike: the meeting – the
// one the coordinator manages, or the working area's with its detail – its page title and the
// breadcrumbs Treffen › <meeting> › <page>. Not-found and forbidden become 404/403 (guard).
import type { Locale } from '$lib/i18n';
import { translate } from '$lib/i18n';
import { guard } from '../http/route';
import { internCrumbs, type Crumb } from '../network/directory-pages';
import { getMeeting, loadManagedMeeting, type Meeting, type MeetingDetail } from './meetings';

interface SubpageEvent {
	parent: () => Promise<{ network: { id: string; slug: string; name: string } }>;
	locals: App.Locals;
	params: { id: string };
	url: URL;
}

export interface MeetingSubpage<M> {
	network: { id: string; slug: string; name: string };
	meeting: M;
	/** For the page's <title>: "<page>: <meeting> – <network>". */
	title: string;
	crumbs: Crumb[];
}

function framing(locale: Locale, network: MeetingSubpage<unknown>['network'], m: Pick<Meeting, 'id' | 'title'>, titleKey: string) {
	const label = translate(locale, titleKey);
	return {
		title: `${label}: ${m.title} – ${network.name}`,
		crumbs: internCrumbs(
			locale,
			network,
			{ label: translate(locale, 'meetings.title'), href: `/${network.slug}/intern/treffen` },
			{ label: m.title, href: `/${network.slug}/intern/treffen/${m.id}` },
			{ label }
		)
	};
}

/** A sub-page for coordinators (edit, cancel): 403 for anyone else of the working area. */
export async function managedMeetingPage(event: SubpageEvent, titleKey: string): Promise<MeetingSubpage<Meeting>> {
	const { network } = await event.parent();
	const meeting = await guard(event, () => loadManagedMeeting(event.locals.actor, network.id, event.params.id));
	return { network, meeting, ...framing(event.locals.locale, network, meeting, titleKey) };
}

/** A sub-page of the working area (answer, invitations), with the meeting's detail. */
export async function meetingPage(event: SubpageEvent, titleKey: string): Promise<MeetingSubpage<MeetingDetail>> {
	const { network } = await event.parent();
	const meeting = await guard(event, () => getMeeting(event.locals.actor, network.id, event.params.id));
	return { network, meeting, ...framing(event.locals.locale, network, meeting, titleKey) };
}
