// The kinds of notification modules raise. Each module registers its kinds once at start-up
// (like record types), so the settings page lists them without knowing the modules.
export type Channel = 'immediate' | 'daily' | 'weekly' | 'none';
export const CHANNELS: readonly Channel[] = ['immediate', 'daily', 'weekly', 'none'];

export interface NotificationKind {
	/** 'module.event', e.g. 'exchange.reply'; the part before the dot groups the settings page. */
	kind: string;
	/** Message key of the kind's name, e.g. 'notifications.kind.meetingInvitation'. */
	labelKey: string;
	/** Message key of a one-line explanation for the settings page. */
	hintKey: string;
	defaultChannel: Channel;
}

const kinds = new Map<string, NotificationKind>();

export function registerNotificationKind(def: NotificationKind): void {
	// Same rule as registerRecordType: the dev server re-runs start-up with fresh definitions
	// after a change (the newer one wins); anywhere else two definitions of one kind are a bug.
	if (kinds.has(def.kind) && kinds.get(def.kind) !== def && !import.meta.env?.DEV) {
		throw new Error(`notification kind ${def.kind} registered twice`);
	}
	kinds.set(def.kind, def);
}

export function notificationKinds(): NotificationKind[] {
	return [...kinds.values()];
}

export function notificationKind(kind: string): NotificationKind | undefined {
	return kinds.get(kind);
}

export function isChannel(v: unknown): v is Channel {
	return typeof v === 'string' && (CHANNELS as readonly string[]).includes(v);
}
