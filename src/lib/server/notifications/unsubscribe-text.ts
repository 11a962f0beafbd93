// The sentence the unsubscribe page shows: what exactly the link unsubscribes.
import { translate, type Locale } from '$lib/i18n';
import { notificationKind } from './kinds';
import type { UnsubscribeScope } from './tokens';

export function describeUnsubscribe(locale: Locale, s: UnsubscribeScope): string {
	if (s.kind !== '*') {
		const def = notificationKind(s.kind);
		return translate(locale, 'notifications.unsubscribe.kind', { label: def ? translate(locale, def.labelKey) : s.kind });
	}
	if (s.channelScope === 'daily' || s.channelScope === 'weekly' || s.channelScope === 'immediate') {
		return translate(locale, 'notifications.unsubscribe.digest', { frequency: translate(locale, `notifications.unsubscribe.${s.channelScope}`) });
	}
	return translate(locale, 'notifications.unsubscribe.all');
}
