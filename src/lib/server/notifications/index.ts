// Public face of the notifications module: modules register their kinds and call notify() inside
// their command's transaction. Mail (immediate and digests), the person's list and preferences and
// the unsubscribe tokens live in the files next to this one.
export {
	registerNotificationKind,
	notificationKinds,
	notificationKind,
	isChannel,
	CHANNELS,
	type Channel,
	type NotificationKind
} from './kinds';
export { notify, notifyEach, channelFor, withdrawNotifications, MAIL_JOB, type NotifyInput, type Notified } from './notify';
