// Every module's record types, registered once at start-up (app and CLI alike).
import { registerNetworkRecords } from './network/records';
import { registerMeasureRecords } from './measures/records';
import { registerParticipationRecords } from './participation/records';
import { registerCommentRecords } from './participation/comments';
import { registerBalanceRecords } from './balance/records';
import { registerOfferRecords } from './offers/records';
import { registerFundingRecords } from './funding/records';
import { registerMeetingRecords } from './meetings/records';
import { registerFollowUpRecords } from './meetings/follow-ups';
import { registerActivityRecords } from './activities/records';
import { registerCalendarSources } from './calendar/register';

export function registerAllRecords() {
	registerNetworkRecords();
	registerMeasureRecords();
	registerParticipationRecords();
	registerCommentRecords();
	registerBalanceRecords();
	registerOfferRecords();
	registerFundingRecords();
	registerMeetingRecords();
	registerFollowUpRecords();
	registerActivityRecords();
	registerCalendarSources();
}
