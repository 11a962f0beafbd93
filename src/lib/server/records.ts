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
import { registerExchangeRecords } from './exchange/records';
// Search sources (search/registry.ts): what each module contributes to the one search page.
import { registerMeasureSearch } from './measures/search-source';
import { registerOfferSearch } from './offers/search-source';
import { registerMeetingSearch } from './meetings/search-source';
import { registerActivitySearch } from './activities/search-source';
import { registerNetworkSearch } from './network/search-source';
import { registerParticipationSearch } from './participation/search-source';
import { registerExchangeSearch } from './exchange/search-source';

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
	registerExchangeRecords();
	registerMeasureSearch();
	registerOfferSearch();
	registerMeetingSearch();
	registerActivitySearch();
	registerNetworkSearch();
	registerParticipationSearch();
	registerExchangeSearch();
}
